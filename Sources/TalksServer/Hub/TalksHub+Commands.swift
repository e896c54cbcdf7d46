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
        openedBy: String? = nil
    ) async throws -> (TalksID, MemberID, String) {
        let mediatorID = MemberID("mediator")
        let name = mediatorName.trimmingCharacters(in: .whitespacesAndNewlines)
        let mediator = Member(id: mediatorID, name: name.isEmpty ? "Mediator" : name, seat: .mediator)
        let (talks, first) = try Talks.open(title: title, parties: parties, mediator: mediator, time: now())
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
        guard let reader = state.members[member] else { return [] }
        let view = MemberView(of: reader, in: state)
        return links.compactMap { view.number(ofRecordSeq: $0.seq) }
    }

    /// Invites a delegate and returns their id and token. With `link`, as for
    /// ``submit(_:in:by:link:)``.
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
    ) async throws -> (MemberID, String) {
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
        _ = try await record(Order(command: invitation, member: member, link: link), in: id)
        return (memberID, token)
    }

    /// Gives `target` a new link and returns its token. Their earlier tokens stop working as
    /// soon as the replacement is recorded, and their open streams close. With `link`, as for
    /// ``submit(_:in:by:link:)``.
    public func replaceLink(
        of target: MemberID,
        in id: TalksID,
        by member: MemberID,
        link: Int? = nil
    ) async throws -> String {
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
        _ = try await record(order, in: id)
        return issued.token ?? ""
    }

    /// A command as the hub carries it until it is stored.
    struct Order {
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

    /// How many times a command is decided again because another writer appended first,
    /// before the caller is told to send it again (409).
    package static let attempts = 5

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
    /// held, and appends them; when another writer appended first, reads what it wrote (handing
    /// it to the streams) and decides again.
    private func recordInTurn(
        _ order: Order,
        in id: TalksID
    ) async throws -> (links: [RecordChain.Link], state: TalksState) {
        await takeTurn(id)
        defer { endTurn(id) }
        for _ in 0..<Self.attempts {
            let entry = try await load(id)
            let head = entry.chain.head
            let events: [RecordedEvent]
            do {
                events = try await decide(order, on: entry)
            } catch {
                // Refused before it was decided, nothing changed; after (its preparation failed),
                // the state ran ahead with events that will not be stored: read it again next time.
                if entry.decided != nil { forget(id) }
                throw error
            }
            let links: [RecordChain.Link]
            let appended: Bool
            do {
                (links, appended) = try await Self.link(events, after: head.hash, appendingTo: id, in: store)
            } catch {
                // Decided but not stored: the state ran ahead of the record; read it again next time.
                forget(id)
                // The store's refusal names the record's numbers, which count events the member
                // may not see: they get a refusal without them.
                if case StoreError.conflict = error { throw ChangedMeanwhile() }
                throw error
            }
            guard appended else {
                // The state held ran ahead of the record: back to what was stored, then on to
                // what the other writer stored.
                _ = try await rewind(id, to: head.seq)
                try await catchUpInTurn(id)
                continue
            }
            entry.decided = nil
            for (link, event) in zip(links, events) { entry.chain.check(link, event: event) }
            entry.seq = links.last?.seq ?? entry.seq
            publish(events, stored: links, in: id, state: entry.talks.state)
            return (links, entry.talks.state)
        }
        throw ChangedMeanwhile()
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

    /// Decides `order` on the loaded talks `entry` (held in turn) and runs its `prepare`; the
    /// talks runs ahead of the record with the events returned (``Loaded/decided``) until they
    /// are stored. Nothing changes when it throws.
    private func decide(_ order: Order, on entry: Loaded) async throws -> [RecordedEvent] {
        if let link = order.link, let revoked = Self.revocation(of: order.member, link: link, in: entry.talks.state) {
            throw revoked
        }
        var command = order.command
        if order.inMembersNumbers, let writer = entry.talks.state.members[order.member] {
            command = try MemberView(of: writer, in: entry.talks.state).recordCommand(command)
        }
        // `handle` changes nothing when it refuses.
        let events = try entry.talks.handle(command, by: order.member, time: now())
        entry.decided = events
        try await order.prepare?(entry.talks.state)
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
