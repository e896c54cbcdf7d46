import CommandTesting
import Foundation
import Testing

/// `--negotiation-timeout`: a negotiation that never ends (an agent that answers in time, every
/// time, and never gives way) is stopped and recorded as failed, the tournament goes on, and no
/// agent process outlives the command.
struct NegotiationTimeLimitTests {
    static let agent = "Tests/NegotiationAgentsTests/Agents/faulty_agent.py"

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
        #expect(ProcessTable.processes(holding: "faulty_agent.py stall").isEmpty, "no agent outlives the tournament")
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
        #expect(ProcessTable.processes(holding: marker).isEmpty, "no \(fault) agent outlives the tournament")
    }

    /// A tournament with `python:` seats killed (SIGKILL) part-way: its fork server sees its
    /// control line close, kills the seats it forked and exits, and nothing is left running.
    @Test(
        .timeLimit(.minutes(2)),
        .enabled(
            if: ProcessInfo.processInfo.environment["SHUTTLE_PYTHON"] != nil,
            "no SHUTTLE_PYTHON with NegMAS and shuttle_agents: run scripts/setup-negmas.sh and pip install ./python (CI does)"
        )
    )
    func aKilledTournamentLeavesNoPythonSeatBehind() async throws {
        let marker = "shuttle_agents.fork_server"
        let (shuttle, forked) = try await onOwnThread { () throws -> (Bool, [Int32]) in
            let process = Process()
            process.executableURL = ShuttleCommandTests.binary
            process.arguments = [
                "tournament", NegotiationCommandTests.lunch, NegotiationCommandTests.sample, "--negotiators",
                "boulware,python:negmas.sao:AspirationNegotiator", "--repetitions", "200", "--jobs", "2",
            ]
            process.currentDirectoryURL = ShuttleCommandTests.root
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            var forked: [Int32] = []
            let deadline = Date().addingTimeInterval(90)
            while process.isRunning, Date() < deadline {
                let servers = ProcessTable.processes(holding: marker, parent: process.processIdentifier)
                let agents = servers.flatMap { ProcessTable.processes(holding: marker, parent: $0) }
                if !agents.isEmpty {
                    forked = servers + agents
                    break
                }
                usleep(20_000)
            }
            let running = process.isRunning
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let gone = Date().addingTimeInterval(10)
            while forked.contains(where: ProcessTable.isAlive), Date() < gone { usleep(20_000) }
            return (running, forked)
        }
        #expect(shuttle && forked.count >= 2, "killed while its server and a seat ran: \(forked)")
        #expect(!forked.contains(where: ProcessTable.isAlive), "no Python seat outlives a killed tournament")
    }
}
