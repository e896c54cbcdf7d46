import Foundation
import GRDB
import Talks
import TalksStore
import TalksStoreSQLite
import TalksTesting
import Testing

struct MemoryTalksStoreTests {
    @Test func conformsToTheStoreContract() async throws {
        try await TalksStoreConformance.run { MemoryTalksStore() }
    }
}

struct SQLiteTalksStoreTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("shuttle-\(UUID().uuidString).sqlite").path
    }

    @Test func conformsToTheStoreContract() async throws {
        try await TalksStoreConformance.run { try SQLiteTalksStore(path: Self.temporaryPath()) }
    }

    @Test func eventsSurviveReopeningTheFile() async throws {
        let path = Self.temporaryPath()
        var (talks, first) = try Talks.open(
            title: "t",
            parties: ["A", "B"],
            mediator: Member(id: MemberID("m"), name: "M", seat: .mediator),
            time: 0
        )
        do {
            let store = try SQLiteTalksStore(path: path)
            _ = try await store.create(TalksID("t"), first: first)
            _ = try await store.append(
                try talks.handle(.setDeadline("2025-06-12"), by: MemberID("m"), time: 1),
                to: TalksID("t")
            )
        }
        let reopened = try SQLiteTalksStore(path: path)
        #expect(try await reopened.load(TalksID("t")).talks.state.deadline == "2025-06-12")
    }
}

extension SQLiteTalksStoreTests {
    /// Edits made behind the store's back — a trigger dropped and an event rewritten — show up
    /// when the record is verified.
    @Test func editsBehindTheStoresBackAreFound() async throws {
        let path = Self.temporaryPath()
        let store = try SQLiteTalksStore(path: path)
        var (talks, first) = try Talks.open(
            title: "t",
            parties: ["A", "B"],
            mediator: Member(id: MemberID("m"), name: "M", seat: .mediator),
            time: 0
        )
        _ = try await store.create(TalksID("t"), first: first)
        _ = try await store.append(
            try talks.handle(.setDeadline("2025-06-12"), by: MemberID("m"), time: 1),
            to: TalksID("t")
        )
        _ = try await store.append(
            try talks.handle(.setDeadline("2025-07-01"), by: MemberID("m"), time: 2),
            to: TalksID("t")
        )

        let intruder = try DatabaseQueue(path: path)
        // The triggers refuse a plain rewrite...
        await #expect(throws: DatabaseError.self) {
            try await intruder.write {
                try $0.execute(sql: "UPDATE event SET json = replace(json, '2025-06-12', '2025-09-30') WHERE seq = 2")
            }
        }
        // ...so the intruder drops them first.
        try await intruder.write { db in
            try db.execute(sql: "DROP TRIGGER event_append_only_update")
            try db.execute(sql: "UPDATE event SET json = replace(json, '2025-06-12', '2025-09-30') WHERE seq = 2")
        }
        let results = try await SQLiteTalksStore(path: path).verifyAll()
        #expect(results.count == 1)
        #expect(
            results[0].verification
                == .broken(seq: 2, reason: "the hash does not match the event's text or the event before it")
        )
    }
}

extension SQLiteTalksStoreTests {
    /// A backup taken while appends go on is the store as of one moment: every chain intact,
    /// each talks' events a prefix of the source's.
    @Test(.timeLimit(.minutes(1)))
    func anOnlineBackupIsAConsistentCopy() async throws {
        let store = try SQLiteTalksStore(path: Self.temporaryPath())
        var (talks, first) = try Talks.open(
            title: "t",
            parties: ["A", "B"],
            mediator: Member(id: MemberID("m"), name: "M", seat: .mediator),
            time: 0
        )
        _ = try await store.create(TalksID("t"), first: first)
        let writer = Task {
            for day in 0..<300 {
                _ = try await store.append(
                    try talks.handle(.setDeadline("2025-06-\(10 + day % 19)"), by: MemberID("m"), time: Double(day)),
                    to: TalksID("t")
                )
            }
        }
        while try await store.links(of: TalksID("t"), after: 0).count < 20 {
            try await Task.sleep(for: .milliseconds(5))
        }
        let copyPath = Self.temporaryPath()
        try await store.backup(to: copyPath)
        try await writer.value
        let copy = try SQLiteTalksStore(path: copyPath)
        let copied = try await copy.links(of: TalksID("t"), after: 0)
        let source = try await store.links(of: TalksID("t"), after: 0)
        #expect(copied.count >= 20 && copied.count <= source.count)
        #expect(Array(source.prefix(copied.count)) == copied)
        #expect(try await copy.verifyAll().allSatisfy { if case .intact = $0.verification { true } else { false } })
        await #expect(throws: StoreError.conflict("\(copyPath) exists already; a backup never overwrites a file")) {
            try await store.backup(to: copyPath)
        }
    }
}
