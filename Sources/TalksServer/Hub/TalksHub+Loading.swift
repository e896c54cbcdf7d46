import Talks
import TalksStore

/// The talks held in memory: read from the store when first asked for, kept up to date with
/// what other writers append, and let go past the bound.
extension TalksHub {
    /// The loaded talks `id`, read from the store (page by page, its chain checked) if need be.
    func load(_ id: TalksID) async throws -> Loaded {
        if let entry = loaded.use(id) { return entry }
        let read = try await Loaded.read(id, from: store)
        // Another task may have loaded it meanwhile (and written since): theirs is current.
        if let entry = loaded.use(id) { return entry }
        keep(read, as: id)
        return read
    }

    /// The talks `id` as the store has it now: on a shared store, what other instances
    /// appended is read first. Every read's authentication goes through here, so no instance
    /// trusts a link that another has replaced or a member it has removed.
    func current(_ id: TalksID) async throws -> Loaded {
        let entry = try await load(id)
        guard let shared, try await shared.lastSeq(of: id) > entry.seq else { return entry }
        try await catchUp(id)
        return try await load(id)
    }

    /// Reads what other writers appended to `id` since this hub last saw it, in the talks' turn.
    func catchUp(_ id: TalksID) async throws {
        await takeTurn(id)
        defer { endTurn(id) }
        try await catchUpInTurn(id)
    }

    /// ``catchUp(_:)`` for a caller that holds the turn on `id`.
    func catchUpInTurn(_ id: TalksID) async throws {
        guard let entry = loaded[id] else { return }
        let links = try await store.links(of: id, after: entry.seq, limit: nil)
        guard loaded[id] === entry else { return }
        try fold(links, into: entry, of: id)
    }

    /// Folds `links`, the events after those `entry` holds, into it and tells its streams.
    func fold(_ links: [RecordChain.Link], into entry: Loaded, of id: TalksID) throws {
        guard !links.isEmpty else { return }
        var events: [RecordedEvent] = []
        events.reserveCapacity(links.count)
        for link in links {
            guard let event = entry.chain.check(link) else {
                forget(id)
                throw UnreadableRecord(talks: id, seq: link.seq)
            }
            entry.talks.replay(event)
            entry.seq = link.seq
            events.append(event)
        }
        announce(events, stored: links, in: id, entry: entry)
    }

    /// Holds `entry`; past the bound, lets go of the least recently used tenth, never a talks
    /// with a command under way or with streams open (their streams are served from it).
    func keep(_ entry: Loaded, as id: TalksID) {
        loaded.keep(entry, as: id, bound: maxLoadedTalks) { [turns, streams] other in
            !turns.isTaken(other) && !streams.isListening(to: other)
        }
        metrics.loaded(loaded.count)
    }

    /// Lets go of the loaded talks `id`. Its streams end too, without an ending (as for a
    /// client too far behind): they were served from what was let go, and their clients
    /// reconnect with the number they last received.
    func forget(_ id: TalksID) {
        loaded.remove(id)
        metrics.loaded(loaded.count)
        endStreams(of: id)
    }
}
