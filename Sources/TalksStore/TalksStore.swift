public import Talks

/// The kind of thing a ``TalksID`` names.
public enum StoredTalks {}

/// Names one talks in a store.
public typealias TalksID = Identifier<StoredTalks>

/// Where the record of every talks is kept: append-only, hash-chained, durable; and, beside
/// the record, who may open talks (operators) and which tokens open which seat (credentials).
///
/// Implementations: ``MemoryTalksStore`` for tests, `SQLiteTalksStore` (one file, WAL) by
/// default, and later PostgreSQL. All run the same conformance suite (`TalksTesting`).
public protocol TalksStore: Sendable {
    /// Starts a talks with its first event; `openedBy` names the operator who opened it.
    ///
    /// - Throws: ``StoreError/conflict(_:)`` when the id is taken or the event is not number 1.
    func create(_ talks: TalksID, first: RecordedEvent, openedBy: String?) async throws -> RecordChain.Link

    /// Appends `events`, which must continue the talks' sequence, chaining each to the one before.
    /// Returns only once they are durable: an acknowledged event survives a crash.
    ///
    /// - Throws: ``StoreError/notFound(_:)`` for an unknown talks; ``StoreError/conflict(_:)``
    ///   when the numbers do not follow the last stored event. Nothing is stored when it throws.
    func append(_ events: [RecordedEvent], to talks: TalksID) async throws -> [RecordChain.Link]

    /// The stored events of a talks after sequence number `after`, in order: all of them, or
    /// the first `limit`.
    ///
    /// - Throws: ``StoreError/notFound(_:)`` for an unknown talks.
    func links(of talks: TalksID, after: Int, limit: Int?) async throws -> [RecordChain.Link]

    /// The stored events of a talks numbered `seqs` (ascending), in order; numbers past the end
    /// are left out.
    func links(of talks: TalksID, seqs: [Int]) async throws -> [RecordChain.Link]

    /// Every talks in the store.
    func allTalks() async throws -> [TalksID]

    /// The talks that the operator named `name` opened, in the order they were opened.
    func talks(openedBy name: String) async throws -> [TalksID]

    /// Records that the token whose hash is `tokenHash` opens `member`'s seat in `talks` while
    /// the member's link is at `version` (see `TalksState.linkVersions`). Credentials are never
    /// deleted: a replaced or removed member's old token is refused by the talks' state, and
    /// kept so that its holder can be told why.
    ///
    /// - Throws: ``StoreError/conflict(_:)`` when the hash is already stored.
    func saveCredential(tokenHash: String, talks: TalksID, member: MemberID, version: Int) async throws

    /// The credential of the token whose hash is `tokenHash`, if any.
    func credential(tokenHash: String) async throws -> Credential?

    /// Notes that the token whose hash is `tokenHash` has been used (its link was opened).
    func markOpened(tokenHash: String) async throws

    /// The links of `talks` that have been opened, as (member, version) pairs.
    func openedLinks(in talks: TalksID) async throws -> Set<MemberLink>

    /// Adds an operator whose token hashes to `tokenHash`.
    ///
    /// - Throws: ``StoreError/conflict(_:)`` when the name is taken.
    func addOperator(_ name: String, tokenHash: String, time: Double) async throws

    /// Every operator, by name.
    func operators() async throws -> [Operator]

    /// Removes the operator named `name`; returns whether there was one.
    func removeOperator(_ name: String) async throws -> Bool

    /// The name of the operator whose token hashes to `tokenHash`, if any.
    func operatorName(tokenHash: String) async throws -> String?

    /// Every credential, by its token's hash: for copying a deployment to another store.
    func allCredentials() async throws -> [String: Credential]

    /// Every operator's token hash, by name: for copying a deployment to another store.
    func operatorTokenHashes() async throws -> [String: String]

    /// Returns when the store answers a read; throws when it does not (`GET /health`).
    func ping() async throws
}

/// A store that several server instances share (PostgreSQL): any of them may append to any
/// talks at any time.
///
/// An instance that holds a talks in memory asks ``lastSeq(of:)`` before it trusts what it
/// holds, appends through ``append(to:after:decide:)`` so that the store orders decisions across
/// instances, and follows ``appendNotices()`` to hand other instances' events to its streams.
public protocol SharedTalksStore: TalksStore {
    /// The number of the last stored event of `talks`.
    ///
    /// - Throws: ``StoreError/notFound(_:)`` for an unknown talks.
    func lastSeq(of talks: TalksID) async throws -> Int

    /// Holds `talks` for the caller, across every instance, while `decide` is handed the events
    /// stored after `known` (those other instances appended) and returns the events to append;
    /// then appends them. Decisions on one talks are thereby ordered by the store, and none is
    /// made on a stale state.
    ///
    /// - Throws: what `decide` throws (nothing is appended), or what ``append(_:to:)`` throws.
    func append(
        to talks: TalksID, after known: Int, decide: @escaping @Sendable ([RecordChain.Link]) async throws -> [RecordedEvent]
    ) async throws -> [RecordChain.Link]

