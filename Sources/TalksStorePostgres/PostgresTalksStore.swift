import Foundation
import Logging
import PostgresNIO
public import Talks
public import TalksStore

/// The store on PostgreSQL (vapor/postgres-nio), for a service that outgrows one process: the
/// same record, credentials and operators as the SQLite store, and the same conformance suite.
///
/// Each append locks its talks' row for the transaction, so appends to one talks are serialised
/// by the database itself, whichever process makes them; the database refuses to update, delete
/// or truncate events. Tables live in `schema` and are brought up to date by versioned
/// migrations (``PostgresMigrations``) when the store opens.
public final class PostgresTalksStore: TalksStore {
    private let client: PostgresClient
    private let running: Task<Void, Never>
    private let logger = Logger(label: "shuttle.postgres")

    /// Connects to `url` (`postgres://USER:PASSWORD@HOST:PORT/DATABASE`, `?sslmode=disable`,
    /// `prefer` (the default) or `require`) and migrates `schema`, creating it if need be.
    ///
    /// - Throws: ``StoreError/invalid(_:)`` for a malformed URL or schema name; the driver's
    ///   error when the database cannot be reached.
    public init(url: String, schema: String = "public") async throws {
        guard PostgresMigrations.isIdentifier(schema) else {
            throw StoreError.invalid("a schema name is lowercase letters, digits and '_', starting with a letter; '\(schema)' is not")
        }
        var configuration = try PostgresURL.configuration(url)
        configuration.options.additionalStartupParameters = [("search_path", schema)]
        client = PostgresClient(configuration: configuration)
        let client = self.client
        running = Task { await client.run() }
        do {
            try await Self.within(Self.connectTimeout) { [client, logger] in try await PostgresMigrations.run(on: client, schema: schema, logger: logger) }
        } catch {
            running.cancel()
            throw error
        }
    }

    /// How long opening the store may wait for the database: the driver's pool would retry for
    /// ever, and a command line should say what is wrong instead.
    static let connectTimeout: Duration = .seconds(10)

    /// The database did not answer in time.
    public struct Unreachable: Error, CustomStringConvertible {
        public var description: String { "the database did not answer within \(PostgresTalksStore.connectTimeout)" }
    }

