import Foundation
import Synchronization
public import Talks
public import TalksStore

/// The one path by which commands reach the record: in the talks' turn, decide on the state
/// held, link the events to the chain held, append them if no other writer came first, then
/// hand them to the streams. Only this path links the chain.
extension TalksHub {
    /// Opens a talks for the operator `openedBy`; returns its id, the mediator's id and the
    /// mediator's token (given once, stored as a hash).
    public func open(
        title: String,
        parties: [String],
        mediatorName: String,
        sealedRooms: Bool = false,
        openedBy: String? = nil
    ) async throws -> (TalksID, MemberID, String) {
        let mediatorID = MemberID("mediator")
        let name = mediatorName.trimmingCharacters(in: .whitespacesAndNewlines)
        let mediator = Member(id: mediatorID, name: name.isEmpty ? "Mediator" : name, seat: .mediator)
        let (talks, first) = try Talks.open(
            title: title,
            parties: parties,
            mediator: mediator,
            sealedRooms: sealedRooms,
            time: now()
        )
        let id = TalksID(Tokens.identifier())
        let link = try await store.create(id, first: first, openedBy: openedBy)
        let token = Tokens.token()
        try await store.saveCredential(tokenHash: Tokens.hash(token), talks: id, member: mediatorID, version: 0)
        var chain = RecordChain.Checker()
        chain.check(link)
        keep(Loaded(talks: talks, chain: chain, seq: link.seq), as: id)
        return (id, mediatorID, token)
    }

    /// Runs `command`, written in the record's numbers, for `member` of `id`; returns the
    /// stored events once durable. For the server's own use (the demo); members' commands go
    /// through ``submit(_:in:by:link:)``.
    ///
    /// - Throws: ``TalksError`` for a refused command, ``StoreError`` from the store.
    public func execute(_ command: TalksCommand, in id: TalksID, by member: MemberID) async throws -> [RecordChain.Link]
    {
        try await record(Order(command: command, member: member), in: id).links
    }

    /// Runs `command`, written in `member`'s own numbers, and answers with the member's numbers
    /// of the events it recorded. With `link`, the version of the link the caller came with,
    /// the command is refused (``LinkRevoked``) unless that link still opens the seat on the
    /// state the command is decided on.
    public func submit(
        _ command: TalksCommand,
        in id: TalksID,
        by member: MemberID,
        link: Int? = nil
    ) async throws -> [Int] {
        let (links, state) = try await record(
            Order(command: command, member: member, link: link, inMembersNumbers: true),
            in: id
        )
        return Self.numbers(of: links, for: member, in: state)
    }

    /// `member`'s numbers of the events stored as `links`, in `state`: those they may see.
    private static func numbers(of links: [RecordChain.Link], for member: MemberID, in state: TalksState) -> [Int] {
        guard let reader = state.members[member] else { return [] }
        let view = MemberView(of: reader, in: state)
        return links.compactMap { view.number(ofRecordSeq: $0.seq) }
    }

    /// Invites a delegate and returns their id and token, and the inviter's numbers of the
    /// events it recorded. With `link`, as for ``submit(_:in:by:link:)``.
    ///
    /// The credential is stored before the invitation: a failure in between leaves a token for a
    /// member who does not exist, which opens nothing, rather than a member without a token.
    public func invite(
        party: String,
        name: String,
        role: Role,
        affiliation: String?,
        in id: TalksID,
        by member: MemberID,
        link: Int? = nil
    ) async throws -> (member: MemberID, token: String, numbers: [Int]) {
        let memberID = MemberID(Tokens.identifier())
        let token = Tokens.token()
        try await store.saveCredential(tokenHash: Tokens.hash(token), talks: id, member: memberID, version: 0)
        let invitation = TalksCommand.invite(
            id: memberID,
            party: party,
            name: name,
            role: role,
            affiliation: affiliation
        )
        let (links, state) = try await record(Order(command: invitation, member: member, link: link), in: id)
        return (memberID, token, Self.numbers(of: links, for: member, in: state))
    }

