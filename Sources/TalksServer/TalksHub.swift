import Foundation
public import Talks
public import TalksStore

/// The talks a server holds: loads them from the store, runs commands one at a time per talks,
/// makes every event durable before anyone hears of it, and streams each event to the members
/// who may see it.
public actor TalksHub {
    /// A loaded talks: its state and its stored events, so that a new subscriber's backlog and
    /// its live events come from one place, in order. A class, so that a command updates it in
    /// place rather than copying a growing record each time.
    final class Loaded {
        var talks: Talks
        var events: [RecordedEvent]
        var links: [RecordChain.Link]
        /// How far the chain has been checked: each link is checked once, however often the
        /// verdict is asked for.
        var checked: (seq: Int, hash: String) = (0, RecordChain.genesis)
        var broken = false

        init(talks: Talks, events: [RecordedEvent], links: [RecordChain.Link]) {
            self.talks = talks
            self.events = events
            self.links = links
        }
    }

    /// A member listening to a talks.
    struct Subscriber {
        var member: MemberID
        var continuation: AsyncStream<RecordChain.Link>.Continuation
    }

    let store: any TalksStore
    private var loaded: [TalksID: Loaded] = [:]
    private var subscribers: [TalksID: [UUID: Subscriber]] = [:]
    /// Token hashes already looked up: a token never changes owner, so each is read from the
    /// store once.
    private var credentials: [String: (talks: TalksID, member: MemberID)] = [:]
    private var busy: Set<TalksID> = []
    private var waiting: [TalksID: [CheckedContinuation<Void, Never>]] = [:]
    private let now: @Sendable () -> Double

    /// - Parameter now: the clock, in seconds since 1970 (the system's when `nil`).
    public init(store: any TalksStore, now: (@Sendable () -> Double)? = nil) {
        self.store = store
        self.now = now ?? { Date().timeIntervalSince1970 }
    }

    /// Opens a talks and returns its id and the mediator's token (given once, stored as a hash).
    public func open(title: String, parties: [String], mediatorName: String) async throws -> (TalksID, MemberID, String) {
        let mediatorID = MemberID("mediator")
        let name = mediatorName.isEmpty ? "Mediator" : mediatorName
        let (talks, first) = try Talks.open(title: title, parties: parties, mediator: Member(id: mediatorID, name: name, seat: .mediator), time: now())
        let id = TalksID(Tokens.identifier())
        let link = try await store.create(id, first: first)
        let token = Tokens.token()
        try await store.saveCredential(tokenHash: Tokens.hash(token), talks: id, member: mediatorID)
        loaded[id] = Loaded(talks: talks, events: [first], links: [link])
        return (id, mediatorID, token)
    }

    /// Runs `command` for `member` of `id`; returns the stored events once durable.
    ///
    /// - Throws: ``TalksError`` for a refused command, ``StoreError`` from the store.
    public func execute(_ command: TalksCommand, in id: TalksID, by member: MemberID) async throws -> [RecordChain.Link] {
        await acquire(id)
        defer { release(id) }
        let entry = try await load(id)
        // `handle` changes nothing when it refuses.
        let events = try entry.talks.handle(command, by: member, time: now())
        let links: [RecordChain.Link]
        do {
            links = try await store.append(events, to: id)
        } catch {
            // Not stored: drop the state that ran ahead, and read the talks again next time.
            loaded[id] = nil
            throw error
        }
        entry.events += events
        entry.links += links
        publish(links, events: events, in: id, state: entry.talks.state)
        return links
    }

    /// Invites a delegate and returns their id and token.
    public func invite(party: String, name: String, role: Role, affiliation: String?, in id: TalksID, by member: MemberID) async throws -> (MemberID, String) {
        let memberID = MemberID(Tokens.identifier())
        _ = try await execute(.invite(id: memberID, party: party, name: name, role: role, affiliation: affiliation), in: id, by: member)
        let token = Tokens.token()
        try await store.saveCredential(tokenHash: Tokens.hash(token), talks: id, member: memberID)
        return (memberID, token)
    }

    /// The member and talks a bearer token belongs to.
    public func authenticate(token: String) async throws -> (talks: TalksID, member: Member)? {
        let hash = Tokens.hash(token)
        var found = credentials[hash]
        if found == nil { found = try await store.credential(tokenHash: hash) }
        guard let found else { return nil }
        credentials[hash] = found
        let entry = try await load(found.talks)
        guard let member = entry.talks.state.members[found.member] else { return nil }
        return (found.talks, member)
    }

    /// The state of a talks (for queries that the caller's seat allows).
    public func talks(_ id: TalksID) async throws -> Talks {
        try await load(id).talks
    }

    /// Whether the record of `id`, as loaded from the store and appended since, is an intact
    /// hash chain. Checks only the links added since the last question.
    public func isRecordIntact(_ id: TalksID) async throws -> Bool {
        let entry = try await load(id)
        guard !entry.broken else { return false }
        switch RecordChain.verify(entry.links[entry.checked.seq...], after: entry.checked) {
        case .intact(let events, let head): entry.checked = (events, head)
        case .broken: entry.broken = true
        }
        return !entry.broken
    }

    /// The stored events of `id` that `member` may see, after `after`.
    public func visibleLinks(in id: TalksID, for member: MemberID, after: Int) async throws -> [RecordChain.Link] {
        let entry = try await load(id)
        guard let reader = entry.talks.state.members[member] else { return [] }
        let visible = Set(Visibility.visible(to: reader, in: entry.events, state: entry.talks.state, after: after).map(\.seq))
        return entry.links.filter { visible.contains($0.seq) }
    }

    /// The events `member` may see after `after`, then every new one as it is stored.
    public func subscribe(to id: TalksID, as member: MemberID, after: Int) async throws -> AsyncStream<RecordChain.Link> {
        let backlog = try await visibleLinks(in: id, for: member, after: after)
        let (stream, continuation) = AsyncStream.makeStream(of: RecordChain.Link.self, bufferingPolicy: .unbounded)
        // No suspension between reading the backlog above and registering here would lose an
        // event: `load` and `visibleLinks` only suspend on a cold talks, and `execute` publishes
        // after storing, under this actor.
        for link in backlog { continuation.yield(link) }
        let key = UUID()
        subscribers[id, default: [:]][key] = Subscriber(member: member, continuation: continuation)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(key, from: id) }
        }
        return stream
    }

    private func unsubscribe(_ key: UUID, from id: TalksID) {
        subscribers[id]?[key] = nil
    }

    private func publish(_ links: [RecordChain.Link], events: [RecordedEvent], in id: TalksID, state: TalksState) {
        guard let listeners = subscribers[id], !listeners.isEmpty else { return }
        for listener in listeners.values {
            guard let member = state.members[listener.member] else { continue }
            for (link, event) in zip(links, events) where Visibility.canSee(member, event, in: state) {
                listener.continuation.yield(link)
            }
        }
    }

    private func load(_ id: TalksID) async throws -> Loaded {
        if let entry = loaded[id] { return entry }
        let links = try await store.links(of: id, after: 0)
        if let entry = loaded[id] { return entry }
        guard !links.isEmpty else { throw StoreError.notFound("no talks '\(id)'") }
        let events = try links.map { try RecordChain.decode($0.json) }
        let entry = Loaded(talks: Talks(folding: events), events: events, links: links)
        loaded[id] = entry
        return entry
    }

    /// One command at a time per talks: the actor is re-entrant across the store's awaits.
    private func acquire(_ id: TalksID) async {
        if busy.contains(id) {
            await withCheckedContinuation { waiting[id, default: []].append($0) }
        } else {
            busy.insert(id)
        }
    }

    private func release(_ id: TalksID) {
        if var queue = waiting[id], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[id] = queue
            next.resume()
        } else {
            busy.remove(id)
        }
    }
}

/// Tokens and identifiers: random, and stored only as hashes.
enum Tokens {
    static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func identifier() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func hash(_ token: String) -> String {
        SHA256.hex(Array(token.utf8))
    }
}
