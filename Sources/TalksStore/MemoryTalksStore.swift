public import Talks

/// A store in memory, for tests and for trying things out. Nothing survives the process.
public actor MemoryTalksStore: TalksStore {
    private var records: [TalksID: [RecordChain.Link]] = [:]
    /// Every talks in the order it was opened, with the operator who opened it.
    private var opened: [(talks: TalksID, by: String?)] = []
    private var credentials: [String: Credential] = [:]
    private var operatorsByName: [String: (tokenHash: String, added: Double)] = [:]
    private var signingKey: String?

    public init() {}

    public func create(_ talks: TalksID, first: RecordedEvent, openedBy: String?) throws -> RecordChain.Link {
        guard records[talks] == nil else { throw StoreError.conflict("talks '\(talks)' already exists") }
        guard first.seq == 1 else { throw StoreError.conflict("a talks starts with event 1, not \(first.seq)") }
        let link = RecordChain.link([first], after: RecordChain.genesis)[0]
        records[talks] = [link]
        opened.append((talks, openedBy))
        return link
    }

    public func append(_ links: [RecordChain.Link], to talks: TalksID) throws -> Bool {
        guard let record = records[talks] else { throw StoreError.notFound("no talks '\(talks)'") }
        guard try StoreError.follows(links, after: record.last?.seq ?? 0, talks: talks) else { return false }
        records[talks]!.append(contentsOf: links)
        return true
    }

    public func links(of talks: TalksID, after: Int, limit: Int?) throws -> [RecordChain.Link] {
        guard let record = records[talks] else { throw StoreError.notFound("no talks '\(talks)'") }
        // Sequence numbers are 1, 2, 3…: event n is at index n - 1.
        return Array(record.dropFirst(max(after, 0)).prefix(limit ?? record.count))
    }

    public func links(of talks: TalksID, seqs: [Int]) throws -> [RecordChain.Link] {
        guard let record = records[talks] else { throw StoreError.notFound("no talks '\(talks)'") }
        return seqs.compactMap { record.indices.contains($0 - 1) ? record[$0 - 1] : nil }
    }

    public func allTalks() -> [TalksID] { records.keys.sorted() }

    public func talks(openedBy name: String) -> [TalksID] { opened.filter { $0.by == name }.map(\.talks) }

    public func saveCredential(tokenHash: String, talks: TalksID, member: MemberID, version: Int) throws {
        guard credentials[tokenHash] == nil else { throw StoreError.conflict("the token is already in use") }
        credentials[tokenHash] = Credential(talks: talks, member: member, version: version, opened: false)
    }

    public func credential(tokenHash: String) -> Credential? { credentials[tokenHash] }

    public func markOpened(tokenHash: String) { credentials[tokenHash]?.opened = true }

    public func openedLinks(in talks: TalksID) -> Set<MemberLink> {
        Set(
            credentials.values.filter { $0.talks == talks && $0.opened }.map {
                MemberLink(member: $0.member, version: $0.version)
            }
        )
    }

    public func addOperator(_ name: String, tokenHash: String, time: Double) throws {
        try StoreError.checkOperatorName(name)
        guard operatorsByName[name] == nil else {
            throw StoreError.conflict("there is already an operator named '\(name)'")
        }
        operatorsByName[name] = (tokenHash, time)
    }

    public func operators() -> [Operator] {
        operatorsByName.map { Operator(name: $0.key, added: $0.value.added) }.sorted { $0.name < $1.name }
    }

    public func removeOperator(_ name: String) -> Bool { operatorsByName.removeValue(forKey: name) != nil }

    public func ping() {}

    public func signingKey(storingIfNone candidate: String?) -> String? {
        if signingKey == nil { signingKey = candidate }
        return signingKey
    }

    public func allCredentials() -> [String: Credential] { credentials }

    public func operatorTokenHashes() -> [String: String] { operatorsByName.mapValues(\.tokenHash) }

    public func operatorName(tokenHash: String) -> String? {
        operatorsByName.first { $0.value.tokenHash == tokenHash }?.key
    }
}
