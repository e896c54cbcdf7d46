import NegotiationEngine
import Testing

struct ProtocolTests {
    /// A negotiator is shown exactly the events whose audience names it, in order, and nothing
    /// else: the spy's record equals the trace filtered by audience (an independent oracle).
    @Test(arguments: NegotiationProtocol.allCases, 0..<40)
    func seatsSeeExactlyTheirAudience(kind: NegotiationProtocol, seed: Int) throws {
        let scenario = Negotiations.scenario(seed: UInt64(seed))
        let spies = Negotiations.lineup(seed: UInt64(seed), count: scenario.parties.count).map(Spy.init)
        let result = try Negotiations.run(kind, scenario, spies, seed: UInt64(seed))
        for (index, spy) in spies.enumerated() {
            let expected = result.trace.filter { $0.audience.includes(.seat(index)) }
            #expect(spy.observed == expected, "seat \(index)")
        }
    }

    /// The shuttle's privacy: a seat never sees another seat's offer, answer or vote; the only
    /// way another seat's position reaches it is a relay the mediator chose (marked as such) or a
    /// package of the mediator's own; and every text it answers was shown to it just before.
    @Test(arguments: 0..<60)
    func shuttleSeatsSeeOnlyWhatTheMediatorShows(seed: Int) throws {
        let scenario = Negotiations.scenario(seed: UInt64(seed))
        let spies = Negotiations.lineup(seed: UInt64(seed), count: scenario.parties.count).map(Spy.init)
        let result = try Negotiations.run(.shuttle, scenario, spies, seed: UInt64(seed))
        for (index, spy) in spies.enumerated() {
            for event in spy.observed {
                if case .seat(let actor) = event.actor {
                    #expect(actor == index, "seat \(index) saw seat \(actor)'s move")
                }
            }
            let shown = spy.observed.compactMap { event -> Outcome? in
                switch event.action {
                case .text(let o), .relay(let o, _): o
                default: nil
                }
            }
            for offer in spy.askedAbout { #expect(shown.contains(offer), "answered a text it was not shown") }
        }
        // Each seat's offers go to the mediator alone.
        for event in result.trace {
            if case .seat(let actor) = event.actor {
                #expect(event.audience == .privately(actor))
            }
        }
    }

    /// With a mediator that never relays, no seat ever receives another seat's offer as such.
    @Test(arguments: 0..<30)
    func aMediatorThatNeverRelaysShowsOnlyItsOwnPackages(seed: Int) throws {
        let scenario = Negotiations.scenario(seed: UInt64(seed))
        let spies = Negotiations.lineup(seed: UInt64(seed), count: scenario.parties.count).map(Spy.init)
        let rankings = try UtilityRanking.rankings(for: scenario)
        let result = NegotiationProtocol.shuttle.mechanism(
            scenario,
            rankings: rankings,
            negotiators: spies,
            deadline: .steps(20),
            seed: UInt64(seed),
            relayProbability: 0
        ).run()
        #expect(!result.trace.contains { if case .relay = $0.action { true } else { false } })
        for spy in spies {
            #expect(!spy.observed.contains { if case .relay = $0.action { true } else { false } })
        }
    }

    /// Single text: votes and ratifications are private between a seat and the mediator.
    @Test(arguments: 0..<30)
    func singleTextVotesArePrivate(seed: Int) throws {
        let scenario = Negotiations.scenario(seed: UInt64(seed))
        let spies = Negotiations.lineup(seed: UInt64(seed), count: scenario.parties.count).map(Spy.init)
        _ = try Negotiations.run(.singleText, scenario, spies, seed: UInt64(seed))
        for (index, spy) in spies.enumerated() {
            for event in spy.observed {
                if case .seat(let actor) = event.actor { #expect(actor == index) }
            }
        }
    }

    /// No event happens at or after the deadline's step, the run never takes more steps than
    /// allowed, and two hardliners with different best outcomes run to the deadline exactly.
    @Test(arguments: NegotiationProtocol.allCases, 0..<30)
    func deadlinesAreHonoured(kind: NegotiationProtocol, seed: Int) throws {
        let scenario = Negotiations.scenario(seed: UInt64(seed))
        var generator = SeededGenerator(seed: UInt64(seed))
        let steps = Int.random(in: 1...25, using: &generator)
        let lineup = Negotiations.lineup(seed: UInt64(seed), count: scenario.parties.count)
        let result = try Negotiations.run(kind, scenario, lineup, steps: steps, seed: UInt64(seed))
        #expect(result.steps <= steps)
        #expect(result.trace.allSatisfy { $0.step < steps })
        #expect(result.relativeTime <= 1)
        if result.ending == .deadline { #expect(result.agreement == nil) }
    }

    @Test(arguments: NegotiationProtocol.allCases)
    func hardlinersWithDifferentBestsRunOutTheClock(kind: NegotiationProtocol) throws {
        let space = OutcomeSpace(issues: [Issue(name: "price", options: ["low", "mid", "high"])])
        func party(_ name: String, _ values: [Double]) -> Party {
            Party(
                name: name,
                utility: .linearAdditive(LinearAdditiveUtility(weights: [1], evaluators: [.table(values)]))
            )
        }
        let scenario = Scenario(
            name: "price",
            space: space,
            parties: [party("buyer", [1, 0.5, 0]), party("seller", [0, 0.5, 1])]
        )
        let result = try Negotiations.run(kind, scenario, [Hardliner(), Hardliner()], steps: 12)
        #expect(result.agreement == nil)
        #expect(result.ending == .deadline)
        #expect(result.steps == 12)
    }

    /// A time limit ends a negotiation with no step limit.
    @Test(arguments: NegotiationProtocol.allCases)
    func aTimeLimitEndsTheNegotiation(kind: NegotiationProtocol) throws {
        let scenario = Negotiations.scenario(seed: 3)
        let rankings = try UtilityRanking.rankings(for: scenario)
        let clock = ContinuousClock()
        let started = clock.now
        let result = kind.mechanism(
            scenario,
            rankings: rankings,
            negotiators: scenario.parties.map { _ in Hardliner() },
            deadline: Deadline(seconds: 0.05),
            seed: 1,
            recordsTrace: false
        ).run()
        // Hardliners never concede, and these two bests differ: only the clock can end it.
        #expect(result.agreement == nil)
        #expect(result.ending == .deadline)
        #expect(clock.now - started >= .milliseconds(50))
        #expect(result.relativeTime == 1)
    }

    /// An agreement is an outcome every seat accepted: each seat's last move about it was to
    /// accept it or to put it forward itself (proposing counts as accepting), the spy saw the
    /// same answer, and it lies inside every seat's red lines.
    /// Over 60 seeds, of which some must agree (a protocol that never agreed would pass the
    /// checks vacuously).
    @Test(arguments: NegotiationProtocol.allCases)
    func agreementsAreAcceptedByEverySeat(kind: NegotiationProtocol) throws {
        var agreed = 0
        for seed in 0..<60 where try checkAgreementIsAcceptedByEverySeat(kind, seed: seed) { agreed += 1 }
        #expect(agreed > 0, "no seed agreed: nothing was checked")
    }

    /// Whether seed `seed` agreed; if it did, checks the agreement against every seat.
    private func checkAgreementIsAcceptedByEverySeat(_ kind: NegotiationProtocol, seed: Int) throws -> Bool {
        let scenario = Negotiations.scenario(seed: UInt64(seed) + 500)
        let spies = Negotiations.lineup(seed: UInt64(seed), count: scenario.parties.count).map(Spy.init)
        let result = try Negotiations.run(kind, scenario, spies, steps: 40, seed: UInt64(seed))
        guard let agreement = result.agreement else {
            #expect(result.ending != .agreement, "seed \(seed)")
            return false
        }
        #expect(result.ending == .agreement)
        for (index, spy) in spies.enumerated() {
            let last = result.trace.last { event in
                guard event.actor == .seat(index) else { return false }
                switch event.action {
                case .offer(let o), .accept(let o), .reject(let o): return o == agreement
                default: return false
                }
            }
            let lastAction = try #require(last, "seed \(seed): seat \(index) never took a position on the agreement")
                .action
            #expect(
                lastAction == .accept(agreement) || lastAction == .offer(agreement),
                "seed \(seed), seat \(index): \(lastAction)"
            )
            if lastAction == .accept(agreement) { #expect(spy.answers.last { $0.0 == agreement }?.1 == .accept) }
            #expect(scenario.parties[index].allows(agreement))
        }
        return true
    }

    /// The same seed gives the same trace, event for event; the random parts follow the seed.
    @Test(arguments: NegotiationProtocol.allCases, 0..<30)
    func theSameSeedGivesTheSameTrace(kind: NegotiationProtocol, seed: Int) throws {
        let scenario = Negotiations.scenario(seed: UInt64(seed))
        let first = try Negotiations.run(
            kind,
            scenario,
            Negotiations.lineup(seed: UInt64(seed), count: scenario.parties.count),
            seed: UInt64(seed)
        )
        let second = try Negotiations.run(
            kind,
            scenario,
            Negotiations.lineup(seed: UInt64(seed), count: scenario.parties.count),
            seed: UInt64(seed)
        )
        #expect(first.trace == second.trace)
        #expect(first.agreement == second.agreement)
        #expect(first.steps == second.steps)
    }

    @Test(arguments: [NegotiationProtocol.singleText, .shuttle])
    func differentSeedsGiveDifferentMediators(kind: NegotiationProtocol) throws {
        let scenario = ScenarioGenerator.linearAdditive(issues: 4, options: 5, parties: 2, seed: 11)
        let traces = try (0..<8).map { seed in
            try Negotiations.run(
                kind,
                scenario,
                [TimeBasedNegotiator.linear(), TimeBasedNegotiator.conceder()],
                seed: UInt64(seed)
            ).trace
        }
        #expect(Set(traces.map { $0.map(\.action) }).count > 1)
    }

    /// Alternating offers: seats take turns from seat 0, a step is a round, and an offer
    /// becomes the agreement when the other seat accepts it.
    @Test func alternatingOffersTakesTurns() throws {
        let space = OutcomeSpace(issues: [Issue(name: "price", options: ["low", "mid", "high"])])
        let scenario = Scenario(
            name: "price",
            space: space,
            parties: [
                Party(
                    name: "buyer",
                    utility: .linearAdditive(LinearAdditiveUtility(weights: [1], evaluators: [.table([1, 0.5, 0])]))
                ),
                Party(
                    name: "seller",
                    utility: .linearAdditive(LinearAdditiveUtility(weights: [1], evaluators: [.table([0, 0.6, 1])]))
                ),
            ]
        )
        let result = try Negotiations.run(
            .alternatingOffers,
            scenario,
            [TimeBasedNegotiator.linear(), TimeBasedNegotiator.linear()],
            steps: 10
        )
        let actors = result.trace.filter { if case .offer = $0.action { true } else { false } }.map(\.actor)
        for (index, actor) in actors.enumerated() { #expect(actor == .seat(index % 2)) }
        let agreement = try #require(result.agreement)
        #expect(agreement == Outcome([1]), "both concede linearly to the middle")
        #expect(result.trace.last?.action == .agreement(agreement))
    }
}
