/// Streams packages with every party's utility, as fast as the utilities allow.
///
/// For linear additive parties the running sums of each prefix of issues are kept, so moving to
/// the next package re-adds only the issues that changed. The sums are still formed in issue
/// order from zero, so the values are bit-identical to ``UtilityFunction/utility(of:in:)``.
package struct OutcomeEvaluator {
    let scenario: Scenario
    private let linear: [([[Double]], LinearAdditiveUtility)?]

    package init(_ scenario: Scenario) {
        self.scenario = scenario
        linear = scenario.parties.map { party in
            if case .linearAdditive(let function) = party.utility {
                return (function.contributions(in: scenario.space), function)
            }
            return nil
        }
    }

    /// Calls `body` with every package built from `allowedOptions` (per issue, the option
    /// indices to use) in lexicographic order, and its utilities, until `body` returns `false`.
    package func forEach(allowedOptions: [[Int]], _ body: (Outcome, [Double]) -> Bool) {
        let issues = allowedOptions.count
        guard !allowedOptions.contains(where: \.isEmpty) else { return }
        let parties = linear.count
        var positions = [Int](repeating: 0, count: issues)
        var outcome = Outcome(allowedOptions.map { UInt32($0[0]) })
        var prefix = [Double](repeating: 0, count: parties * (issues + 1))
        var utilities = [Double](repeating: 0, count: parties)

        func recompute(from start: Int) {
            for party in 0..<parties {
                guard let (table, _) = linear[party] else { continue }
                let base = party * (issues + 1)
                for issue in start..<issues {
                    prefix[base + issue + 1] = prefix[base + issue] + table[issue][outcome[issue]]
                }
            }
        }

        recompute(from: 0)
        while true {
            for party in 0..<parties {
                if let (_, function) = linear[party] {
                    utilities[party] = function.capped(prefix[party * (issues + 1) + issues])
                } else {
                    utilities[party] = scenario.parties[party].utility.utility(of: outcome, in: scenario.space)
                }
            }
            if !body(outcome, utilities) { return }
            var position = issues - 1
            while position >= 0 {
                positions[position] += 1
                if positions[position] < allowedOptions[position].count {
                    outcome.optionIndices[position] = UInt32(allowedOptions[position][positions[position]])
                    break
                }
                positions[position] = 0
                outcome.optionIndices[position] = UInt32(allowedOptions[position][0])
                position -= 1
            }
            if position < 0 { return }
            recompute(from: position)
        }
    }
}
