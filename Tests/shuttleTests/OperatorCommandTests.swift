import CommandTesting
import Foundation
import Testing

/// `shuttle operator`, `shuttle serve` without operators, and `shuttle demo` from anywhere.
@Suite(.serialized)
struct OperatorCommandTests {
    static func database() throws -> String {
        try ShuttleCommandTests.temporaryFolder().appendingPathComponent("ops.sqlite").path
    }

    @Test(.timeLimit(.minutes(1)))
    func addPrintsTheTokenOnceAloneOnTheLastLineAndStoresOnlyItsHash() async throws {
        let path = try Self.database()
        let added = try await ShuttleCommandTests.shuttle("operator", "add", "alice", "--database", path)
        #expect(added.status == 0, "\(added.error)")
        let lines = added.output.split(separator: "\n").map(String.init)
        let token = try #require(lines.last)
        #expect(token.count == 64 && token.allSatisfy(\.isHexDigit))
        #expect(lines.dropLast().allSatisfy { !$0.contains(token) }, "the token is printed once")
        let file =
            try Data(contentsOf: URL(fileURLWithPath: path))
            + ((try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data())
        #expect(file.range(of: Data(token.utf8)) == nil, "the database holds no token")
        #expect(file.range(of: Data("alice".utf8)) != nil)

        let listed = try await ShuttleCommandTests.shuttle("operator", "list", "--database", path)
        #expect(listed.status == 0 && listed.output.hasPrefix("alice\tadded "))
        #expect(!listed.output.contains(token))
    }

    @Test(.timeLimit(.minutes(1)))
    func badNamesTakenNamesAndUnknownOperatorsAreRefusedInWords() async throws {
        let path = try Self.database()
        #expect(try await ShuttleCommandTests.shuttle("operator", "add", "bob", "--database", path).status == 0)
        let taken = try await ShuttleCommandTests.shuttle("operator", "add", "bob", "--database", path)
        #expect(taken.status == 65)
        #expect(taken.error.contains("there is already an operator named 'bob'"))
        let spaced = try await ShuttleCommandTests.shuttle("operator", "add", "two words", "--database", path)
        #expect(spaced.status == 65)
        #expect(spaced.error.contains("'two words' is not"))
        #expect(try await ShuttleCommandTests.shuttle("operator", "remove", "bob", "--database", path).status == 0)
        let gone = try await ShuttleCommandTests.shuttle("operator", "remove", "bob", "--database", path)
        #expect(gone.status == 65)
        #expect(gone.error.contains("no operator named 'bob'"))
        let missing = try await ShuttleCommandTests.shuttle("operator", "list", "--database", path + ".nowhere")
        #expect(missing.status == 65 && missing.error.contains("no such database"))
    }

    @Test(.timeLimit(.minutes(1)))
    func serveWithoutOperatorsSaysHowToAddOne() async throws {
        let path = try Self.database()
        let process = Process()
        process.executableURL = ShuttleCommandTests.binary
        process.arguments = ["serve", "--database", path, "--port", String(Int.random(in: 20_000...32_000))]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let reader = output.fileHandleForReading
        let text = try await onOwnThread {
            var text = ""
            while !text.hasSuffix("\n") || !text.contains("shuttle operator add"),
                let data = try reader.read(upToCount: 1), !data.isEmpty
            {
                text += String(decoding: data, as: UTF8.self)
            }
            return text
        }
        #expect(
            text.contains(
                "No operator can open talks on this server yet. Add one with: shuttle operator add NAME --database \(path)"
            )
        )
    }

    @Test(.timeLimit(.minutes(1)))
    func theDemoRunsFromAnEmptyFolderAndPrintsPageLinksFirst() async throws {
        let folder = try ShuttleCommandTests.temporaryFolder()
        let database = folder.appendingPathComponent("demo.sqlite").path
        let run = try await ShuttleCommandTests.shuttle(
            in: folder,
            ["demo", "--seed-only", "--database", database, "--port", "9191"]
        )
        #expect(run.status == 0, "\(run.error)")
        let pageLink = try #require(run.output.range(of: "http://127.0.0.1:9191/#talks="))
        let apiForm = try #require(run.output.range(of: "curl -H 'Authorization: Bearer TOKEN'"))
        #expect(pageLink.lowerBound < apiForm.lowerBound, "page links come first")
        #expect(run.output.contains("http://127.0.0.1:9191/#operator="))
        #expect(run.output.components(separatedBy: "#talks=").count - 1 == 9, "one link per member")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { $0.hasPrefix("demo.sqlite") },
            "nothing else written"
        )
        let verified = try await ShuttleCommandTests.shuttle(in: folder, ["verify", "--database", database])
        #expect(verified.status == 0 && verified.output.contains("intact"))
        let operators = try await ShuttleCommandTests.shuttle(in: folder, ["operator", "list", "--database", database])
        #expect(operators.output.hasPrefix("demo-"))
    }
}