    /// Gives `target` a new link and returns its token, and the caller's numbers of the events
    /// it recorded. Their earlier tokens stop working as soon as the replacement is recorded,
    /// and their open streams close. With `link`, as for ``submit(_:in:by:link:)``.
    public func replaceLink(
        of target: MemberID,
        in id: TalksID,
        by member: MemberID,
        link: Int? = nil
    ) async throws -> (token: String, numbers: [Int]) {
        let issued = IssuedToken()
        let store = self.store
        let order = Order(command: .replaceLink(member: target), member: member, link: link) { state in
            // Saved before the replacement is recorded: until then the new token opens nothing.
            // Decided again (another writer came first) for another version, it gets another
            // token; the one before was never handed out.
            let version = state.linkVersion(of: target)
            guard issued.version != version else { return }
            let token = Tokens.token()
            try await store.saveCredential(tokenHash: Tokens.hash(token), talks: id, member: target, version: version)
            issued.set(token, version: version)
        }
        let (links, state) = try await record(order, in: id)
        return (issued.token ?? "", Self.numbers(of: links, for: member, in: state))
    }

    /// A command as the hub carries it until it is stored.
    struct Order: Sendable {
        var command: TalksCommand
        var member: MemberID
        /// The version of the link the member came with: checked on the state decided on.
        var link: Int? = nil
        /// Whether `command` is written in the member's own numbers (``MemberView``).
        var inMembersNumbers = false
        /// What to do with the state the command leads to before its events are stored (again
        /// each time it is decided).
        var prepare: (@Sendable (TalksState) async throws -> Void)? = nil
    }

    /// How many times a command is decided and appended in the ordinary way before, on a
    /// shared store, it is appended holding the talks (``SharedTalksStore``), and elsewhere the
    /// caller is told to send it again (409): another writer appended first each time.
    package static let attempts = 4

    /// Records `order` on `id`, counting it in the metrics (a rehearsal in none).
    private func record(_ order: Order, in id: TalksID) async throws -> (links: [RecordChain.Link], state: TalksState) {
        guard !shuttingDown else { throw ShuttingDown() }
        let started = ContinuousClock.now
        let counted = !order.command.isCountedNowhere
        do {
            let result = try await recordInTurn(order, in: id)
            if counted {
                metrics.command(order.command.kind, refused: false, nanoseconds: Self.nanoseconds(since: started))
                metrics.appended(result.links.count)
            }
            return result
        } catch {
            if counted {
                metrics.command(order.command.kind, refused: true, nanoseconds: Self.nanoseconds(since: started))
            }
            throw error
        }
    }

    private static func nanoseconds(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
    }

    /// In the talks' turn: decides `order` on the state held, links its events to the chain
    /// held, and appends them; only then folds them in. When another writer appended first,
    /// reads what it wrote (handing it to the streams) and decides again.
    private func recordInTurn(
        _ order: Order,
        in id: TalksID
    ) async throws -> (links: [RecordChain.Link], state: TalksState) {
        await takeTurn(id)
        defer { endTurn(id) }
        for attempt in 0..<Self.attempts {
            if attempt > 0 {
                // Beaten by a writer on another instance: a pause of up to a millisecond a try,
                // so that two instances writing to one talks do not keep meeting.
                try? await Task.sleep(for: .microseconds(Int.random(in: 0...(1_000 * attempt))))
                try await catchUpInTurn(id)
            }
            let entry = try await load(id)
            let head = entry.chain.head
            let events = try await decide(order, on: entry)
            let links: [RecordChain.Link]
            let appended: Bool
            do {
                (links, appended) = try await Self.link(events, after: head.hash, appendingTo: id, in: store)
            } catch {
                throw appendFailed(error, of: id)
            }
            guard appended else { continue }
            return (links, fold(events, stored: links, into: entry, of: id))
        }
        // A busier writer on another instance keeps coming first: the store orders this one.
        guard let shared else { throw ChangedMeanwhile() }
        return try await recordHolding(order, in: id, on: shared)
    }

