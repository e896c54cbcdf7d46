import CommandTesting
import Foundation
import NegotiationEngine
import NegotiationFormats
import Testing

@testable import NegotiationAgents

/// External agents, run as processes: the repository's Python reference agent plays every
/// protocol and sees exactly its audience's view; misbehaving agents end their seat cleanly.
@Suite(.serialized)
struct ExternalNegotiatorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let reference = ["python3", root.appendingPathComponent("python/shuttle_agents/reference.py").path]
    static func faulty(_ fault: String) -> [String] {
        ["python3", root.appendingPathComponent("Tests/NegotiationAgentsTests/Agents/faulty_agent.py").path, fault]
    }

    static let scenario = ScenarioGenerator.linearAdditive(
        issues: 3,
        options: 4,
        parties: 2,
        seed: 11,
        reservationValue: 0.2
    )

    /// Runs a negotiation between the seats `seats` makes, on a thread of its own: agents are
    /// processes, and waiting for them blocks.
    static func negotiate(
        _ kind: NegotiationProtocol,
        scenario: Scenario = scenario,
        steps: Int = 40,
        seed: UInt64 = 3,
        _ seats: @escaping @Sendable () -> [any Negotiator]
    ) async throws -> NegotiationResult {
        try await onOwnThread {
            kind.mechanism(
                scenario,
                rankings: try UtilityRanking.rankings(for: scenario),
                negotiators: seats(),
                deadline: .steps(steps),
                seed: seed
            ).run()
        }
    }

    static func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("shuttle-agent-\(UUID().uuidString).jsonl")
    }

    /// The messages an agent logged, parsed.
    static func logged(_ file: URL) throws -> [String] {
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// Against a built-in and against itself, in every protocol: the agent's events are the
    /// trace filtered by its seat's audience, message for message, and an agreement is one
    /// both seats accepted.
    @Test(.timeLimit(.minutes(1)), arguments: NegotiationProtocol.allCases)
    func referenceAgentPlaysEveryProtocolAndSeesItsAudience(kind: NegotiationProtocol) async throws {
        let logs = [Self.temporaryFile(), Self.temporaryFile()]
        let pools = logs.map {
            AgentPool(command: Self.reference, timeout: 10, environment: ["SHUTTLE_AGENT_LOG": $0.path])
        }
        defer { for pool in pools { pool.shutdown() } }
        let result = try await Self.negotiate(kind) {
            [TimeBasedNegotiator.boulware(), pools[0].negotiator(named: "reference")]
        }
        let selfPlay = try await Self.negotiate(kind) {
            [pools[1].negotiator(named: "a"), pools[1].negotiator(named: "b")]
        }
        #expect(!isFailure(result.ending), "\(result.ending)")
        #expect(!isFailure(selfPlay.ending), "\(selfPlay.ending)")
        #expect(result.agreement != nil || kind == .singleText, "the reference agent agrees with Boulware in \(kind)")
        let seen = try Self.logged(logs[0])
        let events = seen.filter { $0.contains(#""type":"event""#) }
        let expected = result.trace.filter { $0.audience.includes(.seat(1)) }.map {
            AgentMessages.event($0, space: Self.scenario.space)
        }
        #expect(events == expected)
        #expect(seen.first?.contains(#""type":"hello""#) == true)
        #expect(seen.last?.contains(#""type":"end""#) == true)
        // The agent's words ride on its move's event, to that event's audience only.
        let accepted = result.trace.filter {
            $0.actor == .seat(1) && { if case .accept = $0.action { true } else { false } }($0)
        }
        #expect(accepted.allSatisfy { $0.text == "agreed" })
        #expect(accepted.allSatisfy { $0.audience.includes(.seat(0)) == (kind == .alternatingOffers) })
        #expect(result.trace.filter { $0.text != nil }.count == accepted.count)
        let begin = try #require(seen.first { $0.contains(#""type":"begin""#) })
        #expect(begin.contains(#""seat":1"#) && begin.contains(#""seats":2"#))
        #expect(
            begin.contains(Self.scenario.parties[1].name) && !begin.contains(Self.scenario.parties[0].name),
            "its own preferences and nobody else's"
        )
    }

    /// The worked transcript of docs/agent-protocol.md: the agent accepts Conceder's third offer
    /// with the words "agreed", which the trace keeps on that acceptance.
    @Test(.timeLimit(.minutes(1)))
    func anAnswersTextRidesOnItsEvent() async throws {
        let folder = Self.root.appendingPathComponent("Tests/NegotiationFormatsTests/Fixtures/geniusweb-holiday")
        let files = try ["holiday.json", "profileA.json", "profileB.json"].map {
            ($0, Array(try Data(contentsOf: folder.appendingPathComponent($0))))
        }
        let holiday = try GeniusWebReader.scenario(files: files).scenario
        let pool = AgentPool(command: Self.reference)
        defer { pool.shutdown() }
        let result = try await Self.negotiate(.alternatingOffers, scenario: holiday, steps: 3) {
            [TimeBasedNegotiator.conceder(), pool.negotiator(named: "reference")]
        }
        #expect(result.ending == .agreement)
        let acceptance = try #require(result.trace.last { $0.actor == .seat(1) })
        #expect(acceptance.action == .accept(result.agreement!))
        #expect(acceptance.text == "agreed")
        #expect(
            NegotiationReport.json(result, scenario: holiday, names: ["conceder", "reference"], protocolName: "sao")
                .contains(#""text": "agreed""#)
        )
    }

    /// The same seed gives the same negotiation, agent and all; the agent process is reused.
    @Test(.timeLimit(.minutes(1)))
    func seedsReplay() async throws {
        let pool = AgentPool(command: Self.reference)
        defer { pool.shutdown() }
        func run(seed: UInt64) async throws -> [NegotiationEvent] {
            try await Self.negotiate(.shuttle, seed: seed) {
                [pool.negotiator(named: "a"), TimeBasedNegotiator.linear()]
            }.trace
        }
        let first = try await run(seed: 5)
        #expect(try await run(seed: 5) == first)
        #expect(first.count > 4)
    }

    /// Each misbehaviour ends the negotiation for that seat, within the time limit, saying which
    /// seat and why; the other seat is untouched and Shuttle goes on.
    @Test(
        .timeLimit(.minutes(1)),
        arguments: [
            ("crash", "crashed (signal 11)"),
            ("hang", "gave no answer to propose within 3 s"),
            ("garbage", "answered against the protocol: not JSON"),
            ("exit", "exited (status 3)"),
            ("wrong-answer", "answered against the protocol: answered ready to propose"),
            ("unknown-option", "answered against the protocol: no issue 'no such issue'"),
            ("flood", "answered against the protocol: a line longer than"),
            ("silent-hello", "gave no answer to hello within 3 s"),
            ("old-version", "speaks 'shuttle-agent/0'"),
        ]
    )
    func misbehavingAgentsEndTheirSeatCleanly(fault: String, reason: String) async throws {
        // 3 s: enough for Python to start on a loaded machine, short enough for a hang to cost little.
        let pool = AgentPool(command: Self.faulty(fault), timeout: 3)
        defer { pool.shutdown() }
        let started = ContinuousClock.now
        let result = try await Self.negotiate(.alternatingOffers) {
            [pool.negotiator(named: "faulty"), TimeBasedNegotiator.boulware()]
        }
        #expect(ContinuousClock.now - started < .seconds(10), "never much past the limit")
        guard case .failed(let seat, let why) = result.ending else {
            Issue.record("ended \(result.ending), not failed")
            return
        }
        #expect(seat == 0)
        #expect(why.contains(reason), "\(why)")
        #expect(result.agreement == nil)
    }

    /// A tournament with a crashing agent runs every negotiation and records each failure.
    @Test(.timeLimit(.minutes(1)))
    func aTournamentGoesOnPastAFailingAgent() async throws {
        let crashing = AgentPool(command: Self.faulty("crash"))
        let reference = AgentPool(command: Self.reference)
        defer {
            crashing.shutdown()
            reference.shutdown()
        }
        let tournament = Tournament(
            scenarios: [Self.scenario],
            competitors: [
                Tournament.Competitor(name: "crashing") { crashing.negotiator(named: "crashing") },
                Tournament.Competitor(name: "reference") { reference.negotiator(named: "reference") },
                Tournament.Competitor(name: "boulware") { TimeBasedNegotiator.boulware() },
            ],
            deadline: .steps(30),
            repetitions: 2
        )
        let records = try await onOwnThread { try tournament.run(jobs: 2) }
        #expect(records.count == 12)
        for record in records {
            let crashingSeat = record.match.seats.firstIndex(of: 0)
            if let crashingSeat {
                #expect(record.ending == .failed(seat: crashingSeat, reason: "agent crashed (signal 11)"))
            } else {
                #expect(!isFailure(record.ending))
                #expect(record.agreement != nil)
            }
        }
    }

}

func isFailure(_ ending: NegotiationResult.Ending) -> Bool {
    if case .failed = ending { true } else { false }
}
