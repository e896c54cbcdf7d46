import CommandTesting
import Foundation
import Testing

/// The commands on a PostgreSQL database named by URL (CI starts one; `SHUTTLE_TEST_POSTGRES`).
@Suite(
    .serialized,
    .enabled(
        if: ProcessInfo.processInfo.environment["SHUTTLE_TEST_POSTGRES"] != nil,
        "set SHUTTLE_TEST_POSTGRES=postgres://USER:PASSWORD@HOST:PORT/DB to run the commands against PostgreSQL (CI does)"
    )
)
struct PostgresCommandTests {
    @Test(.timeLimit(.minutes(2)))
    func operatorServeVerifyAndExportWorkOnPostgres() async throws {
        let url = try #require(ProcessInfo.processInfo.environment["SHUTTLE_TEST_POSTGRES"])
        let password = try #require(URLComponents(string: url)?.password)
        let name = "pg-" + UUID().uuidString.prefix(8).lowercased()
        // Named through the environment: the password stays out of the process's arguments.
        let added = try await ShuttleCommandTests.shuttle(
            in: ShuttleCommandTests.root,
            ["operator", "add", name],
            environment: ["SHUTTLE_DATABASE": url]
        )
        #expect(added.status == 0, "\(added.error)")
        #expect(!added.output.contains(":\(password)@") && added.output.contains(":***@"), "messages hide the password")
        let operatorToken = try #require(added.output.split(separator: "\n").last.map(String.init))

        let port = Int.random(in: 20_000...32_000)
        let base = "http://127.0.0.1:\(port)"
        let server = try DurabilityTests.Server(database: url, port: port)
        try await DurabilityTests.waitUntilUp(base)
        let (_, opened) = try await DurabilityTests.request(
            "POST",
            base + "/talks",
            token: operatorToken,
            json: ["title": "On PostgreSQL", "parties": ["A", "B"]]
        )
        let id = try #require(opened["id"] as? String)
        let mediator = try #require(opened["mediatorToken"] as? String)
        let (status, _) = try await DurabilityTests.request(
            "POST",
            "\(base)/talks/\(id)/members",
            token: mediator,
            json: ["party": "A", "name": "Envoy", "role": "principal"]
        )
        #expect(status == 201)
        let (posted, _) = try await DurabilityTests.request(
            "POST",
            "\(base)/talks/\(id)/messages",
            token: mediator,
            json: ["channel": "shuttle", "party": "A", "text": "kept in postgres"]
        )
        #expect(posted == 201)
        await server.stop(with: SIGTERM)

        let verify = try await ShuttleCommandTests.shuttle("verify", "--database", url)
        #expect(verify.status == 0, "\(verify.error)")
        #expect(verify.output.contains("\(id): intact, 3 events"))
        let export = try await ShuttleCommandTests.shuttle("export", "--database", url, "--talks", id)
        #expect(export.status == 0 && export.output.contains("kept in postgres"))
        let backup = try await ShuttleCommandTests.shuttle(
            "backup",
            "--database",
            url,
            "--to",
            FileManager.default.temporaryDirectory.appendingPathComponent("never-\(name).sqlite").path
        )
        #expect(backup.status == 65 && backup.error.contains("pg_dump") && !backup.error.contains(":\(password)@"))
        let unreachable = try await ShuttleCommandTests.shuttle(
            "verify",
            "--database",
            "postgres://nobody:secret-pw@127.0.0.1:1/none?sslmode=disable"
        )
        #expect(
            unreachable.status == 65 && !unreachable.error.contains("secret-pw")
                && unreachable.error.contains("did not answer"),
            "\(unreachable.error)"
        )
    }

    /// A SQLite deployment moved to PostgreSQL keeps its records, hash for hash, and its links.
    @Test(.timeLimit(.minutes(2)))
    func copyMovesASQLiteDeploymentToPostgres() async throws {
        let url = try #require(ProcessInfo.processInfo.environment["SHUTTLE_TEST_POSTGRES"])
        let folder = try ShuttleCommandTests.temporaryFolder()
        let sqlite = folder.appendingPathComponent("demo.sqlite").path
        let demo = try await ShuttleCommandTests.shuttle(
            in: folder,
            ["demo", "--seed-only", "--database", sqlite, "--port", "9192"]
        )
        #expect(demo.status == 0, "\(demo.error)")
        let run = try await ShuttleCommandTests.shuttle("copy", "--from", sqlite, "--to", url)
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("every hash chain intact") && run.output.contains(":***@"))
        let here = try await ShuttleCommandTests.shuttle("verify", "--database", sqlite)
        let there = try await ShuttleCommandTests.shuttle("verify", "--database", url)
        // Every talks of the demo, intact there with the same head hash as here.
        for line in here.output.split(separator: "\n") where line.contains(": intact") {
            #expect(there.output.contains(line), "\(line)")
        }
    }
}
