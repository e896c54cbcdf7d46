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

    /// A member listening to a talks, with the version of the link they connected with: the
    /// stream ends when that link stops opening their seat.
    struct Subscriber {
        var member: MemberID
        var version: Int
        var continuation: AsyncStream<RecordChain.Link>.Continuation
    }

    /// Who a bearer token is.
    public enum Caller: Sendable {
        case member(talks: TalksID, member: Member, version: Int)
        /// A token that used to open a seat: its link was replaced, or its member removed.
        case revoked(talks: TalksID, reason: String)
        case unknown
    }

    let store: any TalksStore
    private var loaded: [TalksID: Loaded] = [:]
    private var subscribers: [TalksID: [UUID: Subscriber]] = [:]
    /// Credentials already looked up: a token never changes owner or version, so each is read
    /// from the store once. Whether it still opens a seat is asked of the talks' state every
    /// time, so this cache cannot be wrong about a replaced link or a removed member.
    private var credentials: [String: Credential] = [:]
    private var busy: Set<TalksID> = []
    private var waiting: [TalksID: [CheckedContinuation<Void, Never>]] = [:]
    private let now: @Sendable () -> Double

    /// - Parameter now: the clock, in seconds since 1970 (the system's when `nil`).
    public init(store: any TalksStore, now: (@Sendable () -> Double)? = nil) {
        self.store = store
        self.now = now ?? { Date().timeIntervalSince1970 }
    }

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
        loaded[id] = Loaded(talks: talks, events: [first], links: [link])
        return (id, mediatorID, token)
    }

    /// Runs `command` for `member` of `id`; returns the stored events once durable.
    ///
    /// - Throws: ``TalksError`` for a refused command, ``StoreError`` from the store.
    public func execute(_ command: TalksCommand, in id: TalksID, by member: MemberID) async throws -> [RecordChain.Link] {
        try await perform(command, in: id, by: member)
    }

    /// Invites a delegate and returns their id and token.
    ///
    /// The credential is stored before the invitation: a failure in between leaves a token for a
    /// member who does not exist, which opens nothing, rather than a member without a token.
    public func invite(party: String, name: String, role: Role, affiliation: String?, in id: TalksID, by member: MemberID) async throws -> (MemberID, String) {
        let memberID = MemberID(Tokens.identifier())
        let token = Tokens.token()
        try await store.saveCredential(tokenHash: Tokens.hash(token), talks: id, member: memberID, version: 0)
        _ = try await execute(.invite(id: memberID, party: party, name: name, role: role, affiliation: affiliation), in: id, by: member)
        return (memberID, token)
    }

    /// Gives `target` a new link and returns its token. Their earlier tokens stop working as
    /// soon as the replacement is recorded, and their open streams close.
    public func replaceLink(of target: MemberID, in id: TalksID, by member: MemberID) async throws -> String {
        let token = Tokens.token()
        _ = try await perform(.replaceLink(member: target), in: id, by: member) { talks in
            // Saved before the replacement is recorded: until then the new token opens nothing.
            try await self.store.saveCredential(tokenHash: Tokens.hash(token), talks: id, member: target, version: talks.state.linkVersion(of: target))
        }
        return token
    }

    /// Who holds `token`: a member whose link it still is, a revoked link, or nobody.
    public func authenticate(token: String) async throws -> Caller {
        let hash = Tokens.hash(token)
        var found = credentials[hash]
        if found == nil { found = try await store.credential(tokenHash: hash) }
        guard var credential = found else { return .unknown }
        // Cached whatever its fate: a revoked token asked again is answered without the store.
        credentials[hash] = credential
        let state = try await load(credential.talks).talks.state
        if state.removedMembers.contains(credential.member) {
            return .revoked(talks: credential.talks, reason: "this link's member was removed from the talks")
        }
        guard let member = state.members[credential.member] else { return .unknown }
        guard credential.version == state.linkVersion(of: member.id) else {
            return .revoked(talks: credential.talks, reason: "this link was replaced by a newer one; ask the mediator for it")
        }
        if !credential.opened {
            try await store.markOpened(tokenHash: hash)
            credential.opened = true
            credentials[hash] = credential
        }
        return .member(talks: credential.talks, member: member, version: credential.version)
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
    /// The stream finishes when `version` stops being the member's link (replaced, or the
    /// member removed), at once if it already has.
    public func subscribe(to id: TalksID, as member: MemberID, version: Int, after: Int) async throws -> AsyncStream<RecordChain.Link> {
        let backlog = try await visibleLinks(in: id, for: member, after: after)
        let (stream, continuation) = AsyncStream.makeStream(of: RecordChain.Link.self, bufferingPolicy: .unbounded)
        // The link may have been revoked since the caller authenticated: check before a single
        // event goes out, with no suspension between the check, the backlog and registering
        // (`load` suspends only on a cold talks, and it was just loaded).
        let state = try await load(id).talks.state
        guard state.members[member] != nil, state.linkVersion(of: member) == version else {
            continuation.finish()
            return stream
        }
        for link in backlog { continuation.yield(link) }
        let key = UUID()
        subscribers[id, default: [:]][key] = Subscriber(member: member, version: version, continuation: continuation)
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
        for (key, listener) in listeners {
            guard let member = state.members[listener.member], state.linkVersion(of: member.id) == listener.version else {
                // The link this stream was opened with no longer opens the seat.
                listener.continuation.finish()
                subscribers[id]?[key] = nil
                continue
            }
            for (link, event) in zip(links, events) where Visibility.canSee(member, event, in: state) {
                listener.continuation.yield(link)
            }
        }
    }

    /// Decides `command`, lets `prepare` act on the state it leads to (still unrecorded), then
    /// stores the events and tells the subscribers. One command at a time per talks.
    private func perform(
        _ command: TalksCommand, in id: TalksID, by member: MemberID, prepare: (Talks) async throws -> Void = { _ in }
    ) async throws -> [RecordChain.Link] {
        await acquire(id)
        defer { release(id) }
        let entry = try await load(id)
        // `handle` changes nothing when it refuses.
        let events = try entry.talks.handle(command, by: member, time: now())
        let links: [RecordChain.Link]
        do {
            try await prepare(entry.talks)
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
        RecordDigest.hex(token.utf8)
    }
}
