import CommandTesting
import Foundation
import Testing

/// The `shuttle` command, run as a user runs it: the built binary, its output and exit status.
@Suite(.serialized)
struct ShuttleCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `shuttle` binary next to the test bundle.
    static var binary: URL {
        var folder = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("shuttle")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/shuttle")
    }

    static func shuttle(_ arguments: String...) async throws -> CommandRun {
        try await shuttle(in: root, arguments)
    }

    /// Runs the command in `folder`, as a user would from there, with `environment` added to the
    /// test's own; one still running after two minutes is killed and fails the test.
    static func shuttle(
        in folder: URL,
        _ arguments: [String],
        environment: [String: String] = [:]
    ) async throws -> CommandRun {
        let run = try await CommandRun.run(binary, arguments, in: folder, environment: environment)
        if run.timedOut {
            Issue.record(
                "shuttle \(arguments.joined(separator: " ")) was still running after two minutes and was killed"
            )
        }
        return run
    }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shuttle-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test(.timeLimit(.minutes(1)))
    func analysesTheShippedSample() async throws {
        let run = try await Self.shuttle("analyze", "Samples/april-2025-talks.json")
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("Outcomes:           2,500"))
        #expect(run.output.contains("Nash:"))
        #expect(run.output.contains("United States"))
    }

    @Test(.timeLimit(.minutes(1)))
    func printsTheDocumentedJSON() async throws {
        let run = try await Self.shuttle("analyze", "Samples/april-2025-talks.json", "--json")
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        for key in [
            "outcomes", "parties", "reservation", "paretoSize", "pareto", "nash", "kalai", "welfare", "egalitarian",
            "agreementZone",
        ] {
            #expect(object[key] != nil, "\(key)")
        }
        #expect(object["parties"] as? [String] == ["United States", "Iran"])
        #expect(object["reservation"] as? [Double] == [0.5, 0.45])
    }

    @Test(.timeLimit(.minutes(1)))
    func generatesAnalysesConvertsAndPlots() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let generated = folder.appendingPathComponent("g")
        let generate = try await Self.shuttle(
            "generate",
            "--issues",
            "4",
            "--options",
            "5",
            "--seed",
            "9",
            generated.path
        )
        #expect(generate.status == 0, "\(generate.error)")
        let files = try FileManager.default.contentsOfDirectory(atPath: generated.path).sorted()
        #expect(files == ["domain.xml", "profile1.xml", "profile2.xml"])

        let plot = folder.appendingPathComponent("plot.svg").path
        let folderRun = try await Self.shuttle("analyze", generated.path, "--json", "--plot", plot)
        #expect(folderRun.status == 0, "\(folderRun.error)")
        #expect(folderRun.output.contains("\"outcomes\": 625"))
        #expect(try String(contentsOfFile: plot, encoding: .utf8).hasPrefix("<svg"))

        // Domain and profiles named one by one give the same answer as the folder.
        let filesRun = try await Self.shuttle(
            "analyze",
            generated.appendingPathComponent("domain.xml").path,
            generated.appendingPathComponent("profile1.xml").path,
            generated.appendingPathComponent("profile2.xml").path,
            "--json"
        )
        #expect(
            filesRun.output.components(separatedBy: "\"reading\"")[0]
                == folderRun.output.components(separatedBy: "\"reading\"")[0]
        )

        // GENIUS → JSON → analysis gives the same frontier.
        let json = folder.appendingPathComponent("g.json").path
        #expect(try await Self.shuttle("convert", generated.path, "--to", "json", "--output", json).status == 0)
        let jsonRun = try await Self.shuttle("analyze", json, "--json")
        let pareto = { (text: String) in
            text.components(separatedBy: "\"pareto\":")[1].components(separatedBy: "\"nash\"")[0]
        }
        #expect(pareto(jsonRun.output) == pareto(folderRun.output))
    }

    @Test(.timeLimit(.minutes(1)))
    func badFilesGetAClearErrorAndExitCode65() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let domain = folder.appendingPathComponent("domain.xml")
        try Data(
            "<negotiation_template><utility_space><objective><issue index=\"1\" name=\"a\" type=\"discrete\"><item value=\"x\"/></issue></objective></utility_space></negotiation_template>"
                .utf8
        ).write(to: domain)
        let profile = folder.appendingPathComponent("profile.xml")
        try Data(
            "<utility_space>\n<objective>\n<issue index=\"1\" name=\"a\"><item value=\"y\" evaluation=\"1\"/></issue></objective></utility_space>"
                .utf8
        ).write(to: profile)
        let run = try await Self.shuttle("analyze", domain.path, profile.path)
        #expect(run.status == 65)
        #expect(run.error.contains("profile.xml:3: <item value=\"y\">: the domain's issue 'a' has no option 'y'"))
        #expect(run.output.isEmpty)

        let missing = try await Self.shuttle("analyze", folder.appendingPathComponent("nowhere.json").path)
        #expect(missing.status == 65)
        #expect(missing.error.contains("nowhere.json: no such file"))

        let empty = folder.appendingPathComponent("empty.json")
        try Data().write(to: empty)
        let emptyRun = try await Self.shuttle("analyze", empty.path)
        #expect(emptyRun.status == 65)
        #expect(emptyRun.error.contains("empty.json: the file is empty"))
    }

    @Test(.timeLimit(.minutes(1)))
    func realIssuesNeedDiscretisingAndBadOptionsAreUsageErrors() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = folder.appendingPathComponent("real.json")
        try Data(
            #"{"name": "price", "issues": [{"name": "price", "reals": {"min": 10, "max": 40}}], "parties": [{"name": "buyer", "preferences": {"price": {"weight": 1, "linear": {"slope": -0.0333, "offset": 1.333}}}}, {"name": "seller", "preferences": {"price": {"weight": 1, "linear": {"slope": 0.0333, "offset": -0.333}}}}]}"#
                .utf8
        ).write(to: scenario)
        let refused = try await Self.shuttle("analyze", scenario.path)
        #expect(refused.status == 65)
        #expect(refused.error.contains("issue 'price' is continuous; pass --discretize N"))
        let analysed = try await Self.shuttle("analyze", scenario.path, "--discretize", "31", "--json")
        #expect(analysed.status == 0)
        #expect(analysed.output.contains("\"outcomes\": 31"))
        let usage = try await Self.shuttle("analyze", scenario.path, "--discretize", "1")
        #expect(usage.status == 64)
        let reading = try await Self.shuttle("analyze", scenario.path, "--reading", "nonsense")
        #expect(reading.status == 64)
    }
}
