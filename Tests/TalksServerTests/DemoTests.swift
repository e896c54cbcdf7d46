import Foundation
import NegotiationEngine
import Talks
import TalksServer
import TalksStore
import Testing

struct DemoTests {
    static func scenario() -> Scenario {
        let space = OutcomeSpace(issues: [
            Issue(name: "enrichment ceiling", options: ["no enrichment", "3.67%", "20%"]),
            Issue(name: "sanctions relief", options: ["full lifting", "phased lifting", "none"]),
        ])
        func party(
            _ name: String,
            _ weights: [Double],
            _ tables: [[Double]],
            forbidden: [Int: Set<Int>],
            reservation: Double
        ) -> Party {
            Party(
                name: name,
                utility: .linearAdditive(
                    LinearAdditiveUtility(weights: weights, evaluators: tables.map { .table($0) })
                ),
                reservationValue: reservation,
                forbiddenOptions: forbidden
            )
        }
        return Scenario(
            name: "demo",
            space: space,
            parties: [
                party(
                    "United States",
                    [0.6, 0.4],
                    [[1, 0.6, 0], [0, 0.6, 1]],
                    forbidden: [0: [2]],
                    reservation: 0.3
                ),
                party("Iran", [0.4, 0.6], [[0, 0.7, 1], [1, 0.7, 0]], forbidden: [1: [2]], reservation: 0.35),
            ]
        )
    }

    @Test func theDemoReplaysTheFormatAndKeepsRoomsClosed() async throws {
        let store = MemoryTalksStore()
        let hub = TalksHub(store: store)
        let (id, seats) = try await Demo.seed(hub, scenario: Self.scenario(), openedBy: "demo-operator")
        #expect(try await hub.talks(openedBy: "demo-operator") == [id], "the demo's operator sees the demo talks")
        #expect(seats.count == 9)
        #expect(seats.filter { $0.role == "principal" }.count == 2)
        let talks = try await hub.talks(id)
        let state = talks.state
        #expect(state.rounds.values.map(\.venue).sorted() == ["Muscat", "Muscat", "Rome"])
        #expect(state.readouts["R1"]?.count == 2)
        #expect(state.clauses.contains { $0.status == .bracketed } && state.tracks.count == 2)
        #expect(state.preferences.count == 2)
        guard case .packages(let packages) = talks.suggestions() else {
            Issue.record("expected packages")
            return
        }
        #expect(!packages.isEmpty)
        let mediator = try #require(state.mediator)
        let mediatorText = try await hub.visibleEvents(in: id, for: mediator.id, after: 0, limit: 1_000).events.joined()
        #expect(!mediatorText.contains("Internal:"), "the mediator never reads a delegation's room")
        #expect(!mediatorText.contains("reservationValue"))
        guard case .intact = RecordChain.verify(try await store.links(of: id, after: 0)) else {
            Issue.record("chain broken")
            return
        }
    }
}

extension DemoTests {
    /// The sample inside the binary is the repository's sample, byte for byte.
    @Test func theEmbeddedSampleIsTheShippedOne() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let shipped = try String(
            contentsOf: root.appendingPathComponent("Samples/april-2025-talks.json"),
            encoding: .utf8
        )
        #expect(Demo.sampleScenario + "\n" == shipped)
    }
}