    /// Records `order` while the shared store holds the talks against every other writer: folds
    /// in what the others appended, decides, links; the store appends.
    private func recordHolding(
        _ order: Order,
        in id: TalksID,
        on shared: any SharedTalksStore
    ) async throws -> (links: [RecordChain.Link], state: TalksState) {
        let entry = try await load(id)
        let decided = Mutex<[RecordedEvent]>([])
        let links: [RecordChain.Link]
        do {
            links = try await shared.append(to: id, holding: entry.seq) { newer in
                let (links, events) = try await self.decideHolding(order, of: id, after: newer)
                decided.withLock { $0 = events }
                return links
            }
        } catch let refusal as TalksError {
            // Refused on the state held, caught up with what the others appended: it stands.
            throw refusal
        } catch let revoked as LinkRevoked {
            throw revoked
        } catch {
            throw appendFailed(error, of: id)
        }
        return (links, fold(decided.withLock { $0 }, stored: links, into: entry, of: id))
    }

    /// Folds `events`, just stored as `links` right after what `entry` holds, into it and hands
    /// them to its streams; returns the state they lead to.
    private func fold(
        _ events: [RecordedEvent],
        stored links: [RecordChain.Link],
        into entry: Loaded,
        of id: TalksID
    ) -> TalksState {
        for (link, event) in zip(links, events) {
            entry.talks.replay(event)
            entry.chain.check(link, event: event)
        }
        entry.seq = links.last?.seq ?? entry.seq
        if loaded[id] === entry {
            announce(events, stored: links, in: id, entry: entry)
        } else {
            // Let go meanwhile (a failed catch-up): whoever holds it now read it without these.
            forget(id)
        }
        return entry.talks.state
    }

    /// What an append that failed in the store answers: the talks is read afresh when next
    /// asked for (the events may be stored, their answer lost), and the store's conflict, which
    /// names the record's numbers (counting events the member may not see), becomes a refusal
    /// without them.
    private func appendFailed(_ error: any Error, of id: TalksID) -> any Error {
        forget(id)
        if case StoreError.conflict = error { return ChangedMeanwhile() }
        return error
    }

    /// Within a held append: folds `newer` (what other instances appended) into `entry`, then
    /// decides `order` and links its events after them.
    private func decideHolding(
        _ order: Order,
        of id: TalksID,
        after newer: [RecordChain.Link]
    ) async throws -> (links: [RecordChain.Link], events: [RecordedEvent]) {
        // Held in turn, so neither let go nor replaced since it was loaded, unless a read failed.
        guard let entry = loaded[id] else { throw ChangedMeanwhile() }
        try fold(newer, into: entry, of: id)
        let events = try await decide(order, on: entry)
        return (RecordChain.link(events, after: entry.chain.head.hash), events)
    }

    /// Links `events` to the chain after `head` and appends them to `id`, off the hub's actor:
    /// each event's text and hash are work for any core, not for the actor every talks shares
    /// (the append leaves the actor anyway).
    private nonisolated static func link(
        _ events: [RecordedEvent],
        after head: String,
        appendingTo id: TalksID,
        in store: any TalksStore
    ) async throws -> (links: [RecordChain.Link], appended: Bool) {
        let links = RecordChain.link(events, after: head)
        return (links, try await store.append(links, to: id))
    }

    /// The events `order` records on the loaded talks `entry` (held in turn), once its link is
    /// checked and its `prepare` has run on the state they lead to. Nothing is folded in here:
    /// that waits until they are stored.
    private func decide(_ order: Order, on entry: Loaded) async throws -> [RecordedEvent] {
        let state = entry.talks.state
        if let link = order.link, let revoked = Self.revocation(of: order.member, link: link, in: state) {
            throw revoked
        }
        var command = order.command
        if order.inMembersNumbers, let writer = state.members[order.member] {
            command = try MemberView(of: writer, in: state).recordCommand(command)
        }
        let events = try entry.talks.events(for: command, by: order.member, time: now())
        if let prepare = order.prepare {
            // A copy, for the rare commands that prepare something (a new link's token).
            var after = entry.talks
            for event in events { after.replay(event) }
            try await prepare(after.state)
        }
        return events
    }
}

/// The token ``TalksHub/replaceLink(of:in:by:link:)`` issued, and for which version of the link.
private final class IssuedToken: Sendable {
    private let state = Mutex<(token: String?, version: Int?)>((nil, nil))
    var token: String? { state.withLock { $0.token } }
    var version: Int? { state.withLock { $0.version } }
    func set(_ token: String, version: Int) { state.withLock { $0 = (token, version) } }
}
