import NegotiationEngine
import Testing

struct ParetoFrontierTests {
    /// The merge, the enumeration and the O(n²) definition give the same set of vectors, bit for bit.
    @Test(arguments: 0..<300)
    func mergeEnumerationAndDefinitionAgree(seed: Int) {
        let scenario = RandomScenarios.linear(seed: UInt64(seed))
        let merged = ParetoFrontier.compute(for: scenario)
        let enumerated = ParetoFrontier.enumerated(scenario)
        let definition = RandomScenarios.definitionFrontier(RandomScenarios.allPoints(scenario))
        #expect(Set(merged.map(\.utilities)) == definition)
        #expect(Set(enumerated.map(\.utilities)) == definition)
        #expect(merged.count == definition.count, "one point per distinct vector")
    }

    /// Restricting options (forbidden ones removed) is the same as enumerating only allowed packages.
    @Test(arguments: 0..<100)
    func allowedOptionsRestrictTheFrontier(seed: Int) {
        let scenario = RandomScenarios.linear(seed: UInt64(1000 + seed))
        var generator = SeededGenerator(seed: UInt64(seed))
        let allowed = scenario.space.optionCounts.map { count in
            (0..<count).filter { _ in Bool.random(using: &generator) || count == 1 }
        }
        let merged = ParetoFrontier.compute(for: scenario, allowedOptions: allowed)
        let points = RandomScenarios.allPoints(scenario) { outcome in
            allowed.enumerated().allSatisfy { $0.element.contains(outcome[$0.offset]) }
        }
        #expect(Set(merged.map(\.utilities)) == RandomScenarios.definitionFrontier(points))
        for point in merged {
            #expect(allowed.enumerated().allSatisfy { $0.element.contains(point.outcome[$0.offset]) })
        }
    }

    @Test(arguments: 0..<150)
    func branchAndBoundAgreesWithEnumerationForBoxes(seed: Int) {
        let scenario = RandomScenarios.boxes(seed: UInt64(seed), parties: seed % 3 == 0 ? 3 : 2)
        let found = ParetoFrontier.compute(for: scenario)
        #expect(Set(found.map(\.utilities)) == RandomScenarios.definitionFrontier(RandomScenarios.allPoints(scenario)))
        for point in found { #expect(scenario.utilities(of: point.outcome) == point.utilities) }
    }

    /// Properties on random scenarios, including ones too large to enumerate.
    @Test(arguments: [(12, 8, 2), (20, 10, 2), (8, 6, 3), (40, 5, 2)])
    func frontierPropertiesHoldOnLargeSpaces(issues: Int, options: Int, parties: Int) {
        let scenario = ScenarioGenerator.linearAdditive(issues: issues, options: options, parties: parties, seed: 7)
        let frontier = ParetoFrontier.compute(for: scenario)
        #expect(!frontier.isEmpty)
        for (index, point) in frontier.enumerated() {
            // Each point is reached by its package...
            #expect(scenario.utilities(of: point.outcome) == point.utilities)
            // ...and no other frontier point is at least as good for everyone.
            for (other, candidate) in frontier.enumerated() where other != index {
                #expect(!candidate.weaklyDominates(point))
            }
        }
        // Sorted by the first party's utility, highest first.
        #expect(frontier.map { $0.utilities[0] } == frontier.map { $0.utilities[0] }.sorted(by: >))
        // Random packages are each weakly dominated by some frontier point.
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<500 {
            let sample = UtilityPoint(
                outcome: Outcome([UInt32]()),
                utilities: scenario.utilities(of: scenario.space.randomOutcome(using: &generator))
            )
            #expect(frontier.contains { $0.weaklyDominates(sample) })
        }
    }

    @Test func everyOutcomeIsWeaklyDominatedByTheFrontier() {
        for seed in 0..<50 {
            let scenario = RandomScenarios.linear(seed: UInt64(5000 + seed))
            let frontier = ParetoFrontier.compute(for: scenario)
            for point in RandomScenarios.allPoints(scenario) {
                #expect(frontier.contains { $0.weaklyDominates(point) })
            }
        }
    }

    @Test func tiesCollapseToOnePointWithOnePackage() {
        let space = OutcomeSpace(issues: [Issue(name: "a", options: ["x", "y", "z"])])
        let same = UtilityFunction.linearAdditive(
            LinearAdditiveUtility(weights: [1], evaluators: [.table([0.5, 0.5, 0.2])])
        )
        let scenario = Scenario(
            name: "ties",
            space: space,
            parties: [Party(name: "A", utility: same), Party(name: "B", utility: same)]
        )
        let frontier = ParetoFrontier.compute(for: scenario)
        #expect(frontier.count == 1)
        #expect(frontier[0].utilities == [0.5, 0.5])
        #expect([0, 1].contains(frontier[0].outcome[0]))
    }

    @Test func nondominatedKeepsDistinctUndominatedPoints() {
        let points = [[1.0, 0.0], [0.5, 0.5], [0.5, 0.5], [0.4, 0.4], [0.0, 1.0], [0.5, 0.2]].map {
            UtilityPoint(outcome: Outcome([UInt32]()), utilities: $0)
        }
        #expect(ParetoFrontier.nondominated(points).map(\.utilities) == [[1, 0], [0.5, 0.5], [0, 1]])
        let three = [[1.0, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0.5], [0.5, 0.5, 0]].map {
            UtilityPoint(outcome: Outcome([UInt32]()), utilities: $0)
        }
        #expect(ParetoFrontier.nondominated(three).count == 4)
    }
}
