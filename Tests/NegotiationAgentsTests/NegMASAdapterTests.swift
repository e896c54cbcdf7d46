import CommandTesting
import Foundation
import NegotiationEngine
import NegotiationFormats
import Testing

@testable import NegotiationAgents

/// NegMAS negotiators seated through the Python adapter (`python/shuttle_agents/negmas_adapter.py`):
/// in SAO they reach NegMAS's own agreement at NegMAS's own step; in the mediated protocols they
/// play through. These need a Python with NegMAS 0.16 (`scripts/setup-negmas.sh`, which CI runs).
@Suite(
    .serialized,
    .enabled(
        if: NegMASPython.path != nil,
        "no Python with NegMAS 0.16: run scripts/setup-negmas.sh or set SHUTTLE_PYTHON"
    )
)
struct NegMASAdapterTests {
    static let root = ExternalNegotiatorTests.root
    static var python: String? { NegMASPython.path }

    /// Runs a command to its end (killed after two minutes); its standard output, or an error
    /// with its standard error.
    @discardableResult
    static func run(_ command: [String]) async throws -> String {
        try output(
            of: try await CommandRun.run(URL(fileURLWithPath: "/usr/bin/env"), command, environment: environment),
            command
        )
    }

    /// ``run(_:)`` on the caller's thread, for the suite's condition (``NegMASPython``).
    static func runBlocking(_ command: [String]) throws -> String {
        try output(
            of: try CommandRun.runBlocking(URL(fileURLWithPath: "/usr/bin/env"), command, environment: environment),
            command
        )
    }

    static var environment: [String: String] { ["PYTHONPATH": root.appendingPathComponent("python").path] }

    private static func output(of run: CommandRun, _ command: [String]) throws -> String {
        guard run.succeeded else {
            throw AgentFault.launch(
                "\(command.prefix(2).joined(separator: " ")) ended with \(run.status)\(run.timedOut ? " (killed)" : ""): \(run.error)"
            )
        }
        return run.output
    }

    /// A seat by the adapter in a process of its own (`agent:` style).
    static func adapter(_ negotiator: String) -> AgentPool {
        AgentPool(
            command: [python!, "-m", "shuttle_agents.negmas_adapter", negotiator],
            timeout: 60,
            environment: environment
        )
    }

    /// The fork server `python:` seats come from, importing `negotiators` once.
    static func forkServer(_ negotiators: [String]) -> AgentForkServer {
        AgentForkServer(command: [python!, "-m", "shuttle_agents.fork_server"] + negotiators)
    }

    /// A seat forked by `server`.
    static func forked(_ negotiator: String, by server: AgentForkServer) -> AgentPool {
        AgentPool(.forked(server, negotiator), timeout: 60, environment: environment)
    }

    /// A random two-party scenario written as GENIUS files, and Shuttle's reading of them as NegMAS reads.
    static func geniusFolder(seed: UInt64) throws -> (URL, Scenario) {
        let generated = ScenarioGenerator.linearAdditive(
            issues: 3,
            options: 5,
            parties: 2,
            seed: seed,
            reservationValue: 0.3
        )
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "shuttle-negmas-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var files = [(name: "domain.xml", bytes: Array(GeniusWriter.domain(generated).utf8))]
        for (index, party) in generated.parties.enumerated() {
            files.append(
                (name: "profile-\(index + 1).xml", bytes: Array(GeniusWriter.profile(party, in: generated).utf8))
            )
        }
        for file in files { try Data(file.bytes).write(to: folder.appendingPathComponent(file.name)) }
        return (folder, try GeniusReader.scenario(files: files, reading: .negmas).scenario)
    }

    static let negotiators = ["negmas.sao:AspirationNegotiator", "negmas.sao:NaiveTitForTatNegotiator"]

