import NegotiationEngine
import Testing

/// The informed mediator: it shows each seat only suggestions (inside every red line,
/// efficient), never another seat's offer, moves each seat up towards the Nash point, and replays.
struct InformedMediatorTests {
    static func run(_ scenario: Scenario, _ seats: [Spy], steps: Int = 40, seed: UInt64 = 7) throws -> NegotiationResult {
        NegotiationProtocol.shuttle.mechanism(
            scenario, rankings: try UtilityRanking.rankings(for: scenario), negotiators: seats, deadline: .steps(steps), seed: seed,
            suggestions: ScenarioAnalysis(scenario).suggestions
        ).run()
    }

    @Test(arguments: 0..<40)
    func itShowsOnlySuggestionsAndNeverAnotherSeatsOffer(seed: UInt64) throws {
        let scenario = Negotiations.scenario(seed: seed)
        let suggestions = ScenarioAnalysis(scenario).suggestions
        let seats = Negotiations.lineup(seed: seed, count: scenario.parties.count).map(Spy.init)
        let result = try Self.run(scenario, seats, seed: seed)
        let texts = result.trace.filter { $0.actor == .mediator && { if case .text = $0.action { true } else { false } }($0) }
        if suggestions.isEmpty { return }  // no zone of agreement: it falls back to the relaying mediator
        #expect(texts.allSatisfy { text in suggestions.contains { $0.outcome == text.outcome } })
        #expect(!result.trace.contains { if case .relay = $0.action { true } else { false } })
        for (index, seat) in seats.enumerated() {
            #expect(!seat.observed.contains { $0.actor != .seat(index) && $0.actor != .mediator }, "a seat never sees another seat's move")
        }
        if let agreement = result.agreement { #expect(suggestions.contains { $0.outcome == agreement }) }
        let again = try Self.run(scenario, Negotiations.lineup(seed: seed, count: scenario.parties.count).map(Spy.init), seed: seed)
        #expect(again.trace == result.trace)
    }

    /// Two patient seats agree on one of the suggestions nearest the Nash point, which the
    /// mediator reaches at 70% of the time.
    @Test func patientSeatsMeetNearTheNashPoint() throws {
        let scenario = ScenarioGenerator.linearAdditive(issues: 3, options: 5, parties: 2, seed: 12)
        let suggestions = ScenarioAnalysis(scenario).suggestions
        let result = try Self.run(scenario, [Spy(TimeBasedNegotiator.boulware()), Spy(TimeBasedNegotiator.boulware())], steps: 100)
        let rank = try #require(suggestions.firstIndex { $0.outcome == result.agreement })
        #expect(rank < 3, "rank \(rank) of \(suggestions.count)")
    }
}
