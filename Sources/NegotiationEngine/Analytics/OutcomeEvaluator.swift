/// Streams packages with every party's utility, as fast as the utilities allow.
///
/// For linear additive parties the running sums of each prefix of issues are kept, so moving to
/// the next package re-adds only the issues that changed. The sums are exact in decimal
/// arithmetic, and in binary arithmetic still formed in issue order from zero, so the values are
/// bit-identical to ``UtilityFunction/utility(of:in:)``.
package struct OutcomeEvaluator {
    let scenario: Scenario
    /// How each party's utility is formed.
    private let parties: [Sums]

    private enum Sums {
        /// Linear additive in decimal arithmetic: exact running sums, rounded once.
        case exact(ExactLinearUtility)
        /// Linear additive in binary arithmetic: `Double` running sums of these contributions.
        case binary([[Double]], LinearAdditiveUtility)
        /// Anything else: the utility of each package on its own.
        case whole
    }

    package init(_ scenario: Scenario) {
        self.scenario = scenario
        parties = scenario.parties.map { party in
            guard case .linearAdditive(let function) = party.utility else { return .whole }
            if let exact = function.exact(in: scenario.space) { return .exact(exact) }
            return .binary(function.contributions(in: scenario.space), function)
        }
    }

    /// Calls `body` with every package built from `allowedOptions` (per issue, the option
    /// indices to use) in lexicographic order, and its utilities, until `body` returns `false`.
    package func forEach(allowedOptions: [[Int]], _ body: (Outcome, [Double]) -> Bool) {
        let issues = allowedOptions.count
        let count = parties.count
        var prefix = [Double](repeating: 0, count: count * (issues + 1))
        var exactPrefix = [Int128](repeating: 0, count: count * (issues + 1))
        var utilities = [Double](repeating: 0, count: count)
        Self.forEachPackage(allowedOptions) { outcome, changed in
            for party in 0..<count {
                let base = party * (issues + 1)
                switch parties[party] {
                case .exact(let exact):
                    for issue in changed..<issues {
                        exactPrefix[base + issue + 1] = exactPrefix[base + issue] + exact.contributions[issue][Int(outcome[issue])]
                    }
                    utilities[party] = exact.utility(exact.capped(exactPrefix[base + issues]))
                case .binary(let table, let function):
                    for issue in changed..<issues {
                        prefix[base + issue + 1] = prefix[base + issue] + table[issue][outcome[issue]]
                    }
                    utilities[party] = function.capped(prefix[base + issues])
                case .whole:
                    utilities[party] = scenario.parties[party].utility.utility(of: outcome, in: scenario.space)
                }
            }
            return body(outcome, utilities)
        }
    }

    /// Calls `body` with every package built from `allowedOptions` in lexicographic order, and
    /// the first issue whose option changed since the package before (0 for the first), until
    /// `body` returns `false`: running sums over issues need only be formed again from there.
    static func forEachPackage(_ allowedOptions: [[Int]], _ body: (Outcome, _ changed: Int) -> Bool) {
        let issues = allowedOptions.count
        guard !allowedOptions.contains(where: \.isEmpty) else { return }
        var positions = [Int](repeating: 0, count: issues)
        var outcome = Outcome(allowedOptions.map { UInt32($0[0]) })
        var changed = 0
        while body(outcome, changed) {
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
            changed = position
        }
    }
}
