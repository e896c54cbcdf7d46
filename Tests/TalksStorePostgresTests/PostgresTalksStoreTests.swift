import Foundation
import Logging
import PostgresNIO
import Synchronization
import Talks
import TalksStore
import TalksTesting
import Testing

@testable import TalksStorePostgres

/// The PostgreSQL store against a real server, named by `SHUTTLE_TEST_POSTGRES` (CI starts one
/// from Debian's packages). Each store gets a schema of its own.
enum TestDatabase {
    static let url = ProcessInfo.processInfo.environment["SHUTTLE_TEST_POSTGRES"]

    /// Time limits for tests that do not test them: the test process runs many tests at once on
    /// two cores and may not get to run for seconds, which a service's 5 s limit would take for
    /// the database being unavailable. The limits themselves are tested on separate processes
    /// (`InstanceFaultTests`).
    static let patient = PostgresTalksStore.TimeLimits(
        opening: .seconds(60),
        operation: .seconds(60),
        afterOutage: .seconds(1)
    )
}

@Suite(
    .enabled(
        if: TestDatabase.url != nil,
        "set SHUTTLE_TEST_POSTGRES=postgres://USER:PASSWORD@HOST:PORT/DB to run the PostgreSQL store's tests (CI does)"
    )
)
struct PostgresTalksStoreTests {
    static var url: String? { TestDatabase.url }

    static func schema() -> String {
        "test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
    }

    @Test func passesTheConformanceSuite() async throws {
        try await TalksStoreConformance.run {
            try await PostgresTalksStore(url: Self.url!, schema: Self.schema(), limits: TestDatabase.patient)
        }
    }

