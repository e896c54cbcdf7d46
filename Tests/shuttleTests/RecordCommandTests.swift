import CommandTesting
import Foundation
import GRDB
import Talks
import TalksStore
import TalksStoreSQLite
import Testing

/// `shuttle verify` and `shuttle export` on a database written by the store.
@Suite(.serialized)
struct RecordCommandTests {
    static func database() async throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "shuttle-record-\(UUID().uuidString).sqlite"
        ).path
        let store = try SQLiteTalksStore(path: path)
        let mediator = MemberID("oman")
        var (talks, first) = try Talks.open(
            title: "Muscat",
            parties: ["US", "Iran"],
            mediator: Member(id: mediator, name: "Oman", seat: .mediator),
            time: 0
        )
        _ = try await store.create(TalksID("muscat"), first: first)
        var events: [RecordedEvent] = []
        events += try talks.handle(
            .invite(id: MemberID("us-1"), party: "US", name: "Envoy", role: .principal, affiliation: "State"),
            by: mediator,
            time: 1
        )
        events += try talks.handle(
            .invite(id: MemberID("ir-1"), party: "Iran", name: "Minister", role: .principal, affiliation: nil),
            by: mediator,
            time: 2
        )
        events += try talks.handle(
            .post(channel: .room(party: "US"), text: "our floor is zero enrichment"),
            by: MemberID("us-1"),
            time: 3
        )
        events += try talks.handle(
            .post(channel: .shuttle(party: "Iran"), text: "we need relief first"),
            by: MemberID("ir-1"),
            time: 4
        )
        _ = try await store.append(events, to: TalksID("muscat"))
        return path
    }

    @Test(.timeLimit(.minutes(1)))
    func verifyReportsAnIntactRecordThenABrokenOne() async throws {
        let path = try await Self.database()
        let intact = try await ShuttleCommandTests.shuttle("verify", "--database", path)
        #expect(intact.status == 0, "\(intact.error)")
        #expect(intact.output.contains("muscat: intact, 5 events"))

        let intruder = try DatabaseQueue(path: path)
        try await intruder.write { db in
            try db.execute(sql: "DROP TRIGGER event_append_only_update")
            try db.execute(sql: "UPDATE event SET json = replace(json, 'relief first', 'anything') WHERE seq = 5")
        }
        let broken = try await ShuttleCommandTests.shuttle("verify", "--database", path)
        #expect(broken.status == 1)
        #expect(broken.output.contains("muscat: BROKEN at event 5"))

        // The server refuses to start on a broken record, naming it.
        let serve = try await ShuttleCommandTests.shuttle("serve", "--database", path, "--port", "0")
        #expect(serve.status == 65)
        #expect(serve.error.contains("the record of talks 'muscat' is broken at event 5"))

        let missing = try await ShuttleCommandTests.shuttle("verify", "--database", path + ".nowhere")
        #expect(missing.status == 65)
        #expect(missing.error.contains("no such database"))
    }

    @Test(.timeLimit(.minutes(1)))
    func exportForAMemberHoldsOnlyWhatTheyMaySee() async throws {
        let path = try await Self.database()
        let all = try await ShuttleCommandTests.shuttle("export", "--database", path, "--talks", "muscat")
        #expect(all.status == 0)
        #expect(all.output.split(separator: "\n").count == 5)
        for member in ["ir-1", "oman"] {
            let export = try await ShuttleCommandTests.shuttle(
                "export",
                "--database",
                path,
                "--talks",
                "muscat",
                "--member",
                member
            )
            #expect(export.status == 0)
            #expect(!export.output.contains("our floor"), "\(member) never reads the US room")
            #expect(export.output.contains("relief first"))
            for line in export.output.split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(object["seq"] != nil && object["hash"] != nil && object["type"] != nil)
            }
        }
        let us = try await ShuttleCommandTests.shuttle(
            "export",
            "--database",
            path,
            "--talks",
            "muscat",
            "--member",
            "us-1"
        )
        #expect(us.output.contains("our floor") && !us.output.contains("relief first"))
        let stranger = try await ShuttleCommandTests.shuttle(
            "export",
            "--database",
            path,
            "--talks",
            "muscat",
            "--member",
            "nobody"
        )
        #expect(stranger.status == 65)
    }
}

extension RecordCommandTests {
    @Test(.timeLimit(.minutes(1)))
    func backupCopiesAndChecksTheCopy() async throws {
        let path = try await Self.database()
        let copy = path + ".backup"
        let made = try await ShuttleCommandTests.shuttle("backup", "--database", path, "--to", copy)
        #expect(made.status == 0, "\(made.error)")
        #expect(made.output.contains("1 talks, 5 events, every hash chain intact"))
        #expect(
            try await ShuttleCommandTests.shuttle("verify", "--database", copy).output.contains(
                "muscat: intact, 5 events"
            )
        )
        let again = try await ShuttleCommandTests.shuttle("backup", "--database", path, "--to", copy)
        #expect(again.status == 65 && again.error.contains("exists already"))
        let missing = try await ShuttleCommandTests.shuttle(
            "backup",
            "--database",
            path + ".nowhere",
            "--to",
            copy + "2"
        )
        #expect(missing.status == 65 && missing.error.contains("no such database"))
        // A source edited behind Shuttle's back gives a copy that says so, and exit 1.
        let intruder = try DatabaseQueue(path: path)
        try await intruder.write { db in
            try db.execute(sql: "DROP TRIGGER event_append_only_update")
            try db.execute(sql: "UPDATE event SET json = replace(json, 'relief first', 'anything') WHERE seq = 5")
        }
        let broken = try await ShuttleCommandTests.shuttle("backup", "--database", path, "--to", copy + "3")
        #expect(broken.status == 1)
        #expect(broken.output.contains("muscat: BROKEN at event 5"))
    }

    /// `shuttle copy` moves a deployment to a new database: the same records, and the copy
    /// checked; a second copy into it is refused.
    @Test(.timeLimit(.minutes(1)))
    func copyMovesADeploymentAndChecksIt() async throws {
        let path = try await Self.database()
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent(
            "shuttle-copy-\(UUID().uuidString).sqlite"
        ).path
        let run = try await ShuttleCommandTests.shuttle("copy", "--from", path, "--to", copy)
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("1 talks, 5 events, every hash chain intact"))
        let original = try await SQLiteTalksStore(path: path).links(of: TalksID("muscat"), after: 0)
        #expect(try await SQLiteTalksStore(path: copy).links(of: TalksID("muscat"), after: 0) == original)
        let again = try await ShuttleCommandTests.shuttle("copy", "--from", path, "--to", copy)
        #expect(again.status == 65 && again.error.contains("talks 'muscat' already exists"), "\(again.error)")
        let missing = try await ShuttleCommandTests.shuttle("copy", "--from", path + ".missing", "--to", copy + ".new")
        #expect(missing.status == 65 && missing.error.contains("no such database"))
    }
}
