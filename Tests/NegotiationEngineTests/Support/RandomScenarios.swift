import NegotiationEngine

/// Small random scenarios for exhaustive checks: few enough packages to enumerate, with the
/// features that break careless code (ties, caps, forbidden options, reservation values).
enum RandomScenarios {
    static func linear(seed: UInt64, parties: Int? = nil, maxIssues: Int = 5, maxOptions: Int = 6) -> Scenario {
        var generator = SeededGenerator(seed: seed)
        let issueCount = Int.random(in: 1...maxIssues, using: &generator)
        let partyCount = parties ?? Int.random(in: 2...3, using: &generator)
        let issues = (0..<issueCount).map { index -> Issue in
            if Bool.random(using: &generator) {
                let low = Int.random(in: -3...3, using: &generator)
                return Issue(
                    name: "n\(index)",
                    integers: low...(low + Int.random(in: 0...(maxOptions - 1), using: &generator))
                )
            }
            return Issue(
                name: "d\(index)",
                options: (0..<Int.random(in: 1...maxOptions, using: &generator)).map { "o\($0)" }
            )
        }
        let space = OutcomeSpace(issues: issues)
        // Values from a coarse grid half the time, so equal utility vectors are common.
        let coarse = Bool.random(using: &generator)
        func value() -> Double {
            coarse ? Double(Int.random(in: 0...4, using: &generator)) / 4 : Double.random(in: 0...1, using: &generator)
        }
        let partyList = (0..<partyCount).map { party -> Party in
            let evaluators = issues.map { issue -> LinearAdditiveUtility.Evaluator in
                if case .integer(let range) = issue.values, Bool.random(using: &generator) {
                    return .linear(
                        slope: Double.random(in: -0.5...0.5, using: &generator),
                        offset: value(),
                        origin: Double(range.lowerBound),
                        clampedToUnit: Bool.random(using: &generator)
                    )
                }
                return .table((0..<issue.optionCount!).map { _ in value() })
            }
            let weights = issues.map { _ in
                coarse ? 1 / Double(issueCount) : Double.random(in: 0...1, using: &generator)
            }
            let cap: Double? = Bool.random(using: &generator) ? 0.8 : nil
            var forbidden: [Int: Set<Int>] = [:]
            if Int.random(in: 0..<4, using: &generator) == 0 {
                let issue = Int.random(in: 0..<issueCount, using: &generator)
                forbidden[issue] = [Int.random(in: 0..<issues[issue].optionCount!, using: &generator)]
            }
            return Party(
                name: "p\(party)",
                utility: .linearAdditive(
                    LinearAdditiveUtility(weights: weights, evaluators: evaluators, maximumTotal: cap)
                ),
                reservationValue: Double.random(in: 0...0.6, using: &generator),
                forbiddenOptions: forbidden
            )
        }
        return Scenario(name: "random-\(seed)", space: space, parties: partyList)
    }

    static func boxes(seed: UInt64, parties: Int = 2) -> Scenario {
        var generator = SeededGenerator(seed: seed)
        let issueCount = Int.random(in: 1...4, using: &generator)
        let issues = (0..<issueCount).map {
            Issue(name: "i\($0)", integers: 0...Int.random(in: 1...5, using: &generator))
        }
        let partyList = (0..<parties).map { party -> Party in
            let rectangles = (0..<Int.random(in: 1...6, using: &generator)).map {
                _ -> HyperRectangleUtility.Rectangle in
                var bounds: [Int: ClosedRange<Int>] = [:]
                for issue in 0..<issueCount where Bool.random(using: &generator) {
                    let top = issues[issue].optionCount! - 1
                    let low = Int.random(in: 0...top, using: &generator)
                    bounds[issue] = low...Int.random(in: low...top, using: &generator)
                }
                return .init(bounds: bounds, utility: Double(Int.random(in: -2...9, using: &generator)))
            }
            return Party(
                name: "p\(party)",
                utility: .hyperRectangles(HyperRectangleUtility(rectangles: rectangles, normalizer: 10))
            )
        }
        return Scenario(name: "boxes-\(seed)", space: OutcomeSpace(issues: issues), parties: partyList)
    }

    /// Every package with its utilities: the plain definition the algorithms are checked against.
    static func allPoints(_ scenario: Scenario, allowed: ((Outcome) -> Bool)? = nil) -> [UtilityPoint] {
        var points: [UtilityPoint] = []
        scenario.space.forEachOutcome { outcome in
            if allowed?(outcome) ?? true {
                points.append(UtilityPoint(outcome: outcome, utilities: scenario.utilities(of: outcome)))
            }
            return true
        }
        return points
    }

    /// The frontier by its definition, in O(n²): the distinct vectors no package strictly dominates.
    static func definitionFrontier(_ points: [UtilityPoint]) -> Set<[Double]> {
        let vectors = Set(points.map(\.utilities))
        return vectors.filter { vector in
            !vectors.contains { other in other != vector && zip(other, vector).allSatisfy { $0 >= $1 } }
        }
    }
}
