public import Talks

/// The kind of thing a ``TalksID`` names.
public enum StoredTalks {}

/// Names one talks in a store.
public typealias TalksID = Identifier<StoredTalks>

/// Where the record of every talks is kept: append-only, hash-chained, durable.
///
/// Implementations: ``MemoryTalksStore`` for tests, `SQLiteTalksStore` (one file, WAL) by
/// default, and later PostgreSQL. All run the same conformance suite (`TalksTesting`).
public protocol TalksStore: Sendable {
    /// Starts a talks with its first event.
    ///
    /// - Throws: ``StoreError/conflict(_:)`` when the id is taken or the event is not number 1.
    func create(_ talks: TalksID, first: RecordedEvent) async throws -> RecordChain.Link

    /// Appends `events`, which must continue the talks' sequence, chaining each to the one before.
    /// Returns only once they are durable: an acknowledged event survives a crash.
    ///
    /// - Throws: ``StoreError/notFound(_:)`` for an unknown talks; ``StoreError/conflict(_:)``
    ///   when the numbers do not follow the last stored event. Nothing is stored when it throws.
    func append(_ events: [RecordedEvent], to talks: TalksID) async throws -> [RecordChain.Link]

    /// The stored events of a talks after sequence number `after`, in order.
    func links(of talks: TalksID, after: Int) async throws -> [RecordChain.Link]

    /// Every talks in the store.
    func allTalks() async throws -> [TalksID]

    /// Records that the token whose hash is `tokenHash` belongs to `member` of `talks`.
    func saveCredential(tokenHash: String, talks: TalksID, member: MemberID) async throws

    /// Who holds the token whose hash is `tokenHash`, if anyone.
    func credential(tokenHash: String) async throws -> (talks: TalksID, member: MemberID)?
}

/// Why a store refused.
public enum StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    case notFound(String)
    case conflict(String)

    public var description: String {
        switch self {
        case .notFound(let message), .conflict(let message): message
        }
    }
}

extension StoreError {
    /// Every store's rule for an append: events number on from `last` without gaps.
    package static func checkSequence(_ events: [RecordedEvent], after last: Int, talks: TalksID) throws(StoreError) {
        for (offset, event) in events.enumerated() where event.seq != last + offset + 1 {
            throw .conflict("talks '\(talks)' expects event \(last + offset + 1) next, not \(event.seq)")
        }
    }
}

extension TalksStore {
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