    @Test func theDatabaseRefusesToChangeOrRemoveEvents() async throws {
        let schema = Self.schema()
        let store = try await PostgresTalksStore(url: Self.url!, schema: schema, limits: TestDatabase.patient)
        let (_, first) = try Talks.open(
            title: "t",
            parties: ["A", "B"],
            mediator: Member(id: MemberID("m"), name: "M", seat: .mediator),
            time: 0
        )
        _ = try await store.create(TalksID("t"), first: first)
        try await Self.withClient(schema: schema) { client in
            for statement in ["UPDATE event SET json = 'x'", "DELETE FROM event", "TRUNCATE event CASCADE"] {
                await #expect(throws: PSQLError.self, "\(statement)") {
                    try await client.query(PostgresQuery(unsafeSQL: statement))
                }
            }
        }
        #expect(try await store.links(of: TalksID("t"), after: 0).count == 1)
    }

    @Test func anAppendOnTheLatestEventIsRefusedOnceAnotherInstanceWroteFirst() async throws {
        let schema = Self.schema()
        let one = try await PostgresTalksStore(url: Self.url!, schema: schema, limits: TestDatabase.patient)
        let other = try await PostgresTalksStore(url: Self.url!, schema: schema, limits: TestDatabase.patient)
        let mediator = Member(id: MemberID("m"), name: "M", seat: .mediator)
        var (talks, first) = try Talks.open(title: "t", parties: ["A", "B"], mediator: mediator, time: 0)
        let id = TalksID("t")
        let opening = try await one.create(id, first: first)
        // Both decide the next event on the same state; the first to append wins.
        var copy = talks
        let ours = RecordChain.link(
            try talks.handle(.post(channel: .shuttle(party: "A"), text: "ours"), by: mediator.id, time: 1),
            after: opening.hash
        )
        let theirs = RecordChain.link(
            try copy.handle(.post(channel: .shuttle(party: "B"), text: "theirs"), by: mediator.id, time: 1),
            after: opening.hash
        )
        #expect(try await other.append(theirs, to: id))
        #expect(try await one.append(ours, to: id) == false)
        let stored = try await one.links(of: id, after: 0)
        #expect(stored == [opening] + theirs, "nothing of the refused append is stored")
        #expect(RecordChain.verify(stored) == .intact(events: 2, head: theirs[0].hash))
        let next = RecordChain.link(
            try copy.handle(.post(channel: .shuttle(party: "A"), text: "next"), by: mediator.id, time: 2),
            after: theirs[0].hash
        )
        #expect(try await one.append(next, to: id), "on the latest event, it is appended")
        await #expect(throws: StoreError.notFound("no talks 'absent'")) {
            _ = try await one.append(next, to: TalksID("absent"))
        }
    }

    /// An append holding the talks: it is handed what the other instance appended since the
    /// event it knew, its links go in after them, and the other instance's append meanwhile
    /// waits for it and then finds itself second. A refusal from the caller's part passes
    /// through as it is, and appends nothing.
    @Test(.timeLimit(.minutes(1)))
    func anAppendHoldingTheTalksOrdersTheOtherInstanceAfterIt() async throws {
        let schema = Self.schema()
        let one = try await PostgresTalksStore(url: Self.url!, schema: schema, limits: TestDatabase.patient)
        let other = try await PostgresTalksStore(url: Self.url!, schema: schema, limits: TestDatabase.patient)
        let mediator = Member(id: MemberID("m"), name: "M", seat: .mediator)
        var (talks, first) = try Talks.open(title: "t", parties: ["A", "B"], mediator: mediator, time: 0)
        let id = TalksID("held")
        let opening = try await one.create(id, first: first)
        let theirs = RecordChain.link(
            try talks.handle(.post(channel: .shuttle(party: "B"), text: "theirs"), by: mediator.id, time: 1),
            after: opening.hash
        )
        #expect(try await other.append(theirs, to: id))
        let state = talks
        let racing = Mutex<Task<Bool, any Error>?>(nil)
        let held = try await one.append(to: id, holding: 1) { newer in
            #expect(newer == theirs, "handed what the other instance appended")
            var talks = state
            let ours = RecordChain.link(
                try talks.handle(.post(channel: .shuttle(party: "A"), text: "ours"), by: mediator.id, time: 2),
                after: newer.last!.hash
            )
            // The other instance tries to append after what it knows, while the talks is held.
            var elsewhere = state
            let late = RecordChain.link(
                try elsewhere.handle(.post(channel: .shuttle(party: "B"), text: "late"), by: mediator.id, time: 2),
                after: newer.last!.hash
            )
            racing.withLock { $0 = Task { try await other.append(late, to: id) } }
            try await Task.sleep(for: .milliseconds(200))
            return ours
        }
        let lateAppended = try await racing.withLock { $0 }!.value
        #expect(lateAppended == false, "the other instance's append waited, then came second")
        let stored = try await one.links(of: id, after: 0)
        #expect(stored == [opening] + theirs + held)
        #expect(RecordChain.verify(stored) == .intact(events: 3, head: held[0].hash))
        await #expect(throws: TalksError.rule("not now")) {
            _ = try await one.append(to: id, holding: 3) { _ in throw TalksError.rule("not now") }
        }
        #expect(try await one.links(of: id, after: 0).count == 3)
    }

    /// Appends to many talks at once, from two stores, go in groups (one statement each): every
    /// append gets its own answer. On each talks both stores race with the same next number:
    /// exactly one wins, an unknown talks is refused alone, and every record stays one chain.
    @Test(.timeLimit(.minutes(1)))
    func appendsInOneGroupAreAnsweredEachForItsOwnTalks() async throws {
        let schema = Self.schema()
        let stores = [
            try await PostgresTalksStore(url: Self.url!, schema: schema, limits: TestDatabase.patient),
            try await PostgresTalksStore(url: Self.url!, schema: schema, limits: TestDatabase.patient),
        ]
        let mediator = Member(id: MemberID("m"), name: "M", seat: .mediator)
        var candidates: [(TalksID, [[RecordChain.Link]])] = []
        for index in 0..<30 {
            var (talks, first) = try Talks.open(title: "t\(index)", parties: ["A", "B"], mediator: mediator, time: 0)
            let id = TalksID("t\(index)")
            let opening = try await stores[index % 2].create(id, first: first)
            var copy = talks
            let one = RecordChain.link(
                try talks.handle(.post(channel: .shuttle(party: "A"), text: "one \(index)"), by: mediator.id, time: 1),
                after: opening.hash
            )
            let other = RecordChain.link(
                try copy.handle(.post(channel: .shuttle(party: "B"), text: "other \(index)"), by: mediator.id, time: 1),
                after: opening.hash
            )
            candidates.append((id, [one, other]))
        }
        let racing = candidates
        let results = try await withThrowingTaskGroup(of: (TalksID, Int, Bool).self) { group in
            for (id, rivals) in racing {
                for (side, links) in rivals.enumerated() {
                    group.addTask { (id, side, try await stores[side].append(links, to: id)) }
                }
            }
            group.addTask {
                await #expect(throws: StoreError.notFound("no talks 'absent'")) {
                    _ = try await stores[0].append(racing[0].1[0], to: TalksID("absent"))
                }
                return (TalksID("absent"), 0, false)
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for (id, rivals) in candidates {
            let won = results.filter { $0.0 == id && $0.2 }.map(\.1)
            #expect(won.count == 1, "\(id): exactly one of the two appends on the same number")
            let stored = try await stores[0].links(of: id, after: 1)
            #expect(stored == rivals[won.first ?? 0], "\(id): the winner's event, and nothing of the loser's")
            let all = try await stores[1].links(of: id, after: 0)
            #expect(RecordChain.verify(all) == .intact(events: 2, head: all.last!.hash))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func eachStoreHearsOfTheOthersAppendsAndNotOfItsOwn() async throws {
        let schema = Self.schema()
        let one = try await PostgresTalksStore(url: Self.url!, schema: schema, limits: TestDatabase.patient)
        let other = try await PostgresTalksStore(url: Self.url!, schema: schema, limits: TestDatabase.patient)
        var heardByOne = one.appendNotices().makeAsyncIterator()
        var heardByOther = other.appendNotices().makeAsyncIterator()
        // Each says first that it (re)started listening.
        #expect(await heardByOne.next() == .missedSome)
        #expect(await heardByOther.next() == .missedSome)
        let mediator = Member(id: MemberID("m"), name: "M", seat: .mediator)
        var (talks, first) = try Talks.open(title: "t", parties: ["A", "B"], mediator: mediator, time: 0)
        let id = TalksID("t")
        let opening = try await one.create(id, first: first)
        let second = try await one.append(
            try talks.handle(.post(channel: .shuttle(party: "A"), text: "1"), by: mediator.id, time: 1),
            to: id
        )
        let third = try await other.append(
            try talks.handle(.post(channel: .shuttle(party: "A"), text: "2"), by: mediator.id, time: 2),
            to: id
        )
        // Small appends come with their events.
        #expect(await heardByOther.next() == .appended(id, lastSeq: 1, links: [opening]))
        #expect(await heardByOther.next() == .appended(id, lastSeq: 2, links: second))
        #expect(
            await heardByOne.next() == .appended(id, lastSeq: 3, links: third),
            "its own two appends are not announced to it"
        )
        // A large one says only where the record now ends.
        let long = String(repeating: "x", count: 9_000)
        let fourth = try await other.append(
            try talks.handle(.post(channel: .shuttle(party: "A"), text: long), by: mediator.id, time: 3),
            to: id
        )
        #expect(await heardByOne.next() == .appended(id, lastSeq: 4))
        #expect(try await one.links(of: id, after: 3) == fourth)
    }

    @Test func aNoticeIsReadBackAsItWasSent() throws {
        let links = [
            RecordChain.Link(seq: 7, json: #"{"text":"a b\\nc"}"#, hash: "ab12"),
            RecordChain.Link(seq: 8, json: "{}", hash: "cd34"),
        ]
        let notice = PostgresTalksStore.notice(PostgresTalksStore.payload(TalksID("t x"), links, from: "me"), to: "you")
        #expect(notice == .appended(TalksID("t x"), lastSeq: 8, links: links))
        #expect(
            PostgresTalksStore.notice(PostgresTalksStore.payload(TalksID("t"), links, from: "me"), to: "me") == nil,
            "not to the store that sent it"
        )
        #expect(PostgresTalksStore.notice("garbage", to: "you") == nil)
    }

    @Test func migrationsAreVersionedAndRunOnce() async throws {
        let schema = Self.schema()
        // Instances starting together on a new schema: one creates it, the others wait for it.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    _ = try await PostgresTalksStore(url: Self.url!, schema: schema, limits: TestDatabase.patient)
                }
            }
            try await group.waitForAll()
        }
        _ = try await PostgresTalksStore(url: Self.url!, schema: schema, limits: TestDatabase.patient)
        try await Self.withClient(schema: schema) { client in
            var versions: [Int] = []
            for try await version in try await client.query("SELECT version FROM shuttle_migration ORDER BY version")
                .decode(Int.self)
            { versions.append(version) }
            #expect(versions == [1, 2, 3, 4])
        }
    }

    /// A schema migrating holds its own lock: other schemas, and a schema already up to date,
    /// open meanwhile.
    @Test func aSchemaMigratingHoldsNoOtherBack() async throws {
        let (upToDate, other, migrating) = (Self.schema(), Self.schema(), Self.schema())
        _ = try await PostgresTalksStore(url: Self.url!, schema: upToDate, limits: TestDatabase.patient)
        let brief = PostgresTalksStore.TimeLimits(
            opening: .seconds(2),
            operation: .seconds(2),
            afterOutage: .seconds(1)
        )
        try await Self.withClient(schema: "public") { client in
            try await client.withTransaction(logger: Logger(label: "test")) { connection in
                for schema in [upToDate, migrating] {
                    try await connection.query(
                        "SELECT pg_advisory_xact_lock(\(PostgresMigrations.lockClass), \(PostgresMigrations.schemaKey(schema)))"
                    )
                }
                _ = try await PostgresTalksStore(url: Self.url!, schema: other, limits: TestDatabase.patient)
                _ = try await PostgresTalksStore(url: Self.url!, schema: upToDate, limits: TestDatabase.patient)
                await #expect(
                    throws: PostgresTalksStore.Unreachable.self,
                    "a schema not yet migrated waits for its lock"
                ) {
                    _ = try await PostgresTalksStore(url: Self.url!, schema: migrating, limits: brief)
                }
            }
        }
        _ = try await PostgresTalksStore(url: Self.url!, schema: migrating, limits: TestDatabase.patient)
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
            await #expect(
                throws: StoreError.invalid(
                    "a PostgreSQL database is named postgres://USER:PASSWORD@HOST:PORT/DATABASE"
                ),
                "\(bad)"
            ) {
                _ = try await PostgresTalksStore(url: bad)
            }
        }
        await #expect(throws: StoreError.invalid("sslmode must be disable, prefer or require, not 'maybe'")) {
            _ = try await PostgresTalksStore(url: "postgres://u:p@127.0.0.1:1/db?sslmode=maybe")
        }
        await #expect(throws: StoreError.self) {
            _ = try await PostgresTalksStore(url: "postgres://u:p@127.0.0.1:1/db", schema: "Bad-Name")
        }
    }
}
