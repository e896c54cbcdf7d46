public import Talks

/// A store in memory, for tests and for trying things out. Nothing survives the process.
public actor MemoryTalksStore: TalksStore {
    private var records: [TalksID: [RecordChain.Link]] = [:]
    private var credentials: [String: (TalksID, MemberID)] = [:]

    public init() {}

    public func create(_ talks: TalksID, first: RecordedEvent) throws -> RecordChain.Link {
        guard records[talks] == nil else { throw StoreError.conflict("talks '\(talks)' already exists") }
        guard first.seq == 1 else { throw StoreError.conflict("a talks starts with event 1, not \(first.seq)") }
        let link = RecordChain.link([first], after: RecordChain.genesis)[0]
        records[talks] = [link]
        return link
    }

    public func append(_ events: [RecordedEvent], to talks: TalksID) throws -> [RecordChain.Link] {
        guard let record = records[talks] else { throw StoreError.notFound("no talks '\(talks)'") }
        try StoreError.checkSequence(events, after: record.last?.seq ?? 0, talks: talks)
        let links = RecordChain.link(events, after: record.last?.hash ?? RecordChain.genesis)
        records[talks]!.append(contentsOf: links)
        return links
    }

    public func links(of talks: TalksID, after: Int) throws -> [RecordChain.Link] {
        guard let record = records[talks] else { throw StoreError.notFound("no talks '\(talks)'") }
        return record.filter { $0.seq > after }
    }

    public func allTalks() -> [TalksID] { records.keys.sorted() }

    public func saveCredential(tokenHash: String, talks: TalksID, member: MemberID) throws {
        guard credentials[tokenHash] == nil else { throw StoreError.conflict("the token is already in use") }
        credentials[tokenHash] = (talks, member)
    }

    public func credential(tokenHash: String) -> (talks: TalksID, member: MemberID)? {
        credentials[tokenHash].map { (talks: $0.0, member: $0.1) }
    }
}
