import Logging
import PostgresNIO

/// The PostgreSQL tables, version by version. Each version runs once, in order, in one
/// transaction that holds the schema's advisory lock: instances starting together on one schema
/// migrate one at a time.
enum PostgresMigrations {
    /// Statement lists, by version. Never edit a shipped version; add the next.
    static let versions: [(name: String, statements: [String])] = [
        (
            "record",
            [
                "CREATE TABLE talks (id TEXT PRIMARY KEY, opened_by TEXT, opened BIGSERIAL NOT NULL)",
                "CREATE INDEX talks_opened_by ON talks (opened_by, opened)",
                """
                CREATE TABLE event (talks TEXT NOT NULL REFERENCES talks (id), seq BIGINT NOT NULL, json TEXT NOT NULL, hash TEXT NOT NULL,
                                    PRIMARY KEY (talks, seq))
                """,
                // The record is append-only, whoever holds the database's credentials.
                """
                CREATE FUNCTION shuttle_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the record is append-only: events are never updated, deleted or truncated'; END $$
                """,
                "CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON event FOR EACH ROW EXECUTE FUNCTION shuttle_refuse_change()",
                "CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON event FOR EACH STATEMENT EXECUTE FUNCTION shuttle_refuse_change()",
            ]
        ),
        (
            "operators and member links",
            [
                """
                CREATE TABLE credential (token_hash TEXT PRIMARY KEY, talks TEXT NOT NULL, member TEXT NOT NULL, version BIGINT NOT NULL,
                                         opened BOOLEAN NOT NULL DEFAULT false)
                """,
                "CREATE INDEX credential_talks ON credential (talks)",
                "CREATE TABLE operator (name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, added DOUBLE PRECISION NOT NULL)",
            ]
        ),
        // Appends to several talks in one statement and one commit (group commit). For each talks
        // in turn: its row locked, then its events inserted only if they follow the last one
        // stored (read after the lock, in a snapshot of its own, so it counts every append that
        // held the lock before), and the append announced. Answers, per talks, 1 appended,
        // 0 not the latest (nothing appended), -1 no such talks.
        (
            "appends of several talks in one statement",
            [
                """
                CREATE FUNCTION shuttle_append(ids TEXT[], counts BIGINT[], seqs BIGINT[], jsons TEXT[], hashes TEXT[], channel TEXT, payloads TEXT[])
                RETURNS BIGINT[] LANGUAGE plpgsql VOLATILE AS $$
                DECLARE
                    answers BIGINT[] := '{}';
                    lo INT := 1;
                    hi INT;
                    latest BIGINT;
                BEGIN
                    FOR i IN 1 .. coalesce(array_length(ids, 1), 0) LOOP
                        hi := lo + counts[i] - 1;
                        PERFORM 1 FROM talks WHERE id = ids[i] FOR UPDATE;
                        IF NOT FOUND THEN
                            answers := answers || -1::BIGINT;
                        ELSE
                            SELECT coalesce(max(seq), 0) INTO latest FROM event WHERE talks = ids[i];
                            IF latest <> seqs[lo] - 1 THEN
                                answers := answers || 0::BIGINT;
                            ELSE
                                INSERT INTO event (talks, seq, json, hash)
                                    SELECT ids[i], u.s, u.j, u.h FROM UNNEST(seqs[lo:hi], jsons[lo:hi], hashes[lo:hi]) AS u (s, j, h);
                                PERFORM pg_notify(channel, payloads[i]);
                                answers := answers || 1::BIGINT;
                            END IF;
                        END IF;
                        lo := hi + 1;
                    END LOOP;
                    RETURN answers;
                END $$
                """
            ]
        ),
        // The server's signing key, one row: the first instance to start stores it.
        ("signing key", ["CREATE TABLE signing_key (id INT PRIMARY KEY CHECK (id = 1), key TEXT NOT NULL)"]),
    ]

    /// The first key for `pg_advisory_xact_lock`, the same for every Shuttle instance ("SHUT");
    /// the second is the schema's (``schemaKey(_:)``), so schemas migrate independently.
    static let lockClass = Int32(0x5348_5554)

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.count <= 63
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// A stable 32-bit key for `schema` (FNV-1a): the same in every instance and every release.
    static func schemaKey(_ schema: String) -> Int32 {
        var hash: UInt32 = 2_166_136_261
        for byte in schema.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return Int32(bitPattern: hash)
    }

    /// Brings `schema` (the connections' search path) up to date. A schema already up to date
    /// takes no lock, so instances and commands opening together do not queue; otherwise one
    /// transaction, holding the schema's advisory lock, creates the schema if need be and runs
    /// the versions not yet applied.
    static func run(on client: PostgresClient, schema: String, logger: Logger) async throws {
        guard try await applied(on: client, logger: logger).count < versions.count else { return }
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query(
                "SELECT pg_advisory_xact_lock(\(lockClass), \(schemaKey(schema)))",
                logger: logger
            )
            // `schema` was checked to be a plain identifier: safe to write into the statement.
            try await connection.query(
                PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"),
                logger: logger
            )
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS shuttle_migration (version INT PRIMARY KEY, name TEXT NOT NULL, applied TIMESTAMPTZ NOT NULL DEFAULT now())",
                logger: logger
            )
            let applied = try await versions(
                in: connection.query("SELECT version FROM shuttle_migration", logger: logger)
            )
            for (index, migration) in versions.enumerated() where !applied.contains(index + 1) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO shuttle_migration (version, name) VALUES (\(index + 1), \(migration.name))",
                    logger: logger
                )
            }
        }
    }

    /// The versions applied to the connections' schema: none when it or its table is missing.
    private static func applied(on client: PostgresClient, logger: Logger) async throws -> Set<Int> {
        let table = try await client.query("SELECT to_regclass('shuttle_migration') IS NOT NULL", logger: logger)
        var exists = false
        for try await found in table.decode(Bool.self) { exists = found }
        guard exists else { return [] }
        return try await versions(in: client.query("SELECT version FROM shuttle_migration", logger: logger))
    }

    private static func versions(in rows: PostgresRowSequence) async throws -> Set<Int> {
        var versions: Set<Int> = []
        for try await version in rows.decode(Int.self) { versions.insert(version) }
        return versions
    }
}
