import Foundation
public import Talks
public import TalksStore

/// The talks a server holds: loads them from the store, runs commands one at a time per talks,
/// makes every event durable before anyone hears of it, and streams each event to the members
/// who may see it, in their own numbers (``MemberView``).
///
/// Memory stays bounded: at most `maxLoadedTalks` talks are held besides those with open streams
/// (the least recently used go first, and are read back, their chain checked, when asked for
/// again), and a loaded talks holds its state, not its events: backlogs are read from the store
/// in pages.
///
/// On a ``SharedTalksStore`` (several instances on one database) the hub is one of several:
/// before a read it asks the store for the talks' last number; a command is decided on the
/// state held and appended only if no other instance wrote first
/// (``SharedTalksStore/appendIfLatest(_:to:)``), else decided again while the store holds the
/// talks (``SharedTalksStore/append(to:after:decide:)``); and while ``followOtherInstances()``
/// runs, the hub hands other instances' events to its streams.
public actor TalksHub {
    /// A loaded talks: its state, and its record's chain as checked so far.
    final class Loaded {
        var talks: Talks
        /// Every link read back or appended since was checked against the one before.
        var chain: RecordChain.Checker
        /// The number of the last event folded into `talks`.
        var seq: Int
        var lastUse: UInt64 = 0
        /// The events of the command being decided, once `talks` has run ahead of the record
        /// with them (until they are stored).
        var decided: [RecordedEvent]?

        init(talks: Talks, chain: RecordChain.Checker, seq: Int) {
            self.talks = talks
            self.chain = chain
            self.seq = seq
        }
    }

    /// What a stream carries: events as the member receives them (JSON), then why it ended. A
    /// stream that finishes without ``ended(_:)`` fell too far behind.
    public enum Delivery: Sendable, Equatable {
        case event(String)
        case ended(Ending)
    }

    public enum Ending: Sendable, Equatable {
        /// The link the stream was opened with no longer opens the seat.
        case revoked
        /// The server is shutting down.
        case shuttingDown
    }

    /// A member listening to a talks, with the version of the link they connected with: the
    /// stream ends when that link stops opening their seat.
    struct Subscriber {
        var member: MemberID
        var version: Int
        var continuation: AsyncStream<Delivery>.Continuation
    }

    /// Who a bearer token is.
    public enum Caller: Sendable {
        case member(talks: TalksID, member: Member, version: Int)
        /// A token that used to open a seat: its link was replaced, or its member removed.
        case revoked(talks: TalksID, reason: String)
        case unknown
    }

    /// A stored event that cannot be read: the store's fault, not the caller's.
    struct UnreadableRecord: Error, CustomStringConvertible {
        var talks: TalksID
        var seq: Int
        var description: String { "event \(seq) of a stored talks cannot be read" }
    }

    /// Events read from the store at once, when loading a talks or serving a backlog.
    public static let pageSize = 500
    /// Events a stream may have waiting for a slow client before it is closed (the client
    /// reconnects with `after=`).
    static let streamBuffer = 4_096
    /// Credentials remembered before the cache starts again (each is read from the store once).
    static let credentialCacheLimit = 50_000

    let store: any TalksStore
    /// The store, when other instances share it.
    let shared: (any SharedTalksStore)?
    /// How many talks are held in memory at most.
    public let maxLoadedTalks: Int
    private var loaded: [TalksID: Loaded] = [:]
    private var clock: UInt64 = 0
    private var subscribers: [TalksID: [UUID: Subscriber]] = [:]
    /// Talks being caught up with other instances' appends, and the newest number heard of.
    private var behind: [TalksID: Int] = [:]
    /// Credentials already looked up: a token never changes owner or version, so each is read
    /// from the store once. Whether it still opens a seat is asked of the talks' state every
    /// time, so this cache cannot be wrong about a replaced link or a removed member.
    private var credentials: [String: Credential] = [:]
    private var busy: Set<TalksID> = []
    private var waiting: [TalksID: [CheckedContinuation<Void, Never>]] = [:]
    private var shuttingDown = false
    /// Who waits for the last command under way to finish (``shutDown()``).
    private var drained: [CheckedContinuation<Void, Never>] = []
    private let now: @Sendable () -> Double
    private var metrics = HubMetrics()

    /// - Parameters:
    ///   - maxLoadedTalks: how many talks to hold in memory at most (at least 1).
    ///   - now: the clock, in seconds since 1970 (the system's when `nil`).
    public init(store: any TalksStore, maxLoadedTalks: Int = 1_000, now: (@Sendable () -> Double)? = nil) {
        self.store = store
        shared = store as? any SharedTalksStore
        self.maxLoadedTalks = max(maxLoadedTalks, 1)
        self.now = now ?? { Date().timeIntervalSince1970 }
    }

    /// How many talks are in memory now.
    public var loadedTalksCount: Int { loaded.count }

    /// How many streams are open now.
    public var openStreamsCount: Int { subscribers.values.reduce(0) { $0 + $1.count } }

    /// Opens a talks for the operator `openedBy`; returns its id, the mediator's id and the
    /// mediator's token (given once, stored as a hash).
    public func open(title: String, parties: [String], mediatorName: String, openedBy: String? = nil) async throws -> (TalksID, MemberID, String) {
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
    /// through ``submit(_:in:by:)``.
    ///
    /// - Throws: ``TalksError`` for a refused command, ``StoreError`` from the store.
    public func execute(_ command: TalksCommand, in id: TalksID, by member: MemberID) async throws -> [RecordChain.Link] {
        try await perform(command, in: id, by: member).links
    }

    /// Runs `command`, written in `member`'s own numbers, and answers with the member's numbers
    /// of the events it recorded. With `link`, the version of the link the caller came with,
    /// the command is refused (``LinkRevoked``) unless that link still opens the seat on the
    /// state the command is decided on.
    public func submit(_ command: TalksCommand, in id: TalksID, by member: MemberID, link: Int? = nil) async throws -> [Int] {
        let (links, state) = try await perform(command, in: id, by: member, link: link, inMembersNumbers: true)
        guard let reader = state.members[member] else { return [] }
        let view = MemberView(of: reader, in: state)
        return links.compactMap { view.number(ofRecordSeq: $0.seq) }
    }

    /// Invites a delegate and returns their id and token.
    ///
    /// The credential is stored before the invitation: a failure in between leaves a token for a
    /// member who does not exist, which opens nothing, rather than a member without a token.
    /// With `link`, as for ``submit(_:in:by:link:)``.
    public func invite(
        party: String, name: String, role: Role, affiliation: String?, in id: TalksID, by member: MemberID, link: Int? = nil
    ) async throws -> (MemberID, String) {
        let memberID = MemberID(Tokens.identifier())
        let token = Tokens.token()
        try await store.saveCredential(tokenHash: Tokens.hash(token), talks: id, member: memberID, version: 0)
        _ = try await perform(.invite(id: memberID, party: party, name: name, role: role, affiliation: affiliation), in: id, by: member, link: link)
        return (memberID, token)
    }

    /// Gives `target` a new link and returns its token. Their earlier tokens stop working as
    /// soon as the replacement is recorded, and their open streams close. With `link`, as for
    /// ``submit(_:in:by:link:)``.
    public func replaceLink(of target: MemberID, in id: TalksID, by member: MemberID, link: Int? = nil) async throws -> String {
        let token = Tokens.token()
        let store = self.store
        _ = try await perform(.replaceLink(member: target), in: id, by: member, link: link) { state in
            // Saved before the replacement is recorded: until then the new token opens nothing.
            try await store.saveCredential(tokenHash: Tokens.hash(token), talks: id, member: target, version: state.linkVersion(of: target))
        }
        return token
    }

    /// Who holds `token`: a member whose link it still is, a revoked link, or nobody.
    ///
    /// On a shared store this reads what other instances appended first, so that no instance
    /// trusts a link another has replaced or a member it has removed. `beforeSubmitting` skips
    /// that read for a caller about to ``submit(_:in:by:link:)`` with the link's version: the
    /// command is decided on the record's latest state, and the link checked against it there.
    public func authenticate(token: String, beforeSubmitting: Bool = false) async throws -> Caller {
        let hash = Tokens.hash(token)
        var found = credentials[hash]
        if found == nil { found = try await store.credential(tokenHash: hash) }
        guard var credential = found else { return .unknown }
        // Cached whatever its fate: a revoked token asked again is answered without the store.
        remember(credential, hash)
        var state = try await (beforeSubmitting ? load(credential.talks) : current(credential.talks)).talks.state
        if beforeSubmitting, !Self.opens(credential, in: state) {
            // Perhaps a link or a member another instance has just made: no refusal on a state held.
            state = try await current(credential.talks).talks.state
        }
        if let revoked = Self.revocation(of: credential.member, link: credential.version, in: state) {
            return .revoked(talks: credential.talks, reason: revoked.reason)
        }
        guard let member = state.members[credential.member] else { return .unknown }
        if !credential.opened {
            try await store.markOpened(tokenHash: hash)
            credential.opened = true
            remember(credential, hash)
        }
        return .member(talks: credential.talks, member: member, version: credential.version)
    }

    private static func opens(_ credential: Credential, in state: TalksState) -> Bool {
        state.members[credential.member] != nil && revocation(of: credential.member, link: credential.version, in: state) == nil
    }

    /// Why version `link` of `member`'s link no longer opens their seat in `state`, if it does not.
    private static func revocation(of member: MemberID, link: Int, in state: TalksState) -> LinkRevoked? {
        if state.removedMembers.contains(member) { return LinkRevoked(reason: "this link's member was removed from the talks") }
        guard state.members[member] != nil, link != state.linkVersion(of: member) else { return nil }
        return LinkRevoked(reason: "this link was replaced by a newer one; ask the mediator for it")
    }

    private func remember(_ credential: Credential, _ hash: String) {
        if credentials.count >= Self.credentialCacheLimit, credentials[hash] == nil { credentials.removeAll(keepingCapacity: true) }
        credentials[hash] = credential
    }

    /// The operator `token` belongs to. Not cached: an operator removed from the command line
    /// (another process) loses access at once.
    public func authenticateOperator(token: String) async throws -> String? {
        try await store.operatorName(tokenHash: Tokens.hash(token))
    }

    /// The talks the operator `name` opened, oldest first.
    public func talks(openedBy name: String) async throws -> [TalksID] {
        try await store.talks(openedBy: name)
    }

    /// How `id` was opened (its first event), read from the store without loading the talks.
    public func opening(of id: TalksID) async throws -> (title: String, parties: [String], mediator: Member) {
        guard let first = try await store.links(of: id, after: 0, limit: 1).first,
            case .opened(let title, let parties, let mediator) = try? RecordChain.decode(first.json).event
        else { throw UnreadableRecord(talks: id, seq: 1) }
        return (title, parties, mediator)
    }

    /// Whether each member of `id` has opened their current link.
    public func linksOpened(in id: TalksID) async throws -> [MemberID: Bool] {
        let state = try await load(id).talks.state
        let opened = try await store.openedLinks(in: id)
        return state.members.mapValues { opened.contains(MemberLink(member: $0.id, version: state.linkVersion(of: $0.id))) }
    }

    /// The state of a talks (for queries that the caller's seat allows).
    public func talks(_ id: TalksID) async throws -> Talks {
        try await load(id).talks
    }

    /// Whether the record of `id`, as read from the store (checked link by link when the talks
    /// was loaded) and appended since, is an intact hash chain.
    public func isRecordIntact(_ id: TalksID) async throws -> Bool {
        guard case .intact = try await load(id).chain.verdict else { return false }
        return true
    }

    /// At most `limit` of the events `member` may see, after their event `after`, as they
    /// receive them (JSON), and whether more follow.
    ///
    /// - Throws: ``TalksError/invalid(_:)`` for an `after` the member was never given.
    public func visibleEvents(in id: TalksID, for member: MemberID, after: Int, limit: Int) async throws -> (events: [String], more: Bool) {
        let entry = try await load(id)
        guard let reader = entry.talks.state.members[member] else { return ([], false) }
        let (seqs, more) = try Self.page(of: MemberView(of: reader, in: entry.talks.state), after: after, limit: limit, stored: entry.seq)
        return (try await presented(seqs, to: member, in: id), more)
    }

    /// Hands `body` every event `member` may see after their event `after`, a page at a time;
    /// returns the member's number of the last one.
    nonisolated func forEachPage(in id: TalksID, for member: MemberID, after: Int, _ body: ([String]) async throws -> Void) async throws -> Int {
        var cursor = after
        while true {
            let (events, more) = try await visibleEvents(in: id, for: member, after: cursor, limit: Self.pageSize)
            try await body(events)
            cursor += events.count
            if !more { return cursor }
        }
    }

    /// The record's numbers of the member's next events after their event `after`, up to the
    /// record's event `stored`, and whether more follow.
    ///
    /// A state held while a command is stored has run ahead of the record (``Loaded/decided``):
    /// those events are not read here, for they may yet be refused, and they reach the streams
    /// once they are stored.
    ///
    /// - Throws: ``TalksError/notFound(_:)`` for an `after` the member was never given.
    private static func page(of view: MemberView, after: Int, limit: Int, stored: Int) throws(TalksError) -> (seqs: [Int], more: Bool) {
        _ = try view.recordSeq(after: after)
        let count = view.count(throughRecordSeq: stored)
        let seqs = Array(view.recordSeqs(after: after, limit: max(min(limit, count - after), 0)))
        return (seqs, after + seqs.count < count)
    }

    /// The member's events numbered `seqs` in the record, read from the store, as they receive
    /// them. The view is taken after the read: a member's numbers never change once given, and
    /// no state is held across the store's await (a command meanwhile would copy it).
    private func presented(_ seqs: [Int], to member: MemberID, in id: TalksID) async throws -> [String] {
        let links = try await store.links(of: id, seqs: seqs)
        guard let view = try await view(of: member, in: id) else { return [] }
        return try links.map { try present($0, to: view, in: id) }
    }

    private func view(of member: MemberID, in id: TalksID) async throws -> MemberView? {
        let state = try await load(id).talks.state
        return state.members[member].map { MemberView(of: $0, in: state) }
    }

    private func present(_ link: RecordChain.Link, to view: MemberView, in id: TalksID) throws -> String {
        guard let event = try? RecordChain.decode(link.json) else { throw UnreadableRecord(talks: id, seq: link.seq) }
        // `nil` cannot happen: the link was chosen from the member's own events.
        return view.presentJSON(event, stored: link.json) ?? "{}"
    }

    /// The events `member` may see after their event `after`, then every new one as it is
    /// stored. The stream ends when `version` stops being the member's link (replaced, or the
    /// member removed), at once if it already has, and when the server shuts down.
    ///
    /// The backlog before the live events is meant to be short: read a long one first with
    /// ``visibleEvents(in:for:after:limit:)``.
    public func subscribe(to id: TalksID, as member: MemberID, version: Int, after: Int) async throws -> AsyncStream<Delivery> {
        let (stream, continuation) = AsyncStream.makeStream(of: Delivery.self, bufferingPolicy: .bufferingOldest(Self.streamBuffer))
        var cursor = after
        while true {
            // The link may have been revoked since the caller authenticated: checked before a
            // single event goes out, and again after every read from the store.
            let entry = try await load(id)
            let state = entry.talks.state
            guard !shuttingDown else { return Self.ended(.shuttingDown, stream, continuation) }
            guard let reader = state.members[member], state.linkVersion(of: member) == version else {
                return Self.ended(.revoked, stream, continuation)
            }
            let (seqs, _) = try Self.page(of: MemberView(of: reader, in: state), after: cursor, limit: Self.pageSize, stored: entry.seq)
            if seqs.isEmpty { break }
            for text in try await presented(seqs, to: member, in: id) {
                // A backlog longer than the buffer: the caller should have read it in pages.
                guard case .enqueued = continuation.yield(.event(text)) else {
                    continuation.finish()
                    return stream
                }
            }
            cursor += seqs.count
        }
        // Caught up, with no suspension since: every later event reaches this stream live.
        let key = UUID()
        subscribers[id, default: [:]][key] = Subscriber(member: member, version: version, continuation: continuation)
        metrics.streams(openStreamsCount)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(key, from: id) }
        }
        if shared != nil {
            // Another instance may have appended since this one last looked, before the stream
            // was there to be told: read it now (later appends come as notices).
            do {
                _ = try await current(id)
            } catch {
                continuation.finish()
                throw error
            }
        }
        return stream
    }

    private static func ended(_ ending: Ending, _ stream: AsyncStream<Delivery>, _ continuation: AsyncStream<Delivery>.Continuation) -> AsyncStream<Delivery> {
        continuation.yield(.ended(ending))
        continuation.finish()
        return stream
    }

    /// For a graceful shutdown: refuses new commands and streams, waits for the commands under
    /// way to be stored, then ends every stream (with ``Ending/shuttingDown``).
    public func shutDown() async {
        shuttingDown = true
        if !busy.isEmpty { await withCheckedContinuation { drained.append($0) } }
        for listeners in subscribers.values {
            for listener in listeners.values {
                listener.continuation.yield(.ended(.shuttingDown))
                listener.continuation.finish()
            }
        }
        subscribers = [:]
        metrics.streams(0)
    }

    /// The talks' record moved on under this command (another process wrote to the store): the
    /// command was not recorded, and may be sent again (409).
    public struct ChangedMeanwhile: Error, CustomStringConvertible {
        public var description: String { "the talks changed while this was decided; nothing was recorded: send it again" }
    }

    /// The link a command came with was replaced, or its member removed, before the command was
    /// decided (401, with the reason).
    public struct LinkRevoked: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// A command that came after the server began shutting down (503: try again).
    public struct ShuttingDown: Error, CustomStringConvertible {
        public var description: String { "the server is shutting down; try again shortly" }
    }

    private func unsubscribe(_ key: UUID, from id: TalksID) {
        guard subscribers[id]?.removeValue(forKey: key) != nil else { return }
        if subscribers[id]?.isEmpty == true { subscribers[id] = nil }
        metrics.streams(openStreamsCount)
    }

    private func publish(_ events: [RecordedEvent], stored links: [RecordChain.Link], in id: TalksID, state: TalksState) {
        guard let listeners = subscribers[id], !listeners.isEmpty else { return }
        // Members who read the same channels receive the same text: written once for them.
        var written: [Int: [String]] = [:]
        for (key, listener) in listeners {
            guard let member = state.members[listener.member], state.linkVersion(of: member.id) == listener.version else {
                listener.continuation.yield(.ended(.revoked))
                listener.continuation.finish()
                unsubscribe(key, from: id)
                continue
            }
            let view = MemberView(of: member, in: state)
            let texts = written[view.viewNumber] ?? zip(events, links).compactMap { view.presentJSON($0, stored: $1.json) }
            written[view.viewNumber] = texts
            for text in texts {
                if case .dropped = listener.continuation.yield(.event(text)) {
                    // Too far behind: closed, rather than holding an ever longer queue.
                    listener.continuation.finish()
                    unsubscribe(key, from: id)
                    break
                }
            }
        }
    }

    /// A command as the hub carries it until it is decided.
    struct Order: Sendable {
        var command: TalksCommand
        var member: MemberID
        /// The version of the link the member came with: checked on the state decided on.
        var link: Int?
        /// Whether `command` is written in the member's own numbers (``MemberView``).
        var inMembersNumbers = false
        /// What to do with the state the command leads to before its events are stored.
        var prepare: Prepare?
    }

    /// What a command does with the state it leads to before its events are stored.
    typealias Prepare = @Sendable (TalksState) async throws -> Void

    /// Decides `command`, lets `prepare` act on the state it leads to (still unrecorded), then
    /// stores the events and tells the subscribers. One command at a time per talks.
    private func perform(
        _ command: TalksCommand, in id: TalksID, by member: MemberID, link: Int? = nil, inMembersNumbers: Bool = false,
        prepare: Prepare? = nil
    ) async throws -> (links: [RecordChain.Link], state: TalksState) {
        guard !shuttingDown else { throw ShuttingDown() }
        let started = ContinuousClock.now
        do {
            let order = Order(command: command, member: member, link: link, inMembersNumbers: inMembersNumbers, prepare: prepare)
            let result = try await performInTurn(order, in: id)
            if !command.isCountedNowhere {
                metrics.command(command.kind, refused: false, nanoseconds: Self.nanoseconds(since: started))
                metrics.appended(result.links.count)
            }
            return result
        } catch {
            if !command.isCountedNowhere { metrics.command(command.kind, refused: true, nanoseconds: Self.nanoseconds(since: started)) }
            throw error
        }
    }

    private static func nanoseconds(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
    }

    private func performInTurn(_ order: Order, in id: TalksID) async throws -> (links: [RecordChain.Link], state: TalksState) {
        await acquire(id)
        defer { release(id) }
        var entry = try await load(id)
        let links: [RecordChain.Link]
        do {
            if let shared {
                links = try await append(order, in: id, to: shared, entry: &entry)
            } else {
                links = try await store.append(try await decide(order, in: id, after: []), to: id)
            }
        } catch {
            // Decided but not stored: the state ran ahead of the record; read it again next time.
            if entry.decided != nil || loaded[id] !== entry { forget(id) }
            // The store's refusal names the record's numbers ("expects event 41 next"), which
            // count events the member may not see: they get a refusal without them.
            if case StoreError.conflict = error { throw ChangedMeanwhile() }
            throw error
        }
        let events = entry.decided ?? []
        entry.decided = nil
        for (link, event) in zip(links, events) { entry.chain.check(link, event: event) }
        entry.seq = links.last?.seq ?? entry.seq
        publish(events, stored: links, in: id, state: entry.talks.state)
        return (links, entry.talks.state)
    }

    /// Decides `order` and appends its events to the shared store. Decided on the state held and
    /// appended in one round trip when no other instance wrote to the talks meanwhile; otherwise
    /// decided again while the store holds the talks, after what the others appended. An order
    /// that prepares something outside the record (a credential, which may be saved only once)
    /// always takes the second way.
    private func append(_ order: Order, in id: TalksID, to shared: any SharedTalksStore, entry: inout Loaded) async throws -> [RecordChain.Link] {
        if order.prepare == nil {
            let head = entry.chain.head
            let links = RecordChain.link(try await decide(order, in: id, after: []), after: head.hash)
            if try await shared.appendIfLatest(links, to: id) { return links }
            // Another instance wrote first: the state held ran ahead of the record.
            entry = try await rewind(id, to: head.seq)
        }
        return try await shared.append(to: id, after: entry.seq) { caughtUp in
            try await self.decide(order, in: id, after: caughtUp)
        }
    }

    /// Folds in `caughtUp` (what other instances appended), then decides `order` for the loaded
    /// talks `id` and runs its `prepare`; the talks runs ahead of the record with the events
    /// returned (``Loaded/decided``) until they are stored.
    private func decide(_ order: Order, in id: TalksID, after caughtUp: [RecordChain.Link]) async throws -> [RecordedEvent] {
        // Held in turn, so neither evicted nor replaced since `performInTurn` loaded it.
        guard let entry = loaded[id] else { throw ChangedMeanwhile() }
        try fold(caughtUp, into: entry, of: id)
        if let link = order.link, let revoked = Self.revocation(of: order.member, link: link, in: entry.talks.state) { throw revoked }
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

    /// Folds `links`, the events after those `entry` holds, into it and tells its subscribers.
    private func fold(_ links: [RecordChain.Link], into entry: Loaded, of id: TalksID) throws {
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
        publish(events, stored: links, in: id, state: entry.talks.state)
    }

    /// The talks `id` as the store has it now: on a shared store, what other instances
    /// appended is read first. Every request's authentication goes through here, so no
    /// instance trusts a link that another has replaced or a member it has removed.
    private func current(_ id: TalksID) async throws -> Loaded {
        let entry = try await load(id)
        guard let shared, try await shared.lastSeq(of: id) > entry.seq else { return entry }
        try await catchUp(id)
        return try await load(id)
    }

    /// Reads what other instances appended to `id` since this one last saw it.
    private func catchUp(_ id: TalksID) async throws {
        await acquire(id)
        defer { release(id) }
        guard let entry = loaded[id] else { return }
        let links = try await store.links(of: id, after: entry.seq, limit: nil)
        guard loaded[id] === entry else { return }
        try fold(links, into: entry, of: id)
    }

    /// Hands the streams of this instance what other instances append, until the task running
    /// it is cancelled. Only for a ``SharedTalksStore``; returns at once for any other.
    ///
    /// Talks are caught up side by side, and the notices that come for one talks while it is
    /// being caught up are answered by one more read, not one each: a busy talks costs a read
    /// per round trip, not per event.
    public func followOtherInstances() async {
        guard let shared else { return }
        await withDiscardingTaskGroup { group in
            for await notice in shared.appendNotices() {
                switch notice {
                case .appended(let id, let lastSeq, let links):
                    // Every talks held is kept up to date, streams or not: a command decided on a
                    // state behind the record is refused by the store and costs reading it again.
                    guard let entry = loaded[id], entry.seq < lastSeq else { continue }
                    if !fold(links, announcedFor: entry, of: id) { follow(id, to: lastSeq, in: &group) }
                case .missedSome:
                    for id in Array(loaded.keys) { follow(id, to: .max, in: &group) }
                }
            }
        }
    }

    /// Folds `links`, announced with their append, into `entry` when they come right after it and
    /// nothing else is under way on the talks (a command, a catch-up); says whether it did.
    private func fold(_ links: [RecordChain.Link], announcedFor entry: Loaded, of id: TalksID) -> Bool {
        guard links.first?.seq == entry.seq + 1, !busy.contains(id), behind[id] == nil else { return false }
        do {
            try fold(links, into: entry, of: id)
        } catch {
            // The notice did not match the record: the streams start again from the store.
            forget(id)
        }
        return true
    }

    /// Catches `id` up to at least event `lastSeq` (`.max`: to whatever the store holds now),
    /// unless a catch-up under way will.
    private func follow(_ id: TalksID, to lastSeq: Int, in group: inout DiscardingTaskGroup) {
        if let heard = behind[id] {
            behind[id] = max(heard, lastSeq)
            return
        }
        behind[id] = lastSeq
        group.addTask { await self.catchUpWhileBehind(id) }
    }

    /// Reads `id` from the store until it holds what the notices heard meanwhile announce.
    private func catchUpWhileBehind(_ id: TalksID) async {
        while true {
            let heard = behind[id] ?? 0
            await catchUpOrClose(id)
            let newer = behind[id] ?? 0
            // Nothing heard during the read (it began after every notice so far), or it read that.
            if newer == heard || (loaded[id]?.seq ?? .max) >= newer {
                behind[id] = nil
                return
            }
        }
    }

    /// Catches up the talks `id` held and its streams; when the store cannot be read, lets go of
    /// it instead (its streams' clients reconnect and resume from their own numbers). A talks let
    /// go meanwhile is read afresh when next asked for.
    private func catchUpOrClose(_ id: TalksID) async {
        do {
            try await catchUp(id)
        } catch {
            forget(id)
        }
    }

    /// Lets go of the loaded talks `id`. Its streams end too, without an ending (as for a
    /// client too far behind): they were served from what was let go, and their clients
    /// reconnect with the number they last received.
    private func forget(_ id: TalksID) {
        loaded[id] = nil
        metrics.loaded(loaded.count)
        for listener in subscribers[id]?.values ?? [:].values { listener.continuation.finish() }
        subscribers[id] = nil
        metrics.streams(openStreamsCount)
    }

    /// The loaded talks `id`, read from the store (page by page, its chain checked) if need be.
    private func load(_ id: TalksID) async throws -> Loaded {
        if let entry = loaded[id] {
            touch(entry)
            return entry
        }
        let read = try await read(id, through: nil)
        // Another task may have loaded it meanwhile (and written since): theirs is current.
        if let entry = loaded[id] {
            touch(entry)
            return entry
        }
        keep(read, as: id)
        return read
    }

    /// The talks `id` held in turn, read again up to event `seq`: what its streams were handed.
    /// They stay open; what comes after reaches them as it is folded in.
    private func rewind(_ id: TalksID, to seq: Int) async throws -> Loaded {
        let entry = try await read(id, through: seq)
        keep(entry, as: id)
        return entry
    }

    /// The talks `id` from the store, up to event `last` or all of it.
    private func read(_ id: TalksID, through last: Int?) async throws -> Loaded {
        var talks = Talks(folding: [])
        var chain = RecordChain.Checker()
        var after = 0
        while true {
            let limit = min(Self.pageSize, (last ?? .max) - after)
            guard limit > 0 else { break }
            let page = try await store.links(of: id, after: after, limit: limit)
            for link in page {
                guard let event = chain.check(link) else { throw UnreadableRecord(talks: id, seq: link.seq) }
                talks.replay(event)
            }
            after = page.last?.seq ?? after
            if page.count < limit { break }
        }
        guard after > 0 else { throw StoreError.notFound("no talks '\(id)'") }
        return Loaded(talks: talks, chain: chain, seq: after)
    }

    private func touch(_ entry: Loaded) {
        clock += 1
        entry.lastUse = clock
    }

    /// Holds `entry`; past the bound, lets go of the least recently used tenth, never a talks
    /// with a command under way or with streams open (their streams are served from it).
    private func keep(_ entry: Loaded, as id: TalksID) {
        touch(entry)
        loaded[id] = entry
        metrics.loaded(loaded.count)
        guard loaded.count > maxLoadedTalks else { return }
        let target = maxLoadedTalks - maxLoadedTalks / 10
        let candidates = loaded.filter { $0.key != id && !busy.contains($0.key) && subscribers[$0.key] == nil }
            .sorted { $0.value.lastUse < $1.value.lastUse }
        for candidate in candidates.prefix(max(loaded.count - target, 0)) { loaded[candidate.key] = nil }
        metrics.loaded(loaded.count)
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
            if busy.isEmpty, !drained.isEmpty {
                for waiter in drained { waiter.resume() }
                drained = []
            }
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
        RecordDigest.hex(token.utf8)
    }
}
