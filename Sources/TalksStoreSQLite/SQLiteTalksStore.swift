import Foundation
import GRDB
public import Talks
public import TalksStore

/// The default store: one SQLite file in WAL mode.
///
/// Appends are committed with `synchronous = FULL` — those that arrive while a commit is on
/// disk share the next transaction, each in its own savepoint — so when ``append(_:to:)``
/// returns the events are on disk and survive a crash of the process or the machine. Triggers
/// refuse updates and deletes of stored events: the record is append-only, and any change made
/// behind Shuttle's back (the triggers dropped, the file edited) shows in ``verifyAll()``.
public final class SQLiteTalksStore: TalksStore {
    private let pool: DatabasePool
    private let appends: GroupCommit<(talks: TalksID, links: [RecordChain.Link]), Bool>
    public let path: String

    /// Opens (creating if needed) the store at `path`.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        self.path = path
        let pool = try DatabasePool(path: path, configuration: configuration)
        self.pool = pool
        try Self.migrator.migrate(pool)
        appends = GroupCommit { batch in await Self.commit(batch, in: pool) }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("record") { db in
            try db.execute(
                sql: """
                    CREATE TABLE talks (id TEXT PRIMARY KEY NOT NULL) STRICT;
                    CREATE TABLE event (
                        talks TEXT NOT NULL REFERENCES talks(id),
                        seq INTEGER NOT NULL,
                        json TEXT NOT NULL,
                        hash TEXT NOT NULL,
                        PRIMARY KEY (talks, seq)
                    ) STRICT;
                    CREATE TRIGGER event_append_only_update BEFORE UPDATE ON event
                        BEGIN SELECT RAISE(ABORT, 'the record is append-only'); END;
                    CREATE TRIGGER event_append_only_delete BEFORE DELETE ON event
                        BEGIN SELECT RAISE(ABORT, 'the record is append-only'); END;
                    CREATE TABLE credential (
                        tokenHash TEXT PRIMARY KEY NOT NULL,
                        talks TEXT NOT NULL REFERENCES talks(id),
                        member TEXT NOT NULL
                    ) STRICT;
                    """
            )
        }
        // Operators, who opened each talks, and credentials that die when a link is replaced.
        migrator.registerMigration("operators and member links") { db in
            try db.execute(
                sql: """
                    ALTER TABLE talks ADD COLUMN openedBy TEXT;
                    ALTER TABLE credential ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE credential ADD COLUMN opened INTEGER NOT NULL DEFAULT 0;
                    CREATE INDEX credential_member ON credential(talks, member);
                    CREATE INDEX talks_opener ON talks(openedBy);
                    CREATE TABLE operator (
                        name TEXT PRIMARY KEY NOT NULL,
                        tokenHash TEXT NOT NULL UNIQUE,
                        added REAL NOT NULL
                    ) STRICT;
                    """
            )
        }
        // The server's signing key, one row.
        migrator.registerMigration("signing key") { db in
            try db.execute(
                sql: "CREATE TABLE signingKey (id INTEGER PRIMARY KEY CHECK (id = 1), key TEXT NOT NULL) STRICT"
            )
        }
        return migrator
    }

    public func create(_ talks: TalksID, first: RecordedEvent, openedBy: String?) async throws -> RecordChain.Link {
        guard first.seq == 1 else { throw StoreError.conflict("a talks starts with event 1, not \(first.seq)") }
        let link = RecordChain.link([first], after: RecordChain.genesis)[0]
        try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM talks WHERE id = ?", arguments: [talks.rawValue]) == true {
                throw StoreError.conflict("talks '\(talks)' already exists")
            }
            try db.execute(
                sql: "INSERT INTO talks (id, openedBy) VALUES (?, ?)",
                arguments: [talks.rawValue, openedBy]
            )
            try db.execute(
                sql: "INSERT INTO event (talks, seq, json, hash) VALUES (?, ?, ?, ?)",
                arguments: [talks.rawValue, link.seq, link.json, link.hash]
            )
        }
        return link
    }

    public func append(_ links: [RecordChain.Link], to talks: TalksID) async throws -> Bool {
        guard !links.isEmpty else { return true }
        return try await appends.submit((talks, links))
    }

    /// Commits a batch of appends in one transaction, each in its own savepoint: one bad append
    /// fails alone, and one disk sync makes the whole batch durable (group commit).
    private static func commit(
        _ batch: [(talks: TalksID, links: [RecordChain.Link])],
        in pool: DatabasePool
    ) async -> [Result<Bool, any Error>] {
        do {
            return try await pool.write { db in
                try batch.map { request in
                    var result: Result<Bool, any Error> = .success(false)
                    try db.inSavepoint {
                        do {
                            result = .success(try Self.insert(request.links, into: request.talks, db))
                            return .commit
                        } catch {
                            result = .failure(error)
                            return .rollback
                        }
                    }
                    return result
                }
            }
        } catch {
            return batch.map { _ in .failure(error) }
        }
    }

    /// Inserts `links` if they follow the talks' last stored event; says whether it did.
    private static func insert(_ links: [RecordChain.Link], into talks: TalksID, _ db: Database) throws -> Bool {
        // Cached statements: under load the same two statements run for every append.
        let lastStatement = try db.cachedStatement(
            sql: "SELECT seq FROM event WHERE talks = ? ORDER BY seq DESC LIMIT 1"
        )
        // A talks is created with its first event, in one transaction: no event, no talks.
        guard let lastSeq = try Int.fetchOne(lastStatement, arguments: [talks.rawValue]) else {
            throw StoreError.notFound("no talks '\(talks)'")
        }
        guard try StoreError.follows(links, after: lastSeq, talks: talks) else { return false }
        let insert = try db.cachedStatement(sql: "INSERT INTO event (talks, seq, json, hash) VALUES (?, ?, ?, ?)")
        for link in links {
            try insert.execute(arguments: [talks.rawValue, link.seq, link.json, link.hash])
        }
        return true
    }

    public func links(of talks: TalksID, after: Int, limit: Int?) async throws -> [RecordChain.Link] {
        try await pool.read { db in
            try Self.requireTalks(talks, db)
            // A negative LIMIT is no limit in SQLite.
            return try Row.fetchAll(
                db,
                sql: "SELECT seq, json, hash FROM event WHERE talks = ? AND seq > ? ORDER BY seq LIMIT ?",
                arguments: [talks.rawValue, after, limit ?? -1]
            ).map(Self.link)
        }
    }

    public func links(of talks: TalksID, seqs: [Int]) async throws -> [RecordChain.Link] {
        guard let first = seqs.first, let last = seqs.last else { return [] }
        return try await pool.read { db in
            try Self.requireTalks(talks, db)
            // One range scan of the primary key, filtered as it is read (a row's text is copied
            // out only when wanted): no statement with a parameter per number.
            let wanted = Set(seqs)
            let rows = try Row.fetchCursor(
                db,
                sql: "SELECT seq, json, hash FROM event WHERE talks = ? AND seq BETWEEN ? AND ? ORDER BY seq",
                arguments: [talks.rawValue, first, last]
            )
            var links: [RecordChain.Link] = []
            while let row = try rows.next() {
                if wanted.contains(row["seq"]) { links.append(Self.link(row)) }
            }
            return links
        }
    }

    private static func requireTalks(_ talks: TalksID, _ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM talks WHERE id = ?", arguments: [talks.rawValue]) == true else {
            throw StoreError.notFound("no talks '\(talks)'")
        }
    }

    private static func link(_ row: Row) -> RecordChain.Link {
        RecordChain.Link(seq: row["seq"], json: row["json"], hash: row["hash"])
    }

    public func allTalks() async throws -> [TalksID] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT id FROM talks ORDER BY id").map(TalksID.init) }
    }

    public func talks(openedBy name: String) async throws -> [TalksID] {
        try await pool.read { db in
            // Rows are numbered as they are inserted: rowid order is the order of opening.
            try String.fetchAll(db, sql: "SELECT id FROM talks WHERE openedBy = ? ORDER BY rowid", arguments: [name])
                .map(TalksID.init)
        }
    }

    public func saveCredential(tokenHash: String, talks: TalksID, member: MemberID, version: Int) async throws {
        try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM credential WHERE tokenHash = ?", arguments: [tokenHash])
                == true
            {
                throw StoreError.conflict("the token is already in use")
            }
            try db.execute(
                sql: "INSERT INTO credential (tokenHash, talks, member, version) VALUES (?, ?, ?, ?)",
                arguments: [tokenHash, talks.rawValue, member.rawValue, version]
            )
        }
    }

    public func credential(tokenHash: String) async throws -> Credential? {
        try await pool.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT talks, member, version, opened FROM credential WHERE tokenHash = ?",
                arguments: [tokenHash]
            ).map {
                Credential(
                    talks: TalksID($0["talks"]),
                    member: MemberID($0["member"]),
                    version: $0["version"],
                    opened: $0["opened"]
                )
            }
        }
    }

    public func markOpened(tokenHash: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE credential SET opened = 1 WHERE tokenHash = ?", arguments: [tokenHash])
        }
    }

    public func openedLinks(in talks: TalksID) async throws -> Set<MemberLink> {
        try await pool.read { db in
            Set(
                try Row.fetchAll(
                    db,
                    sql: "SELECT member, version FROM credential WHERE talks = ? AND opened = 1",
                    arguments: [talks.rawValue]
                ).map {
                    MemberLink(member: MemberID($0["member"]), version: $0["version"])
                }
            )
        }
    }

    public func addOperator(_ name: String, tokenHash: String, time: Double) async throws {
        try StoreError.checkOperatorName(name)
        try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM operator WHERE name = ?", arguments: [name]) == true {
                throw StoreError.conflict("there is already an operator named '\(name)'")
            }
            try db.execute(
                sql: "INSERT INTO operator (name, tokenHash, added) VALUES (?, ?, ?)",
                arguments: [name, tokenHash, time]
            )
        }
    }

    public func operators() async throws -> [Operator] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, added FROM operator ORDER BY name").map {
                Operator(name: $0["name"], added: $0["added"])
            }
        }
    }

    public func removeOperator(_ name: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM operator WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    public func allCredentials() async throws -> [String: Credential] {
        try await pool.read { db in
            var credentials: [String: Credential] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT tokenHash, talks, member, version, opened FROM credential") {
                credentials[row["tokenHash"]] = Credential(
                    talks: TalksID(row["talks"]),
                    member: MemberID(row["member"]),
                    version: row["version"],
                    opened: row["opened"]
                )
            }
            return credentials
        }
    }

    public func operatorTokenHashes() async throws -> [String: String] {
        try await pool.read { db in
            Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, tokenHash FROM operator").map {
                    ($0["name"], $0["tokenHash"])
                }
            )
        }
    }

    public func signingKey(storingIfNone candidate: String?) async throws -> String? {
        guard let candidate else {
            return try await pool.read { db in try String.fetchOne(db, sql: "SELECT key FROM signingKey") }
        }
        return try await pool.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO signingKey (id, key) VALUES (1, ?)", arguments: [candidate])
            return try String.fetchOne(db, sql: "SELECT key FROM signingKey")
        }
    }

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// Copies the whole database to a new file at `path` while appends go on. SQLite's online
    /// backup runs inside one read transaction, so the copy is the store as of one moment:
    /// every chain in it ends at an event that was durable when the backup began.
    ///
    /// - Throws: ``StoreError/conflict(_:)`` when `path` exists (a backup never overwrites).
    public func backup(to path: String) async throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError.conflict("\(path) exists already; a backup never overwrites a file")
        }
        let destination = try DatabaseQueue(path: path)
        try pool.backup(to: destination)
        try destination.close()
    }

    public func operatorName(tokenHash: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT name FROM operator WHERE tokenHash = ?", arguments: [tokenHash])
        }
    }
}
