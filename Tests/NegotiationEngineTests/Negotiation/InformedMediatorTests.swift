import NegotiationEngine
import Testing

/// The informed mediator: it shows each seat only suggestions (inside every red line,
/// efficient), never another seat's offer, moves each seat up towards the Nash point, concedes
/// to a seat that keeps refusing what the others accept, and replays.
struct InformedMediatorTests {
    static func run(_ scenario: Scenario, _ seats: [Spy], steps: Int = 40, seed: UInt64 = 7) throws -> NegotiationResult
    {
        NegotiationProtocol.shuttle.mechanism(
            scenario,
            rankings: try UtilityRanking.rankings(for: scenario),
            negotiators: seats,
            deadline: .steps(steps),
            seed: seed,
            suggestions: ScenarioAnalysis(scenario).suggestions
        ).run()
    }

    @Test(arguments: 0..<40)
    func itShowsOnlySuggestionsAndNeverAnotherSeatsOffer(seed: UInt64) throws {
        let scenario = Negotiations.scenario(seed: seed)
        let suggestions = ScenarioAnalysis(scenario).suggestions
        let seats = Negotiations.lineup(seed: seed, count: scenario.parties.count).map(Spy.init)
        let result = try Self.run(scenario, seats, seed: seed)
        let texts = result.trace.filter {
            $0.actor == .mediator && { if case .text = $0.action { true } else { false } }($0)
        }
        if suggestions.isEmpty { return }  // no zone of agreement: it falls back to the relaying mediator
        #expect(texts.allSatisfy { text in suggestions.contains { $0.outcome == text.outcome } })
        #expect(!result.trace.contains { if case .relay = $0.action { true } else { false } })
        for (index, seat) in seats.enumerated() {
            #expect(
                !seat.observed.contains { $0.actor != .seat(index) && $0.actor != .mediator },
                "a seat never sees another seat's move"
            )
        }
        if let agreement = result.agreement { #expect(suggestions.contains { $0.outcome == agreement }) }
        let again = try Self.run(
            scenario,
            Negotiations.lineup(seed: seed, count: scenario.parties.count).map(Spy.init),
            seed: seed
        )
        #expect(again.trace == result.trace)
    }

    /// Two patient seats agree on one of the suggestions nearest the Nash point, which the
    /// mediator holds once its approach is over.
    @Test func patientSeatsMeetNearTheNashPoint() throws {
        let scenario = ScenarioGenerator.linearAdditive(issues: 3, options: 5, parties: 2, seed: 12)
        let suggestions = ScenarioAnalysis(scenario).suggestions
        let result = try Self.run(
            scenario,
            [Spy(TimeBasedNegotiator.boulware()), Spy(TimeBasedNegotiator.boulware())],
            steps: 100
        )
        let rank = try #require(suggestions.firstIndex { $0.outcome == result.agreement })
        #expect(rank < 3, "rank \(rank) of \(suggestions.count)")
    }

    /// A seat that accepts only a package worth `floor` to it (never the Nash point), and offers its best.
    final class Demanding: Negotiator {
        let name = "demanding"
        let floor: Double
        private var seat: Seat!
        init(floor: Double) { self.floor = floor }
        func begin(_ seat: Seat) { self.seat = seat }
        func propose(_ state: NegotiationState) -> Outcome? { seat.ranking.best }
        func respond(to offer: Outcome, _ state: NegotiationState) -> Response {
            seat.utility(of: offer) >= floor ? .accept : .reject
        }
    }

    /// When one seat keeps refusing the Nash point that the other accepts, the mediator moves the
    /// text towards the refusing seat, late and in growing strides, and they agree on a suggestion
    /// the demanding seat accepts, among the nearest such to the Nash point.
    @Test(arguments: [3, 12, 30] as [UInt64])
    func aSeatThatKeepsRefusingIsConcededTo(seed: UInt64) throws {
        let scenario = ScenarioGenerator.linearAdditive(issues: 3, options: 5, parties: 2, seed: seed)
        let suggestions = ScenarioAnalysis(scenario).suggestions
        let nash = try #require(suggestions.first)
        let best = suggestions.map { $0.utilities[1] }.max()!
        let floor = (nash.utilities[1] + best) / 2
        try #require(floor > nash.utilities[1] + 1e-9, "the Nash point is not already the demanding seat's best")
        let result = try Self.run(
            scenario,
            [Spy(TimeBasedNegotiator.conceder()), Spy(Demanding(floor: floor))],
            steps: 100
        )
        let agreement = try #require(result.agreement, "\(result.ending)")
        let acceptable = suggestions.filter { $0.utilities[1] >= floor }
        let rank = try #require(acceptable.firstIndex { $0.outcome == agreement })
        #expect(rank < 3, "rank \(rank) of the \(acceptable.count) suggestions the demanding seat accepts")
        let firstMove = try #require(
            result.trace.firstIndex {
                $0.actor == .mediator && $0.outcome != nil && $0.outcome != nash.outcome && $0.step > 10
            }
        )
        #expect(
            Double(result.trace[firstMove].step + 1) / 101 >= ShuttleMediation.informedPatience,
            "it holds the Nash point until its patience runs out"
        )
    }
}
