import NegotiationEngine
import Testing

/// Packages whose utilities are equal in exact arithmetic tie, whatever the noise of `Double`
/// sums: the frontier never keeps a point that another dominates once the noise is removed.
struct ExactTiesTests {
    /// ANAC 2012's Barter B: in `Double`s, the second profile gives one package 0.9000000000000001
    /// and another, which the first profile also prefers, 0.9; in decimals both are 0.9.
    static let barter: Scenario = {
        let space = OutcomeSpace(issues: [
            Issue(name: "price", options: ["3gm", "4gm", "5gm", "6gm"]),
            Issue(name: "CookingOil", options: ["4ml", "5ml", "6ml", "7ml", "8ml"]),
            Issue(name: "Sugar", options: ["4gm", "6gm", "8gm", "10gm"]),
        ])
        func party(
            _ name: String,
            _ weights: [Double],
            _ tables: [[Double]],
            _ arithmetic: LinearAdditiveUtility.Arithmetic
        ) -> Party {
            Party(
                name: name,
                utility: .linearAdditive(
                    LinearAdditiveUtility(
                        weights: weights,
                        evaluators: tables.map { .table($0) },
                        maximumTotal: 1,
                        arithmetic: arithmetic
                    )
                )
            )
        }
        let first = ([0.36, 0.32, 0.32], [[1, 0.75, 0.5, 0.25], [1, 0.8, 0.6, 0.4, 0.2], [1, 0.75, 0.5, 0.25]])
        let second = ([0.4, 0.4, 0.2], [[0.25, 0.5, 0.75, 1], [0.2, 0.4, 0.6, 0.8, 1], [0.25, 0.5, 0.75, 1]])
        return Scenario(
            name: "barter",
            space: space,
            parties: [party("A", first.0, first.1, .decimal), party("B", second.0, second.1, .decimal)]
        )
    }()

    static func binary(_ scenario: Scenario) -> Scenario {
        var copy = scenario
        for index in copy.parties.indices {
            guard case .linearAdditive(var function) = copy.parties[index].utility else { continue }
            function.arithmetic = .binary
            copy.parties[index].utility = .linearAdditive(function)
        }
        return copy
    }

    @Test func aPackageDominatedOnceTheNoiseIsRemovedLeavesTheFrontier() {
        let exact = ParetoFrontier.compute(for: Self.barter)
        #expect(exact.count == 24)
        #expect(!exact.contains { $0.utilities[1] == 0.9000000000000001 })
        #expect(Set(ParetoFrontier.enumerated(Self.barter).map(\.utilities)) == Set(exact.map(\.utilities)))
        // What `Double` sums give, as NegMAS and GENIUS add: the extra, dominated point.
        let noisy = ParetoFrontier.compute(for: Self.binary(Self.barter))
        #expect(noisy.count == 25)
        #expect(noisy.contains { $0.utilities == [0.324, 0.9000000000000001] })
    }

    /// Random scenarios on a decimal grid (weights in hundredths, values in twentieths, caps at
    /// 0.9), where exact ties are everywhere: the merge, the enumeration and brute force in
    /// integers agree bit for bit, and each point's utilities are the package's own.
    @Test(arguments: 0..<200)
    func mergeEnumerationAndIntegerBruteForceAgree(seed: Int) {
        let (scenario, weights, values, capped) = Self.grid(seed: UInt64(seed))
        let merged = ParetoFrontier.compute(for: scenario)
        let enumerated = ParetoFrontier.enumerated(scenario)
        // In units of 1/2000 (a hundredth times a twentieth): integers, so exact.
        var vectors: [[Int]] = []
        scenario.space.forEachOutcome { outcome in
            vectors.append(
                (0..<scenario.parties.count).map { party in
                    let total = (0..<outcome.optionIndices.count).reduce(0) {
                        $0 + weights[party][$1] * values[party][$1][Int(outcome[$1])]
                    }
                    return capped[party] ? min(total, 1_800) : total
                }
            )
            return true
        }
        let brute = Set(Self.frontier(of: vectors).map { $0.map { Double($0) / 2_000 } })
        #expect(Set(merged.map(\.utilities)) == brute)
        #expect(Set(enumerated.map(\.utilities)) == brute)
        #expect(merged.count == brute.count, "one point per exact vector")
        #expect(merged.allSatisfy { scenario.utilities(of: $0.outcome) == $0.utilities })
    }

    static func grid(seed: UInt64) -> (Scenario, weights: [[Int]], values: [[[Int]]], capped: [Bool]) {
        var generator = SeededGenerator(seed: seed)
        let issueCount = Int.random(in: 2...4, using: &generator)
        let partyCount = Int.random(in: 2...3, using: &generator)
        let issues = (0..<issueCount).map {
            Issue(name: "i\($0)", options: (0..<Int.random(in: 2...4, using: &generator)).map { "o\($0)" })
        }
        var weights: [[Int]] = []
        var values: [[[Int]]] = []
        var capped: [Bool] = []
        var parties: [Party] = []
        for party in 0..<partyCount {
            let partyWeights = issues.map { _ in Int.random(in: 1...60, using: &generator) }  // hundredths
            let partyValues = issues.map { issue in
                (0..<issue.optionCount!).map { _ in Int.random(in: 0...20, using: &generator) }
            }  // twentieths
            let cap = Bool.random(using: &generator)
            let function = LinearAdditiveUtility(
                weights: partyWeights.map { Double($0) / 100 },
                evaluators: partyValues.map { .table($0.map { Double($0) / 20 }) },
                maximumTotal: cap ? 0.9 : nil
            )
            parties.append(Party(name: "p\(party)", utility: .linearAdditive(function)))
            weights.append(partyWeights)
            values.append(partyValues)
            capped.append(cap)
        }
        return (
            Scenario(name: "grid \(seed)", space: OutcomeSpace(issues: issues), parties: parties), weights, values,
            capped
        )
    }

    /// The distinct vectors no other vector weakly dominates, by the definition.
    static func frontier(of vectors: [[Int]]) -> Set<[Int]> {
        let distinct = Set(vectors)
        return distinct.filter { vector in
            !distinct.contains { other in other != vector && zip(other, vector).allSatisfy { $0 >= $1 } }
        }
    }
}
