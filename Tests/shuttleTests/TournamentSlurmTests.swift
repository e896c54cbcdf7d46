import CommandTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The README's Slurm array job on a real one-node cluster (`scripts/slurm-for-tests.sh`, which CI
/// starts): shards as array tasks, one requeued part-way so that it resumes from its journal, the
/// merge as a dependent job, and the merged files byte for byte the whole run's.
@Suite(
    .enabled(
        if: ProcessInfo.processInfo.environment["SHUTTLE_TEST_SLURM"] != nil,
        "no Slurm cluster: eval \"$(scripts/slurm-for-tests.sh start)\" starts one (CI does)"
    )
)
struct TournamentSlurmTests {
    static let job = ShuttleCommandTests.root.appendingPathComponent("scripts/slurm-tournament.sh")

    /// Runs a Slurm command, with the `shuttle` under test first on the path its jobs inherit.
    static func slurm(_ command: String, _ arguments: [String], in folder: URL) throws -> CommandRun {
        let path = ShuttleCommandTests.binary.deletingLastPathComponent().path
        let run = try CommandRun.runBlocking(
            URL(fileURLWithPath: "/usr/bin/\(command)"),
            arguments,
            in: folder,
            environment: ["PATH": path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
        )
        if !run.succeeded { Issue.record("\(command) \(arguments.joined(separator: " ")): \(run.error)") }
        return run
    }

    /// The tournament's scenarios: the fixtures, eight times over under other names, so that each
    /// shard runs for a few seconds and can be caught part-way.
    static func scenarios(in folder: URL) throws {
        let scenarios = folder.appendingPathComponent("scenarios")
        try FileManager.default.createDirectory(at: scenarios, withIntermediateDirectories: true)
        let root = ShuttleCommandTests.root
        for copy in 1...8 {
            try FileManager.default.copyItem(
                at: root.appendingPathComponent(NegotiationCommandTests.lunch),
                to: scenarios.appendingPathComponent("lunch-\(copy)")
            )
            try FileManager.default.copyItem(
                at: root.appendingPathComponent(NegotiationCommandTests.sample),
                to: scenarios.appendingPathComponent("talks-\(copy).json")
            )
        }
    }

    static func journalLines(_ folder: URL) -> Int {
        let journal = folder.appendingPathComponent("journal.jsonl")
        return (try? String(contentsOf: journal, encoding: .utf8))?.split(separator: "\n").count ?? 0
    }

    /// Waits until no job is left in the queue, or `seconds` pass; answers whether it emptied.
    static func queueEmpties(within seconds: Double, in folder: URL) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try slurm("squeue", ["-h"], in: folder).output.isEmpty { return true }
            usleep(200_000)
        }
        return false
    }

    @Test(.timeLimit(.minutes(10)))
    func theReadmesArrayJobRequeuedPartWayMergesToTheWholeRunsBytes() async throws {
        let readme = try String(
            contentsOf: ShuttleCommandTests.root.appendingPathComponent("README.md"),
            encoding: .utf8
        )
        let script = try String(contentsOf: Self.job, encoding: .utf8)
        let shown = readme.contains(script)
        #expect(shown, "the README shows scripts/slurm-tournament.sh as it is")
        let folder = try ShuttleCommandTests.temporaryFolder()
        try Self.scenarios(in: folder)
        // The whole run, on one machine without Slurm, with the job's own settings.
        let whole = try await ShuttleCommandTests.shuttle(
            in: folder,
            ["tournament"] + (1...8).map { "scenarios/lunch-\($0)" } + (1...8).map { "scenarios/talks-\($0).json" }
                + [
                    "--negotiators", "boulware,linear,conceder,frequency", "--repetitions", "20", "--out",
                    "results/whole",
                ]
        )
        #expect(whole.succeeded, "\(whole.error)")
        try await onOwnThread { try Self.runOnSlurm(in: folder) }
        for file in ["negotiations.csv", "scores.csv"] {
            let merged = try Data(contentsOf: folder.appendingPathComponent("results/merged/\(file)"))
            let expected = try Data(contentsOf: folder.appendingPathComponent("results/whole/\(file)"))
            #expect(merged == expected, "results/merged/\(file) differs from the whole run's")
        }
    }

    /// Submits the job as 3 array tasks of one CPU each, requeues task 2 once its journal holds
    /// some negotiations, submits the merge as a dependent job, and waits for the queue to empty.
    static func runOnSlurm(in folder: URL) throws {
        // The command line's options take the place of the script's #SBATCH ones, for a small node.
        let array = try slurm(
            "sbatch",
            ["--parsable", "--array=1-3", "--cpus-per-task=1", "--output=slurm-%A_%a.out", job.path],
            in: folder
        ).output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Int(array) != nil, "sbatch answers the job's number: '\(array)'")
        let shard = folder.appendingPathComponent("results/shard-2")
        let deadline = Date().addingTimeInterval(120)
        while journalLines(shard) < 20, Date() < deadline { usleep(5_000) }
        _ = try slurm("scontrol", ["requeue", "\(array)_2"], in: folder)
        let merge = try slurm(
            "sbatch",
            [
                "--parsable", "--dependency=afterok:\(array)", "--output=merge.out", "--wrap",
                "shuttle tournament merge results/shard-* --out results/merged",
            ],
            in: folder
        )
        #expect(merge.succeeded)
        #expect(try queueEmpties(within: 300, in: folder), "the array and the merge end within 5 minutes")
        let resumed = try String(contentsOf: folder.appendingPathComponent("slurm-\(array)_2.out"), encoding: .utf8)
        let done = resumed.firstMatch(of: /resuming: (\d+) negotiations of (\d+) are done/)
        #expect(done != nil, "task 2 ran again and resumed: \(resumed.suffix(400))")
        if let done {
            #expect(Int(done.1)! >= 19 && Int(done.1)! < Int(done.2)!, "requeued part-way: \(done.0)")
        }
        let merged = try String(contentsOf: folder.appendingPathComponent("merge.out"), encoding: .utf8)
        #expect(merged.contains("3 shards, 3840 negotiations"), "\(merged)")
    }
}
