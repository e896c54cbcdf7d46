import CommandTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import NIOWebSocket
import NegotiationEngine
import NegotiationFormats
import Testing

@testable import NegotiationAgents

/// The same messages over a WebSocket, for an agent on another machine: Shuttle's own Boulware,
/// served as a WebSocket agent, negotiates exactly as the built-in one does.
struct AgentSocketTests {
    /// A WebSocket agent written against the protocol's messages alone, playing the built-in
    /// Boulware on the seat it is given; `closeAfterBegin` makes it hang up instead of playing.
    static func agentApplication(closeAfterBegin: Bool = false) -> some ApplicationProtocol {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.ws("/agent") { _, _ in
            .upgrade([:])
        } onUpgrade: { inbound, outbound, _ in
            var negotiator = TimeBasedNegotiator.boulware()
            var space = OutcomeSpace(issues: [])
            func outcome(_ object: Any?) -> Outcome {
                let labels = object as? [String: String] ?? [:]
                return space.outcome(labels: space.issues.map { labels[$0.name] ?? "" })!
            }
            func state(_ message: [String: Any]) -> NegotiationState {
                NegotiationState(step: message["step"] as! Int, relativeTime: message["time"] as! Double)
            }
            for try await frame in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = frame,
                    let message = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                else { continue }
                var answer: [String: Any]?
                switch message["type"] as? String {
                case "hello":
                    answer = ["type": "hello", "protocol": "shuttle-agent/1", "name": "boulware over a socket"]
                case "begin":
                    if closeAfterBegin {
                        try await outbound.close(.goingAway, reason: "bye")
                        return
                    }
                    let bytes = try JSONSerialization.data(withJSONObject: message["scenario"]!)
                    let scenario = try ShuttleScenarioFormat.read(Array(bytes), file: "begin").scenario
                    space = scenario.space
                    let deadline = message["deadline"] as! [String: Any]
                    negotiator = TimeBasedNegotiator.boulware()
                    negotiator.begin(
                        Seat(
                            index: message["seat"] as! Int,
                            partyCount: message["seats"] as! Int,
                            space: space,
                            party: scenario.parties[0],
                            ranking: try UtilityRanking.rankings(for: scenario)[0],
                            deadline: .steps(deadline["steps"] as! Int),
                            seed: (message["seed"] as! NSNumber).uint64Value
                        )
                    )
                    answer = ["type": "ready"]
                case "propose":
                    answer =
                        negotiator.propose(state(message)).map {
                            [
                                "type": "offer",
                                "outcome": Dictionary(
                                    uniqueKeysWithValues: zip(space.issues.map(\.name), space.labels(of: $0))
                                ),
                            ]
                        } ?? ["type": "end"]
                case "respond":
                    switch negotiator.respond(to: outcome(message["offer"]), state(message)) {
                    case .accept: answer = ["type": "accept"]
                    case .reject: answer = ["type": "reject"]
                    case .end: answer = ["type": "end"]
                    }
                default:
                    break
                }
                if let answer {
                    try await outbound.write(
                        .text(String(decoding: try JSONSerialization.data(withJSONObject: answer), as: UTF8.self))
                    )
                }
            }
        }
        return Application(
            router: Router(),
            server: .http1WebSocketUpgrade(webSocketRouter: router),
            configuration: .init(address: .hostname("127.0.0.1", port: 0))
        )
    }

    /// Runs blocking negotiation code on a thread of its own, off Swift concurrency's pool.
    static let scenario = ScenarioGenerator.linearAdditive(
        issues: 3,
        options: 4,
        parties: 2,
        seed: 21,
        reservationValue: 0.1
    )

    static func negotiate(_ seat: @escaping @Sendable () -> any Negotiator) async throws -> NegotiationResult {
        try await onOwnThread {
            NegotiationProtocol.alternatingOffers.mechanism(
                scenario,
                rankings: try UtilityRanking.rankings(for: scenario),
                negotiators: [TimeBasedNegotiator.linear(), seat()],
                deadline: .steps(40),
                seed: 4
            ).run()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aWebSocketAgentNegotiatesAsTheBuiltInDoes() async throws {
        try await Self.agentApplication().test(.live) { client in
            let pool = AgentPool(AgentEndpoint("ws://127.0.0.1:\(client.port!)/agent"), timeout: 10)
            defer { pool.shutdown() }
            let remote = try await Self.negotiate { pool.negotiator(named: "remote") }
            let local = try await Self.negotiate { TimeBasedNegotiator.boulware() }
            #expect(remote.ending == local.ending)
            #expect(remote.trace == local.trace)
            #expect(remote.agreement != nil)
            // The connection is kept: a second negotiation reuses it.
            let again = try await Self.negotiate { pool.negotiator(named: "remote") }
            #expect(again.trace == local.trace)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aVanishingOrUnreachableAgentFailsItsSeat() async throws {
        try await Self.agentApplication(closeAfterBegin: true).test(.live) { client in
            // A generous limit: the test is that the hang-up is reported as such, not as silence,
            // and a run's busiest minute can keep the client's connection waiting for seconds.
            let pool = AgentPool(.webSocket("ws://127.0.0.1:\(client.port!)/agent"), timeout: 30)
            let result = try await Self.negotiate { pool.negotiator(named: "remote") }
            guard case .failed(1, let reason) = result.ending else {
                Issue.record("\(result.ending)")
                return
            }
            #expect(reason.contains("closed the connection"), "\(reason)")
        }
        let nowhere = AgentPool(.webSocket("ws://127.0.0.1:9/agent"), timeout: 5)
        let result = try await Self.negotiate { nowhere.negotiator(named: "nowhere") }
        guard case .failed(1, let reason) = result.ending else {
            Issue.record("\(result.ending)")
            return
        }
        #expect(reason.contains("could not be started"), "\(reason)")
    }
}
