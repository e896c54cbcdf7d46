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

    /// Appends `links` if they follow the talks' last stored event; otherwise stores nothing and
    /// answers `false`: another writer (an instance, a process) appended first, and the caller
    /// reads what it wrote and decides again. Returns only once they are durable: an
    /// acknowledged event survives a crash. This is the only way events enter a record.
    ///
    /// The caller owns the chain: it links the events to the last one it holds
    /// (``RecordChain/link(_:after:)``), and the store checks their numbers, not their hashes,
    /// which every reader checks (``RecordChain/Checker``).
    ///
    /// - Throws: ``StoreError/notFound(_:)`` for an unknown talks; ``StoreError/conflict(_:)`` for
    ///   links that do not number on from one another. Nothing is stored when it throws.
    func append(_ links: [RecordChain.Link], to talks: TalksID) async throws -> Bool

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

    /// The server's signing key (a signed-note signer key's text): `candidate` is stored when
    /// the store holds none, and the stored key is returned either way, so that every instance
    /// on one store signs with the key the first one made. With `nil`, only reads it.
    ///
    /// A secret: it signs the checkpoints members verify (see `TransparencyLog`).
    func signingKey(storingIfNone candidate: String?) async throws -> String?
}

/// A store that several server instances share (PostgreSQL): any of them may append to any
/// talks at any time.
///
/// An instance that holds a talks in memory asks ``lastSeq(of:)`` before it trusts what it
/// holds for a read (a command finds out from its append, ``TalksStore/append(_:to:)``, and
/// after losing that race a few times in a row, appends holding the talks), and follows
/// ``appendNotices()`` to hand other instances' events to its streams.
public protocol SharedTalksStore: TalksStore {
    /// The number of the last stored event of `talks`.
    ///
    /// - Throws: ``StoreError/notFound(_:)`` for an unknown talks.
    func lastSeq(of talks: TalksID) async throws -> Int

    /// Holds `talks` against every other writer while `link` is handed the events stored after
    /// `known` and returns the links to append after them (chained by the caller, as for
    /// ``TalksStore/append(_:to:)``); then appends them and releases the talks.
    ///
    /// For a writer that keeps losing the race of ``TalksStore/append(_:to:)`` to a busier one
    /// on another instance: the store orders it rather than let it starve. It costs a
    /// transaction held across the caller's decision, so it is the exception, not the way.
    ///
    /// - Throws: what `link` throws (nothing is appended), ``StoreError/notFound(_:)`` for an
    ///   unknown talks, ``StoreError/conflict(_:)`` for links that do not follow.
    func append(
        to talks: TalksID,
        holding known: Int,
        link: @escaping @Sendable ([RecordChain.Link]) async throws -> [RecordChain.Link]
    ) async throws -> [RecordChain.Link]

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

    /// Every store's rule for an append: whether `links` start right after the stored event
    /// `last` (if not, another writer came first); they must number on from one another.
    package static func follows(_ links: [RecordChain.Link], after last: Int, talks: TalksID) throws(StoreError) -> Bool
    {
        guard let first = links.first, first.seq == last + 1 else { return links.isEmpty }
        for (offset, link) in links.enumerated() where link.seq != first.seq + offset {
            throw .conflict(
                "the events appended to talks '\(talks)' jump from \(first.seq + offset - 1) to \(link.seq)"
            )
        }
        return true
    }
}

extension TalksStore {
    /// Appends `events`, chained to the talks' stored event before the first of them: for tools
    /// and tests that hold no chain of their own (the server's hub chains its own).
    ///
    /// - Throws: ``StoreError/conflict(_:)`` when they do not follow the last stored event;
    ///   ``StoreError/notFound(_:)`` for an unknown talks. Nothing is stored when it throws.
    public func append(_ events: [RecordedEvent], to talks: TalksID) async throws -> [RecordChain.Link] {
        guard let first = events.first else { return [] }
        let previous = first.seq > 1 ? try await links(of: talks, seqs: [first.seq - 1]).first : nil
        let chained = RecordChain.link(events, after: previous?.hash ?? RecordChain.genesis)
        guard first.seq == 1 || previous != nil, try await append(chained, to: talks) else {
            // Only to say where the record stands: a refusal, not the hot path.
            var last = try await links(of: talks, after: first.seq - 1).last?.seq
            if last == nil { last = try await links(of: talks, after: 0).last?.seq }
            throw StoreError.conflict("talks '\(talks)' expects event \((last ?? 0) + 1) next, not \(first.seq)")
        }
        return chained
    }

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
