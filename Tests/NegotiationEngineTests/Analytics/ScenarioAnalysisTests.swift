import NegotiationEngine
import Testing

struct ScenarioAnalysisTests {
    /// Every solution is checked against a search over all acceptable packages.
    @Test(arguments: 0..<200)
    func solutionsAreTheBestAcceptablePackages(seed: Int) throws {
        let scenario = RandomScenarios.linear(seed: UInt64(seed))
        let analysis = ScenarioAnalysis(scenario)
        let reservations = scenario.parties.map(\.reservationValue)
        let acceptable = RandomScenarios.allPoints(scenario) { outcome in
            scenario.parties.allSatisfy { $0.allows(outcome) }
        }.filter { zip($0.utilities, reservations).allSatisfy { $0 >= $1 } }

        #expect(analysis.agreementZone.count == OutcomeCount(acceptable.count))
        #expect(analysis.agreementZone.isExact)
        guard !acceptable.isEmpty else {
            #expect(
                analysis.nash == nil && analysis.kalaiSmorodinsky == nil && analysis.maximumWelfare == nil
                    && analysis.egalitarian == nil
            )
            return
        }
        let nash = try #require(analysis.nash)
        let product = { (u: [Double]) in zip(u, reservations).map { $0 - $1 }.reduce(1, *) }
        let bestProduct = acceptable.map { product($0.utilities) }.max()!
        #expect(product(nash.utilities) == bestProduct)
        #expect(scenario.utilities(of: nash.outcome) == nash.utilities)
        #expect(scenario.parties.allSatisfy { $0.allows(nash.outcome) })

        let welfare = try #require(analysis.maximumWelfare)
        #expect(abs(welfare.utilities.reduce(0, +) - acceptable.map { $0.utilities.reduce(0, +) }.max()!) < 1e-12)

        let egalitarian = try #require(analysis.egalitarian)
        let least = { (u: [Double]) in zip(u, reservations).map { $0 - $1 }.min()! }
        #expect(least(egalitarian.utilities) == acceptable.map { least($0.utilities) }.max()!)

        let kalai = try #require(analysis.kalaiSmorodinsky)
        let ideal = reservations.indices.map { party in acceptable.map { $0.utilities[party] }.max()! }
        let ratio = { (u: [Double]) in
            zip(u.indices, u).map { party, value in
                ideal[party] > reservations[party]
                    ? (value - reservations[party]) / (ideal[party] - reservations[party]) : 1
            }.min()!
        }
        #expect(abs(ratio(kalai.utilities) - acceptable.map { ratio($0.utilities) }.max()!) < 1e-12)
    }

    @Test func noAcceptablePackageMeansNoSolutions() {
        let space = OutcomeSpace(issues: [Issue(name: "a", options: ["x", "y"])])
        let utility = UtilityFunction.linearAdditive(
            LinearAdditiveUtility(weights: [1], evaluators: [.table([0.3, 0.6])])
        )
        let scenario = Scenario(
            name: "apart",
            space: space,
            parties: [
                Party(name: "A", utility: utility, reservationValue: 0.9),
                Party(name: "B", utility: utility, reservationValue: 0.1),
            ]
        )
        let analysis = ScenarioAnalysis(scenario)
        #expect(analysis.nash == nil)
        #expect(analysis.kalaiSmorodinsky == nil)
        #expect(analysis.agreementZone.count == .zero)
        #expect(analysis.agreementZone.fraction == 0)
        #expect(analysis.frontier.count == 1, "the frontier does not depend on reservation values")
    }

    @Test func negmasReadingKeepsOnlyRationalFrontierPoints() {
        let scenario = RandomScenarios.linear(seed: 42, parties: 2)
        var options = ScenarioAnalysis.Options()
        options.rationalFrontierOnly = true
        let rational = ScenarioAnalysis(scenario, options: options)
        let full = ScenarioAnalysis(scenario)
        let reservations = scenario.parties.map(\.reservationValue)
        #expect(rational.frontier == full.frontier.filter { zip($0.utilities, reservations).allSatisfy { $0 >= $1 } })
    }

    /// Past its budget the zone is estimated from a sample, marked inexact, and close.
    @Test func zoneIsEstimatedPastTheBudget() {
        let scenario = ScenarioGenerator.linearAdditive(
            issues: 8,
            options: 5,
            parties: 2,
            seed: 3,
            reservationValue: 0.55
        )
        var count = 0
        scenario.space.forEachOutcome { outcome in
            if scenario.utilities(of: outcome).allSatisfy({ $0 >= 0.55 }) { count += 1 }
            return true
        }
        let exact = ScenarioAnalysis(scenario)
        #expect(exact.agreementZone.isExact)
        #expect(exact.agreementZone.count == OutcomeCount(count))
        var options = ScenarioAnalysis.Options()
        options.exactCountBudget = 1_000
        let estimated = ScenarioAnalysis(scenario, options: options)
        #expect(!estimated.agreementZone.isExact)
        #expect(abs(estimated.agreementZone.fraction - Double(count) / 390_625) < 0.01)
    }

    @Test(arguments: 0..<60)
    func zoneCountMatchesEnumerationWhateverTheBudgetPath(seed: Int) {
        let scenario = ScenarioGenerator.linearAdditive(
            issues: 5,
            options: 5,
            parties: 2 + seed % 2,
            seed: UInt64(seed),
            reservationValue: 0.4 + Double(seed % 5) / 20
        )
        var count = 0
        scenario.space.forEachOutcome { outcome in
            if scenario.utilities(of: outcome).allSatisfy({ $0 >= scenario.parties[0].reservationValue }) { count += 1 }
            return true
        }
        #expect(ScenarioAnalysis(scenario).agreementZone.count == OutcomeCount(count))
    }

    @Test func enumerationMethodGivesTheSameAnalysis() {
        for seed in 0..<30 {
            let scenario = RandomScenarios.linear(seed: UInt64(700 + seed))
            var options = ScenarioAnalysis.Options()
            options.frontierMethod = .enumeration
            let slow = ScenarioAnalysis(scenario, options: options)
            let fast = ScenarioAnalysis(scenario)
            #expect(Set(slow.frontier.map(\.utilities)) == Set(fast.frontier.map(\.utilities)))
            #expect(slow.nash?.utilities == fast.nash?.utilities)
        }
    }

    @Test func twentyIssuesOfTenOptionsAreAnalysedExactly() {
        let scenario = ScenarioGenerator.linearAdditive(issues: 20, options: 10, parties: 2, seed: 1)
        let analysis = ScenarioAnalysis(scenario)
        #expect(analysis.outcomeCount.description == "100000000000000000000")
        #expect(analysis.frontier.count > 20)
        #expect(analysis.agreementZone.count == analysis.outcomeCount)
        let nash = try! #require(analysis.nash)
        // No frontier point has a larger Nash product.
        #expect(
            analysis.frontier.allSatisfy { $0.utilities[0] * $0.utilities[1] <= nash.utilities[0] * nash.utilities[1] }
        )
    }
}
