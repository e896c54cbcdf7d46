import NegotiationEngine
import Testing

#if canImport(Glibc)
import Glibc
#endif

struct NegotiatorTests {
    static func seat(_ scenario: Scenario, _ rankings: [UtilityRanking], _ index: Int) -> Seat {
        Seat(
            index: index,
            partyCount: scenario.parties.count,
            space: scenario.space,
            party: scenario.parties[index],
            ranking: rankings[index],
            deadline: .steps(100),
            seed: 1
        )
    }

    static func allOutcomes(_ space: OutcomeSpace) -> [Outcome] {
        var all: [Outcome] = []
        space.forEachOutcome {
            all.append($0)
            return true
        }
        return all
    }

    /// The ranking is every allowed outcome, sorted by utility, ties in enumeration order.
    @Test(arguments: 0..<80)
    func rankingSortsAllowedOutcomes(seed: Int) throws {
        let scenario = RandomScenarios.linear(seed: UInt64(seed))
        let outcomes = Self.allOutcomes(scenario.space)
        if let blocked = scenario.parties.first(where: { party in !outcomes.contains { party.allows($0) } }) {
            #expect(throws: UtilityRanking.Failure.noAllowedOutcome(party: blocked.name)) {
                try UtilityRanking.rankings(for: scenario)
            }
            return
        }
        let rankings = try UtilityRanking.rankings(for: scenario)
        for (index, party) in scenario.parties.enumerated() {
            let expected = Self.allOutcomes(scenario.space).enumerated()
                .filter { party.allows($0.element) }
                .map {
                    (
                        utility: party.utility.utility(of: $0.element, in: scenario.space), order: $0.offset,
                        outcome: $0.element
                    )
                }
                .sorted { $0.utility < $1.utility || ($0.utility == $1.utility && $0.order < $1.order) }
            let ranking = rankings[index]
            #expect(ranking.count == expected.count)
            for (rank, entry) in expected.enumerated() {
                #expect(ranking.outcome(atRank: rank) == entry.outcome)
                #expect(ranking.utilities[rank] == entry.utility)
                #expect(ranking.utility(of: entry.outcome) == entry.utility)
            }
            #expect(
                ranking.firstRational == expected.firstIndex { $0.utility >= party.reservationValue } ?? expected.count
            )
        }
    }

    /// The time-based negotiator's offer, by NegMAS's definition written out by brute force:
    /// among outcomes within [x − 10⁻⁶, high], the one nearest x, preferring the first rational
    /// outcome at or above x on a tie, then the earliest in sorted order.
    @Test(arguments: 0..<80)
    func timeBasedOffersFollowNegMASDefinition(seed: Int) throws {
        let scenario = ScenarioGenerator.linearAdditive(
            issues: 3,
            options: 4,
            parties: 2,
            seed: UInt64(seed),
            reservationValue: 0.2
        )
        let rankings = try UtilityRanking.rankings(for: scenario)
        for exponent in [4.0, 1, 0.25] {
            let negotiator = TimeBasedNegotiator(name: "t", exponent: exponent)
            negotiator.begin(Self.seat(scenario, rankings, 0))
            let ranking = rankings[0]
            let low = max(ranking.worstUtility, scenario.parties[0].reservationValue)
            let high = ranking.bestUtility
            for step in 0..<20 {
                let t = Double(step + 1) / 21
                let level = min(high, max(low, (high - low) * (1 - pow(t, exponent)) + low - 1e-4))
                #expect(negotiator.threshold(at: t) == level)
                // Brute force over ranks.
                let rational = (ranking.firstRational..<ranking.count)
                let atOrAbove = rational.first { ranking.utilities[$0] >= level } ?? (ranking.count - 1)
                var best = atOrAbove
                for rank in 0..<ranking.count
                where ranking.utilities[rank] >= level - 1e-6 && ranking.utilities[rank] <= high + 2e-6 {
                    if abs(ranking.utilities[rank] - level) < abs(ranking.utilities[best] - level) { best = rank }
                }
                let expected = ranking.outcome(atRank: best)
                let proposal = try #require(negotiator.propose(NegotiationState(step: step, relativeTime: t)))
                #expect(ranking.utility(of: proposal) == ranking.utility(of: expected))
                #expect(
                    negotiator.respond(to: proposal, NegotiationState(step: step, relativeTime: t)) == .accept
                        || ranking.utility(of: proposal) < level
                )
            }
        }
    }

    /// Aspiration falls with time: Boulware concedes late, conceder early, linear in between.
    @Test func exponentsOrderTheConcession() throws {
        let scenario = ScenarioGenerator.linearAdditive(issues: 4, options: 5, parties: 2, seed: 4)
        let rankings = try UtilityRanking.rankings(for: scenario)
        let negotiators = [TimeBasedNegotiator.boulware(), .linear(), .conceder()]
        for negotiator in negotiators { negotiator.begin(Self.seat(scenario, rankings, 0)) }
        for t in stride(from: 0.1, through: 0.9, by: 0.1) {
            let levels = negotiators.map { $0.threshold(at: t) }
            #expect(levels[0] > levels[1] && levels[1] > levels[2], "at \(t): \(levels)")
        }
    }

    /// No built-in negotiator offers an outcome across its own red lines (forbidden options),
    /// or accepts one.
    @Test(arguments: NegotiatorCatalog.names, 0..<20)
    func negotiatorsKeepTheirRedLines(name: String, seed: Int) throws {
        var scenario = ScenarioGenerator.linearAdditive(issues: 3, options: 4, parties: 2, seed: UInt64(seed))
        scenario.parties[0].forbiddenOptions = [0: [0, 1], 2: [3]]
        let rankings = try UtilityRanking.rankings(for: scenario)
        let negotiator = try #require(NegotiatorCatalog.make(name))
        negotiator.begin(Self.seat(scenario, rankings, 0))
        for step in 0..<30 {
            let state = NegotiationState(step: step, relativeTime: Double(step + 1) / 31)
            if let offer = negotiator.propose(state) { #expect(scenario.parties[0].allows(offer)) }
            for outcome in Self.allOutcomes(scenario.space) where !scenario.parties[0].allows(outcome) {
                #expect(negotiator.respond(to: outcome, state) != .accept)
            }
        }
    }

    /// The frequency model learns which options the other side keeps offering.
    @Test func frequencyModelLearnsFromOffers() throws {
        let scenario = ScenarioGenerator.linearAdditive(issues: 2, options: 3, parties: 2, seed: 9)
        let rankings = try UtilityRanking.rankings(for: scenario)
        let negotiator = FrequencyModelNegotiator()
        negotiator.begin(Self.seat(scenario, rankings, 0))
        let everyone = Audience.everyone(2)
        for step in 0..<5 {
            let option = step < 4 ? 2 : 1
            negotiator.observe(
                NegotiationEvent(step: step, actor: .seat(1), action: .offer(Outcome([0, option])), audience: everyone)
            )
        }
        #expect(
            negotiator.predictedOpponentUtility(of: Outcome([0, 2]))
                > negotiator.predictedOpponentUtility(of: Outcome([0, 1]))
        )
        #expect(
            negotiator.predictedOpponentUtility(of: Outcome([0, 1]))
                > negotiator.predictedOpponentUtility(of: Outcome([1, 0]))
        )
        // Its own moves and the mediator's packages teach it nothing.
        let before = negotiator.predictedOpponentUtility(of: Outcome([2, 0]))
        negotiator.observe(
            NegotiationEvent(step: 5, actor: .seat(0), action: .offer(Outcome([2, 0])), audience: everyone)
        )
        negotiator.observe(
            NegotiationEvent(step: 5, actor: .mediator, action: .text(Outcome([2, 0])), audience: everyone)
        )
        #expect(negotiator.predictedOpponentUtility(of: Outcome([2, 0])) == before)
    }

    /// Tit-for-tat mirrors the other side: it concedes when they concede and not otherwise.
    @Test func titForTatReciprocates() throws {
        let space = OutcomeSpace(issues: [Issue(name: "price", options: (0..<11).map { "p\($0)" })])
        let values = (0..<11).map { Double($0) / 10 }
        let scenario = Scenario(
            name: "price",
            space: space,
            parties: [
                Party(
                    name: "seller",
                    utility: .linearAdditive(LinearAdditiveUtility(weights: [1], evaluators: [.table(values)]))
                ),
                Party(
                    name: "buyer",
                    utility: .linearAdditive(
                        LinearAdditiveUtility(weights: [1], evaluators: [.table(values.reversed())])
                    )
                ),
            ]
        )
        let rankings = try UtilityRanking.rankings(for: scenario)
        let negotiator = NaiveTitForTat()
        negotiator.begin(Self.seat(scenario, rankings, 0))
        let state = NegotiationState(step: 0, relativeTime: 0.5)
        _ = negotiator.respond(to: Outcome([1]), state)
        #expect(negotiator.propose(state) == Outcome([10]))
        _ = negotiator.respond(to: Outcome([3]), state)  // the buyer conceded 0.2 in the seller's terms
        #expect(negotiator.propose(state) == Outcome([8]))
        _ = negotiator.respond(to: Outcome([3]), state)  // no concession
        #expect(negotiator.propose(state) == Outcome([8]))
    }

    /// A human seat passes questions on, and leaves rather than stall on unusable answers.
    @Test func humanSeatGuardsTheProtocol() throws {
        final class Scripted: HumanInterface {
            var offers: [Outcome?]
            var shown: [NegotiationEvent] = []
            init(_ offers: [Outcome?]) { self.offers = offers }
            func begin(_ seat: Seat) {}
            func propose(_ state: NegotiationState) -> Outcome? { offers.isEmpty ? nil : offers.removeFirst() }
            func respond(to offer: Outcome, _ state: NegotiationState) -> Response { .reject }
            func show(_ event: NegotiationEvent) { shown.append(event) }
        }
        let scenario = ScenarioGenerator.linearAdditive(issues: 2, options: 3, parties: 2, seed: 1)
        let rankings = try UtilityRanking.rankings(for: scenario)
        let person = Scripted([Outcome([7, 0]), Outcome([1]), Outcome([1, 2])])
        let seat = HumanSeat(interface: person)
        seat.begin(Self.seat(scenario, rankings, 0))
        #expect(seat.propose(NegotiationState(step: 0, relativeTime: 0.1)) == Outcome([1, 2]))
        let stubborn = HumanSeat(
            interface: Scripted([Outcome([9, 9]), Outcome([9, 9]), Outcome([9, 9]), Outcome([0, 0])])
        )
        stubborn.begin(Self.seat(scenario, rankings, 0))
        #expect(stubborn.propose(NegotiationState(step: 0, relativeTime: 0.1)) == nil)
        // In a negotiation the person is shown what the seat is shown.
        let watcher = Scripted([Outcome([0, 0])])
        let result = try Negotiations.run(
            .alternatingOffers,
            scenario,
            [HumanSeat(interface: watcher), Hardliner()],
            steps: 3
        )
        #expect(watcher.shown == result.trace.filter { $0.audience.includes(.seat(0)) })
    }

    /// A negotiator written outside the engine plays through the public protocol alone.
    @Test func userWrittenNegotiatorsPlay() throws {
        final class AcceptsHalf: Negotiator {
            let name = "accepts-half"
            var seat: Seat!
            func begin(_ seat: Seat) { self.seat = seat }
            func propose(_ state: NegotiationState) -> Outcome? { seat.ranking.best }
            func respond(to offer: Outcome, _ state: NegotiationState) -> Response {
                seat.utility(of: offer) >= 0.5 * seat.ranking.bestUtility ? .accept : .reject
            }
        }
        let scenario = ScenarioGenerator.linearAdditive(issues: 3, options: 4, parties: 2, seed: 2)
        let result = try Negotiations.run(
            .alternatingOffers,
            scenario,
            [TimeBasedNegotiator.conceder(), AcceptsHalf()],
            steps: 50
        )
        let agreement = try #require(result.agreement)
        let rankings = try UtilityRanking.rankings(for: scenario)
        #expect(rankings[1].utility(of: agreement) >= 0.5 * rankings[1].bestUtility)
    }
}
