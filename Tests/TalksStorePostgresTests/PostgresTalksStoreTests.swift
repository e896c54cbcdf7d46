import Foundation
import Logging
import PostgresNIO
import Talks
import TalksStore
@testable import TalksStorePostgres
import TalksTesting
import Testing

/// The PostgreSQL store against a real server, named by `SHUTTLE_TEST_POSTGRES` (CI starts one
/// from Debian's packages). Each store gets a schema of its own.
enum TestDatabase {
    static let url = ProcessInfo.processInfo.environment["SHUTTLE_TEST_POSTGRES"]
}

@Suite(.enabled(if: TestDatabase.url != nil, "set SHUTTLE_TEST_POSTGRES=postgres://USER:PASSWORD@HOST:PORT/DB to run the PostgreSQL store's tests (CI does)"))
struct PostgresTalksStoreTests {
    static var url: String? { TestDatabase.url }

    static func schema() -> String { "test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "") }

    @Test func passesTheConformanceSuite() async throws {
        try await TalksStoreConformance.run { try await PostgresTalksStore(url: Self.url!, schema: Self.schema()) }
    }

    @Test func theDatabaseRefusesToChangeOrRemoveEvents() async throws {
        let schema = Self.schema()
        let store = try await PostgresTalksStore(url: Self.url!, schema: schema)
        let (_, first) = try Talks.open(title: "t", parties: ["A", "B"], mediator: Member(id: MemberID("m"), name: "M", seat: .mediator), time: 0)
        _ = try await store.create(TalksID("t"), first: first)
        try await Self.withClient(schema: schema) { client in
            for statement in ["UPDATE event SET json = 'x'", "DELETE FROM event", "TRUNCATE event CASCADE"] {
                await #expect(throws: PSQLError.self, "\(statement)") { try await client.query(PostgresQuery(unsafeSQL: statement)) }
            }
        }
        #expect(try await store.links(of: TalksID("t"), after: 0).count == 1)
    }

    @Test func migrationsAreVersionedAndRunOnce() async throws {
        let schema = Self.schema()
        _ = try await PostgresTalksStore(url: Self.url!, schema: schema)
        _ = try await PostgresTalksStore(url: Self.url!, schema: schema)
        try await Self.withClient(schema: schema) { client in
            var versions: [Int] = []
            for try await version in try await client.query("SELECT version FROM shuttle_migration ORDER BY version").decode(Int.self) { versions.append(version) }
            #expect(versions == [1, 2])
        }
    }

    /// A client of the test's own on `schema`, for what the store does not offer.
    static func withClient(schema: String, _ body: (PostgresClient) async throws -> Void) async throws {
        var configuration = try PostgresURL.configuration(url!)
        configuration.options.additionalStartupParameters = [("search_path", schema)]
        let client = PostgresClient(configuration: configuration)
        let running = Task { await client.run() }
        defer { running.cancel() }
        try await body(client)
    }
}

/// What needs no server: naming a database.
struct PostgresURLTests {
    @Test func aMalformedNameIsRefusedWithTheForm() async throws {
        for bad in ["postgres://", "postgres:///db", "postgres://host/db", "mysql://u@h/db"] {
            await #expect(throws: StoreError.invalid("a PostgreSQL database is named postgres://USER:PASSWORD@HOST:PORT/DATABASE"), "\(bad)") {
                _ = try await PostgresTalksStore(url: bad)
            }
        }
        await #expect(throws: StoreError.invalid("sslmode must be disable, prefer or require, not 'maybe'")) {
            _ = try await PostgresTalksStore(url: "postgres://u:p@127.0.0.1:1/db?sslmode=maybe")
        }
        await #expect(throws: StoreError.self) { _ = try await PostgresTalksStore(url: "postgres://u:p@127.0.0.1:1/db", schema: "Bad-Name") }
    }
}