    /// Appends `links`, already chained to the talks' last event as the caller knows it, unless
    /// another instance appended first; then appends nothing and returns false. One round trip
    /// where ``append(to:after:decide:)`` takes several: for an instance that decided on the state
    /// it holds and rarely meets a writer on another instance.
    ///
    /// - Throws: ``StoreError/notFound(_:)`` for an unknown talks.
    func appendIfLatest(_ links: [RecordChain.Link], to talks: TalksID) async throws -> Bool

    /// Every append through another store on the same database (another instance), as it
    /// commits: the talks and its new last number (this store's own are left out). After a
    /// gap in the notices (the store's listener reconnected), ``AppendNotice/missedSome`` says
    /// that any talks may have moved on. The sequence runs until the caller stops reading it.
    func appendNotices() -> AsyncStream<AppendNotice>
}

/// What a shared store tells its instances of appends.
public enum AppendNotice: Sendable, Hashable {
    /// The talks and its new last number; `links`, the events appended, when they were small
    /// enough to come with the notice (otherwise empty: read them from the store).
    case appended(TalksID, lastSeq: Int, links: [RecordChain.Link] = [])
    /// Notices may have been lost: every talks may have moved on.
    case missedSome
}

extension TalksStore {
    /// Every stored event of a talks after sequence number `after`, in order.
    public func links(of talks: TalksID, after: Int) async throws -> [RecordChain.Link] {
        try await links(of: talks, after: after, limit: nil)
    }
}

/// A token's seat: the talks, the member, and the version of the member's link it was issued
/// for. A later version (a replaced link) makes it worthless.
public struct Credential: Hashable, Sendable {
    public var talks: TalksID
    public var member: MemberID
    public var version: Int
    /// Whether the token has been used.
    public var opened: Bool

    public init(talks: TalksID, member: MemberID, version: Int, opened: Bool) {
        self.talks = talks
        self.member = member
        self.version = version
        self.opened = opened
    }
}

/// One version of one member's link.
public struct MemberLink: Hashable, Sendable {
    public var member: MemberID
    public var version: Int

    public init(member: MemberID, version: Int) {
        self.member = member
        self.version = version
    }
}

/// A person who may open talks on the server.
public struct Operator: Hashable, Sendable {
    public var name: String
    /// When they were added, in seconds since 1970.
    public var added: Double

    public init(name: String, added: Double) {
        self.name = name
        self.added = added
    }
}

/// Why a store refused.
public enum StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    case notFound(String)
    case conflict(String)
    /// What was asked of the store is malformed (an operator's name with spaces).
    case invalid(String)
    /// The database cannot be reached now; nothing was done, and the same request may succeed
    /// shortly.
    case unavailable(String)

    public var description: String {
        switch self {
        case .notFound(let message), .conflict(let message), .invalid(let message), .unavailable(let message): message
        }
    }
}

extension StoreError {
    /// Every store's rule for an operator's name: 1 to 64 letters, digits, `.`, `_` or `-`, so
    /// that it reads the same in a shell, a log and a page.
    package static func checkOperatorName(_ name: String) throws(StoreError) {
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
        guard (1...64).contains(name.count), allowed else {
            throw .invalid("an operator's name is 1 to 64 letters, digits, '.', '_' or '-'; '\(name)' is not")
        }
    }

    /// Every store's rule for an append: events number on from `last` without gaps.
    package static func checkSequence(_ events: [RecordedEvent], after last: Int, talks: TalksID) throws(StoreError) {
        for (offset, event) in events.enumerated() where event.seq != last + offset + 1 {
            throw .conflict("talks '\(talks)' expects event \(last + offset + 1) next, not \(event.seq)")
        }
    }
}

extension TalksStore {
    /// Starts a talks opened by no operator (the demo, tests).
    public func create(_ talks: TalksID, first: RecordedEvent) async throws -> RecordChain.Link {
        try await create(talks, first: first, openedBy: nil)
    }

    /// Checks every talks' hash chain; returns the talks whose chain is broken, with the reason.
    public func verifyAll() async throws -> [(talks: TalksID, verification: RecordChain.Verification)] {
        var results: [(TalksID, RecordChain.Verification)] = []
        for talks in try await allTalks() {
            results.append((talks, RecordChain.verify(try await links(of: talks, after: 0))))
        }
        return results
    }

    /// The talks rebuilt from its stored events.
    public func load(_ talks: TalksID) async throws -> (talks: Talks, events: [RecordedEvent]) {
        let events = try await links(of: talks, after: 0).map { try RecordChain.decode($0.json) }
        guard !events.isEmpty else { throw StoreError.notFound("no talks '\(talks)'") }
        return (Talks(folding: events), events)
    }
}