    /// NegMAS's own SAOMechanism on the folder, for each ordered pair: agreement labels (or
    /// nothing) and the step it ended at, one JSON line per pair.
    static func negmasRuns(_ folder: URL, steps: Int) async throws -> [[String]] {
        let script = """
            import json, sys, warnings, importlib
            warnings.filterwarnings("ignore")
            from negmas.inout import Scenario
            from negmas.sao import SAOMechanism
            scenario = Scenario.from_genius_folder(sys.argv[1], ignore_discount=True)
            load = lambda spec: getattr(importlib.import_module(spec.split(":")[0]), spec.split(":")[1])
            for first in sys.argv[3:]:
                for second in sys.argv[3:]:
                    mechanism = SAOMechanism(outcome_space=scenario.outcome_space, n_steps=int(sys.argv[2]))
                    mechanism.add(load(first)(name="seat0"), ufun=scenario.ufuns[0])
                    mechanism.add(load(second)(name="seat1"), ufun=scenario.ufuns[1])
                    state = mechanism.run()
                    print(json.dumps([str(v) for v in (state.agreement or ())] + ["@", str(state.step)]))
            """
        let output = try await run([python!, "-c", script, folder.path, String(steps)] + negotiators)
        return output.split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String]) ?? []
        }
    }

    /// In SAO, a pair of NegMAS negotiators seated in Shuttle ends exactly as in NegMAS: the same
    /// agreement (or none) at the same step, for every ordered pair on random scenarios.
    @Test(.timeLimit(.minutes(3)), arguments: [5, 6] as [UInt64])
    func seatedNegotiatorsAgreeAsInNegMAS(seed: UInt64) async throws {
        let (folder, scenario) = try Self.geniusFolder(seed: seed)
        defer { try? FileManager.default.removeItem(at: folder) }
        let steps = 60
        let theirs = try await Self.negmasRuns(folder, steps: steps)
        // Seated as `python:` seats are: forked by one server that imported them once.
        let server = Self.forkServer(Self.negotiators)
        let pools = Self.negotiators.map { Self.forked($0, by: server) }
        defer {
            for pool in pools { pool.shutdown() }
            server.shutdown()
        }
        var ours: [[String]] = []
        for first in pools.indices {
            for second in pools.indices {
                let result = try await ExternalNegotiatorTests.negotiate(
                    .alternatingOffers,
                    scenario: scenario,
                    steps: steps
                ) {
                    [pools[first].negotiator(named: "a"), pools[second].negotiator(named: "b")]
                }
                #expect(!isFailure(result.ending), "\(result.ending)")
                ours.append(
                    (result.agreement.map { scenario.space.labels(of: $0) } ?? []) + ["@", String(result.steps)]
                )
            }
        }
        #expect(theirs.count == Self.negotiators.count * Self.negotiators.count)
        #expect(ours == theirs)
        #expect(ours.contains { $0.first != "@" }, "some pair agrees, so agreements are compared too")
    }

    /// In the mediated protocols the negotiator answers the mediator's texts: it plays through
    /// without failing, agrees only to what its own preferences allow, and a seed replays the run.
    @Test(.timeLimit(.minutes(2)), arguments: [NegotiationProtocol.shuttle, .singleText])
    func seatedNegotiatorPlaysTheMediatedProtocols(kind: NegotiationProtocol) async throws {
        let scenario = ExternalNegotiatorTests.scenario
        let pool = Self.adapter("negmas.sao:AspirationNegotiator")
        defer { pool.shutdown() }
        var runs: [NegotiationResult] = []
        for _ in 0..<2 {
            runs.append(
                try await ExternalNegotiatorTests.negotiate(kind, scenario: scenario) {
                    [TimeBasedNegotiator.conceder(), pool.negotiator(named: "aspiration")]
                }
            )
        }
        #expect(!isFailure(runs[0].ending), "\(runs[0].ending)")
        let agreement = try #require(runs[0].agreement, "the aspiration negotiator agrees with a conceder in \(kind)")
        let rankings = try UtilityRanking.rankings(for: scenario)
        #expect(rankings[1].utility(of: agreement) >= scenario.parties[1].reservationValue)
        #expect(runs[0].agreement == runs[1].agreement && runs[0].steps == runs[1].steps)
        #expect(runs[0].trace.contains { $0.actor == .seat(1) })
    }

    /// A class that cannot be loaded fails its seat with the adapter's exit, as any agent that
    /// exits, whether in a process of its own or forked.
    @Test(.timeLimit(.minutes(1)), arguments: [false, true])
    func unknownNegotiatorFailsItsSeat(forked: Bool) async throws {
        let server = Self.forkServer(["no_such_module:Negotiator"])
        let pool =
            forked ? Self.forked("no_such_module:Negotiator", by: server) : Self.adapter("no_such_module:Negotiator")
        defer {
            pool.shutdown()
            server.shutdown()
        }
        let result = try await ExternalNegotiatorTests.negotiate(.alternatingOffers) {
            [TimeBasedNegotiator.boulware(), pool.negotiator(named: "missing")]
        }
        guard case .failed(let seat, let reason) = result.ending else {
            Issue.record("expected a failed seat, got \(result.ending)")
            return
        }
        #expect(seat == 1)
        #expect(reason.contains("exited (status 1)"), "\(reason)")
    }

    /// The fork server forks a process per agent and, when shut down, leaves none behind.
    @Test(.timeLimit(.minutes(1)))
    func theForkServerLeavesNoAgentBehind() async throws {
        let server = Self.forkServer(["negmas.sao:AspirationNegotiator"])
        let pools = (0..<2).map { _ in Self.forked("negmas.sao:AspirationNegotiator", by: server) }
        let result = try await ExternalNegotiatorTests.negotiate(.alternatingOffers) {
            [pools[0].negotiator(named: "a"), pools[1].negotiator(named: "b")]
        }
        #expect(!isFailure(result.ending), "\(result.ending)")
        let marker = "shuttle_agents.fork_server"
        let servers = ProcessTable.processes(holding: marker, parent: getpid())
        let agents = servers.flatMap { ProcessTable.processes(holding: marker, parent: $0) }
        #expect(servers.count == 1 && agents.count == 2, "one server, an agent per seat: \(servers), \(agents)")
        for pool in pools { pool.shutdown() }
        server.shutdown()
        let left = (servers + agents).filter(ProcessTable.isAlive)
        #expect(left.isEmpty, "nothing outlives the server: \(left)")
    }
}

/// The Python the adapter tests run: `SHUTTLE_PYTHON`, else the repository's `.venv-negmas`, if it
/// imports NegMAS.
enum NegMASPython {
    static let path: String? = {
        let candidates: [String] = [
            ProcessInfo.processInfo.environment["SHUTTLE_PYTHON"],
            ExternalNegotiatorTests.root.appendingPathComponent(".venv-negmas/bin/python").path,
        ].compactMap { $0 }
        for candidate in candidates {
            let works: Bool
            do {
                _ = try NegMASAdapterTests.runBlocking([candidate, "-c", "import negmas"])
                works = true
            } catch {
                works = false
            }
            if works { return candidate }
        }
        return nil
    }()
}
