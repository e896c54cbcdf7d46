import CommandTesting
import Foundation
import Testing

/// `--negotiation-timeout`: a negotiation that never ends (an agent that answers in time, every
/// time, and never gives way) is stopped and recorded as failed, the tournament goes on, and no
/// agent process outlives the command.
struct NegotiationTimeLimitTests {
    static let agent = "Tests/NegotiationAgentsTests/Agents/faulty_agent.py"

    /// The processes whose command line holds `fragment` (from /proc).
    static func processes(holding fragment: String) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int($0) != nil }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self).contains(fragment)
        }.count
    }

    @Test(.timeLimit(.minutes(1)))
    func aNegotiationThatNeverEndsIsStoppedAndTheTournamentGoesOn() async throws {
        let folder = try ShuttleCommandTests.temporaryFolder()
        let stalling = "agent:python3 \(Self.agent) stall"
        let started = Date()
        let run = try await ShuttleCommandTests.shuttle(
            "tournament",
            NegotiationCommandTests.sample,
            "--negotiators",
            "hardliner,boulware,\(stalling)",
            "--steps",
            "20000",
            "--negotiation-timeout",
            "2",
            "--agent-timeout",
            "5",
            "--jobs",
            "2",
            "--out",
            folder.path
        )
        let seconds = Date().timeIntervalSince(started)
        #expect(run.succeeded, "\(run.error)")
        let rows = try String(contentsOf: folder.appendingPathComponent("negotiations.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst()
        #expect(rows.count == 6, "every ordered pair of three negotiators")
        let stopped = rows.filter { $0.contains("failed: ran past the negotiation time limit (2 s)") }
        #expect(stopped.count == 4 && stopped.allSatisfy { $0.contains("stall") }, "\(rows)")
        #expect(rows.filter { !$0.contains("stall") }.allSatisfy { !$0.contains("failed") }, "\(rows)")
        #expect(seconds < 30, "four stopped negotiations of about two seconds each, on two threads: \(seconds) s")
        #expect(run.error.contains("4 failed"), "the progress counts the failures: \(run.error)")
        #expect(!run.error.contains("Traceback"), "\(run.error)")
        #expect(Self.processes(holding: "faulty_agent.py stall") == 0, "no agent outlives the tournament")
        let refused = try await ShuttleCommandTests.shuttle(
            "negotiate",
            NegotiationCommandTests.sample,
            "--negotiators",
            "boulware,linear",
            "--negotiation-timeout",
            "0"
        )
        #expect(refused.status == 64 && refused.error.contains("--negotiation-timeout needs a positive number"))
    }

    @Test(.timeLimit(.minutes(1)), arguments: ["hang", "crash", "garbage"])
    func aMisbehavingAgentLeavesNoProcessBehind(fault: String) async throws {
        let folder = try ShuttleCommandTests.temporaryFolder()
        let marker = "faulty_agent.py \(fault)"
        let run = try await ShuttleCommandTests.shuttle(
            "tournament",
            NegotiationCommandTests.sample,
            "--negotiators",
            "boulware,agent:python3 \(Self.agent) \(fault)",
            "--steps",
            "20",
            "--agent-timeout",
            "0.5",
            "--repetitions",
            "2",
            "--out",
            folder.path
        )
        #expect(run.succeeded, "\(run.error)")
        let rows = try String(contentsOf: folder.appendingPathComponent("negotiations.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst()
        #expect(rows.count == 4 && rows.allSatisfy { $0.contains("\(fault) failed:") }, "\(rows)")
        #expect(Self.processes(holding: marker) == 0, "no \(fault) agent outlives the tournament")
    }
}