    private static func within(_ limit: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await body(); return true }
            group.addTask { try await Task.sleep(for: limit); return false }
            let finished = try await group.next() ?? false
            group.cancelAll()
            guard finished else { throw Unreachable() }
        }
    }

    deinit {
        running.cancel()
    }

    /// Whether `text` names a PostgreSQL database (`postgres://…`) rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        PostgresURL.isPostgres(text)
    }

    /// `url` with its password hidden, for messages and logs.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "postgres://…"
    }

    public func create(_ talks: TalksID, first: RecordedEvent, openedBy: String?) async throws -> RecordChain.Link {
        guard first.seq == 1 else { throw StoreError.conflict("a talks starts with event 1, not \(first.seq)") }
        let link = RecordChain.link([first], after: RecordChain.genesis)[0]
        try await transaction { connection in
            let inserted = try await connection.query(
                "INSERT INTO talks (id, opened_by) VALUES (\(talks.rawValue), \(openedBy)) ON CONFLICT DO NOTHING RETURNING id", logger: logger)
            guard try await inserted.collect().count == 1 else { throw StoreError.conflict("talks '\(talks)' already exists") }
            try await connection.query(
                "INSERT INTO event (talks, seq, json, hash) VALUES (\(talks.rawValue), \(link.seq), \(link.json), \(link.hash))", logger: logger)
        }
        return link
    }

    public func append(_ events: [RecordedEvent], to talks: TalksID) async throws -> [RecordChain.Link] {
        try await transaction { connection in
            // The row lock orders appends to this talks across every process on the database.
            let locked = try await connection.query("SELECT id FROM talks WHERE id = \(talks.rawValue) FOR UPDATE", logger: logger)
            guard try await locked.collect().count == 1 else { throw StoreError.notFound("no talks '\(talks)'") }
            var last = (seq: 0, hash: RecordChain.genesis)
            let rows = try await connection.query(
                "SELECT seq, hash FROM event WHERE talks = \(talks.rawValue) ORDER BY seq DESC LIMIT 1", logger: logger)
            for try await (seq, hash) in rows.decode((Int, String).self) { last = (seq, hash) }
            try StoreError.checkSequence(events, after: last.seq, talks: talks)
            let links = RecordChain.link(events, after: last.hash)
            try await connection.query("""
                INSERT INTO event (talks, seq, json, hash)
                SELECT \(talks.rawValue), * FROM UNNEST(\(links.map(\.seq))::bigint[], \(links.map(\.json))::text[], \(links.map(\.hash))::text[])
                """, logger: logger)
            return links
        }
    }

    public func links(of talks: TalksID, after: Int, limit: Int?) async throws -> [RecordChain.Link] {
        try await requireTalks(talks)
        // LIMIT NULL is no limit.
        return try await links(client.query(
            "SELECT seq, json, hash FROM event WHERE talks = \(talks.rawValue) AND seq > \(after) ORDER BY seq LIMIT \(limit)", logger: logger))
    }

    public func links(of talks: TalksID, seqs: [Int]) async throws -> [RecordChain.Link] {
        try await requireTalks(talks)
        guard !seqs.isEmpty else { return [] }
        return try await links(client.query(
            "SELECT seq, json, hash FROM event WHERE talks = \(talks.rawValue) AND seq = ANY(\(seqs)::bigint[]) ORDER BY seq", logger: logger))
    }

    /// `body` in a transaction; a refusal from `body` (a ``StoreError``) comes out as itself
    /// rather than wrapped in the driver's transaction error.
    private func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> sending Result) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger, body)
        } catch let error as PostgresTransactionError {
            if let refusal = error.closureError as? StoreError, error.commitError == nil { throw refusal }
            throw error
        }
    }

    private func links(_ rows: PostgresRowSequence) async throws -> [RecordChain.Link] {
        var links: [RecordChain.Link] = []
        for try await (seq, json, hash) in rows.decode((Int, String, String).self) { links.append(RecordChain.Link(seq: seq, json: json, hash: hash)) }
        return links
    }

    private func requireTalks(_ talks: TalksID) async throws {
        let found = try await client.query("SELECT id FROM talks WHERE id = \(talks.rawValue)", logger: logger)
        guard try await found.collect().count == 1 else { throw StoreError.notFound("no talks '\(talks)'") }
    }

    public func allTalks() async throws -> [TalksID] {
        try await strings(client.query(#"SELECT id FROM talks ORDER BY id COLLATE "C""#, logger: logger)).map(TalksID.init)
    }

    public func talks(openedBy name: String) async throws -> [TalksID] {
        try await strings(client.query("SELECT id FROM talks WHERE opened_by = \(name) ORDER BY opened", logger: logger)).map(TalksID.init)
    }

    private func strings(_ rows: PostgresRowSequence) async throws -> [String] {
        var values: [String] = []
        for try await value in rows.decode(String.self) { values.append(value) }
        return values
    }

    public func saveCredential(tokenHash: String, talks: TalksID, member: MemberID, version: Int) async throws {
        let inserted = try await client.query("""
            INSERT INTO credential (token_hash, talks, member, version) VALUES (\(tokenHash), \(talks.rawValue), \(member.rawValue), \(version))
            ON CONFLICT DO NOTHING RETURNING token_hash
            """, logger: logger)
        guard try await inserted.collect().count == 1 else { throw StoreError.conflict("the token is already in use") }
    }

    public func credential(tokenHash: String) async throws -> Credential? {
        let rows = try await client.query("SELECT talks, member, version, opened FROM credential WHERE token_hash = \(tokenHash)", logger: logger)
        for try await (talks, member, version, opened) in rows.decode((String, String, Int, Bool).self) {
            return Credential(talks: TalksID(talks), member: MemberID(member), version: version, opened: opened)
        }
        return nil
    }

    public func markOpened(tokenHash: String) async throws {
        try await client.query("UPDATE credential SET opened = true WHERE token_hash = \(tokenHash)", logger: logger)
    }

    public func openedLinks(in talks: TalksID) async throws -> Set<MemberLink> {
        let rows = try await client.query("SELECT member, version FROM credential WHERE talks = \(talks.rawValue) AND opened", logger: logger)
        var links: Set<MemberLink> = []
        for try await (member, version) in rows.decode((String, Int).self) { links.insert(MemberLink(member: MemberID(member), version: version)) }
        return links
    }

    public func addOperator(_ name: String, tokenHash: String, time: Double) async throws {
        try StoreError.checkOperatorName(name)
        let inserted = try await client.query(
            "INSERT INTO operator (name, token_hash, added) VALUES (\(name), \(tokenHash), \(time)) ON CONFLICT DO NOTHING RETURNING name", logger: logger)
        guard try await inserted.collect().count == 1 else { throw StoreError.conflict("there is already an operator named '\(name)'") }
    }

    public func operators() async throws -> [Operator] {
        let rows = try await client.query(#"SELECT name, added FROM operator ORDER BY name COLLATE "C""#, logger: logger)
        var operators: [Operator] = []
        for try await (name, added) in rows.decode((String, Double).self) { operators.append(Operator(name: name, added: added)) }
        return operators
    }

    public func removeOperator(_ name: String) async throws -> Bool {
        try await client.query("DELETE FROM operator WHERE name = \(name) RETURNING name", logger: logger).collect().count == 1
    }

    public func operatorName(tokenHash: String) async throws -> String? {
        try await strings(client.query("SELECT name FROM operator WHERE token_hash = \(tokenHash)", logger: logger)).first
    }

    public func allCredentials() async throws -> [String: Credential] {
        let rows = try await client.query("SELECT token_hash, talks, member, version, opened FROM credential", logger: logger)
        var credentials: [String: Credential] = [:]
        for try await (hash, talks, member, version, opened) in rows.decode((String, String, String, Int, Bool).self) {
            credentials[hash] = Credential(talks: TalksID(talks), member: MemberID(member), version: version, opened: opened)
        }
        return credentials
    }

    public func operatorTokenHashes() async throws -> [String: String] {
        let rows = try await client.query("SELECT name, token_hash FROM operator", logger: logger)
        var hashes: [String: String] = [:]
        for try await (name, hash) in rows.decode((String, String).self) { hashes[name] = hash }
        return hashes
    }

    public func ping() async throws {
        try await client.query("SELECT 1", logger: logger)
    }
}
