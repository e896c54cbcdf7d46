import CommandTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `shuttle tournament --out DIR --resume`: a run killed at any moment carries on to the files an
/// uninterrupted run writes, and a resume of another tournament is refused with the difference.
struct TournamentResumeTests {
    static let common = [
        NegotiationCommandTests.lunch, NegotiationCommandTests.sample, "--negotiators",
        "boulware,tit-for-tat,frequency,conceder,linear,hardliner", "--repetitions", "30", "--steps", "200",
        "--jobs", "2",
    ]

    static func lines(_ folder: URL) -> Int {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        else { return 0 }
        return text.split(separator: "\n").count
    }

    /// Starts the run, and SIGKILLs it once its journal holds `after` negotiations: what a
    /// crash or a node taken away does. Answers how many lines the journal held then.
    static func killedPartWay(_ arguments: [String], out: URL, after: Int) async throws -> Int {
        try await onOwnThread {
            let process = Process()
            process.executableURL = ShuttleCommandTests.binary
            process.arguments = arguments
            process.currentDirectoryURL = ShuttleCommandTests.root
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            while lines(out) <= after, process.isRunning, Date() < deadline { usleep(2_000) }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return lines(out)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aRunKilledPartWayResumesToTheUninterruptedRunsBytes() async throws {
        let folder = try ShuttleCommandTests.temporaryFolder()
        let whole = folder.appendingPathComponent("whole")
        let killed = folder.appendingPathComponent("killed")
        let uninterrupted = try await ShuttleCommandTests.shuttle(
            in: ShuttleCommandTests.root,
            ["tournament"] + Self.common + ["--out", whole.path]
        )
        #expect(uninterrupted.succeeded, "\(uninterrupted.error)")
        let total = Self.lines(whole) - 1
        #expect(total == 1_800)
        let held = try await Self.killedPartWay(
            ["tournament"] + Self.common + ["--out", killed.path],
            out: killed,
            after: 200
        )
        #expect(held > 200 && held - 1 < total, "killed part-way: \(held - 1) of \(total) in the journal")
        #expect(!FileManager.default.fileExists(atPath: killed.appendingPathComponent("scores.csv").path))
        // Started again without --resume, the run would throw the journal's work away: refused.
        let forgot = try await ShuttleCommandTests.shuttle(
            in: ShuttleCommandTests.root,
            ["tournament"] + Self.common + ["--out", killed.path]
        )
        #expect(
            forgot.status == 64
                && forgot.error.contains("unfinished run (\(held - 1) of \(total) negotiations): pass --resume"),
            "\(forgot.error)"
        )
        let resumed = try await ShuttleCommandTests.shuttle(
            in: ShuttleCommandTests.root,
            ["tournament"] + Self.common + ["--out", killed.path, "--resume"]
        )
        #expect(resumed.succeeded, "\(resumed.error)")
        #expect(resumed.error.contains("resuming: \(held - 1) negotiations of \(total) are done"), "\(resumed.error)")
        for file in ["negotiations.csv", "scores.csv"] {
            #expect(
                try Data(contentsOf: killed.appendingPathComponent(file))
                    == Data(contentsOf: whole.appendingPathComponent(file)),
                "\(file) differs from the uninterrupted run's"
            )
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aShardResumesPastALineTheCrashCutShort() async throws {
        let folder = try ShuttleCommandTests.temporaryFolder()
        let shard = ["--shard", "2/3", "--repetitions", "4"]
        let arguments = ["tournament"] + Self.common + shard
        let whole = folder.appendingPathComponent("whole")
        #expect(
            try await ShuttleCommandTests.shuttle(in: ShuttleCommandTests.root, arguments + ["--out", whole.path])
                .succeeded
        )
        // The journal of a run cut after 20 negotiations, the 21st's line half written.
        let cut = folder.appendingPathComponent("cut")
        try FileManager.default.createDirectory(at: cut, withIntermediateDirectories: true)
        let journal = try String(contentsOf: whole.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        let lines = journal.split(separator: "\n", omittingEmptySubsequences: false)
        let partial = lines.prefix(21).joined(separator: "\n") + "\n" + lines[21].prefix(30)
        try partial.write(to: cut.appendingPathComponent("journal.jsonl"), atomically: true, encoding: .utf8)
        let resumed = try await ShuttleCommandTests.shuttle(
            in: ShuttleCommandTests.root,
            arguments + ["--out", cut.path, "--resume"]
        )
        #expect(resumed.succeeded, "\(resumed.error)")
        #expect(resumed.error.contains("resuming: 20 negotiations"), "\(resumed.error)")
        #expect(
            try Data(contentsOf: cut.appendingPathComponent("negotiations.csv"))
                == Data(contentsOf: whole.appendingPathComponent("negotiations.csv"))
        )
        #expect(Self.lines(cut) == Self.lines(whole), "the cut line was dropped and its negotiation run again")
    }

    @Test(.timeLimit(.minutes(2)))
    func aResumeOfAnotherTournamentIsRefusedNamingTheDifference() async throws {
        let folder = try ShuttleCommandTests.temporaryFolder()
        let out = folder.appendingPathComponent("run").path
        let small = [NegotiationCommandTests.lunch, "--negotiators", "boulware,linear", "--steps", "50"]
        #expect(
            try await ShuttleCommandTests.shuttle(
                in: ShuttleCommandTests.root,
                ["tournament"] + small + ["--out", out]
            ).succeeded
        )
        let steps = try await ShuttleCommandTests.shuttle(
            in: ShuttleCommandTests.root,
            [
                "tournament", NegotiationCommandTests.lunch, "--negotiators", "boulware,linear", "--steps", "60",
                "--out", out, "--resume",
            ]
        )
        #expect(steps.status == 64)
        #expect(
            steps.error.contains("deadline was {\"steps\":50} in the run; it is {\"steps\":60} now"),
            "\(steps.error)"
        )
        // The same file names, one number changed: a profile edited between the runs.
        let edited = folder.appendingPathComponent("lunch")
        try FileManager.default.copyItem(
            at: ShuttleCommandTests.root.appendingPathComponent(NegotiationCommandTests.lunch),
            to: edited
        )
        let profile = edited.appendingPathComponent("lunch-ann.xml")
        let text = try String(contentsOf: profile, encoding: .utf8)
        let changed = try #require(text.range(of: #"evaluation="\d+""#, options: .regularExpression))
        try text.replacingCharacters(in: changed, with: #"evaluation="97""#).write(
            to: profile,
            atomically: true,
            encoding: .utf8
        )
        let other = try await ShuttleCommandTests.shuttle(
            in: ShuttleCommandTests.root,
            ["tournament", edited.path, "--negotiators", "boulware,linear", "--steps", "50", "--out", out, "--resume"]
        )
        #expect(other.status == 64)
        #expect(other.error.contains("scenario 1, 'lunch', is not the one the run read"), "\(other.error)")
        let shard = try await ShuttleCommandTests.shuttle(
            in: ShuttleCommandTests.root,
            ["tournament"] + small + ["--shard", "1/2", "--out", out, "--resume"]
        )
        #expect(
            shard.status == 64 && shard.error.contains("the run was shard 1/1; this is shard 1/2"),
            "\(shard.error)"
        )
        let without = try await ShuttleCommandTests.shuttle(
            in: ShuttleCommandTests.root,
            ["tournament"] + small + ["--resume"]
        )
        #expect(without.status == 64 && without.error.contains("--resume needs --out"))
        // The refused resumes left the run's journal as it was: a right resume runs nothing.
        let again = try await ShuttleCommandTests.shuttle(
            in: ShuttleCommandTests.root,
            ["tournament"] + small + ["--out", out, "--resume"]
        )
        #expect(again.succeeded && again.error.contains("resuming: 2 negotiations of 2 are done"), "\(again.error)")
    }
}
