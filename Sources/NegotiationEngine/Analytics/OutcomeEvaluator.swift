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
        let count = parties.count
        var binarySums = PrefixSums(
            parties.map { if case .binary(let table, _) = $0 { table } else { [] } },
            issues: allowedOptions.count
        )
        var exactSums = PrefixSums(
            parties.map { if case .exact(let exact) = $0 { exact.contributions } else { [] } },
            issues: allowedOptions.count
        )
        var utilities = [Double](repeating: 0, count: count)
        Self.forEachPackage(allowedOptions) { outcome, changed in
            for party in 0..<count {
                switch parties[party] {
                case .exact(let exact):
                    utilities[party] = exact.utility(exact.capped(exactSums.total(party, outcome, from: changed)))
                case .binary(_, let function):
                    utilities[party] = function.capped(binarySums.total(party, outcome, from: changed))
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

/// Each party's running sums over the first issues of the package being visited, so that moving
/// to the next package (``OutcomeEvaluator/forEachPackage(_:_:)``) re-adds only the issues from
/// the first that changed. Sums are formed in issue order from zero, as a package's own total is.
struct PrefixSums<Value: FrontierNumber> {
    /// `tables[party][issue][option]`: empty for a party whose sums are formed otherwise.
    private let tables: [[[Value]]]
    private var sums: [Value]
    private let issues: Int

    init(_ tables: [[[Value]]], issues: Int) {
        self.tables = tables
        self.issues = issues
        sums = [Value](repeating: .zero, count: tables.count * (issues + 1))
    }

    /// `party`'s total of `outcome`, whose options before issue `changed` are those of the
    /// package before.
    mutating func total(_ party: Int, _ outcome: Outcome, from changed: Int) -> Value {
        let base = party * (issues + 1)
        for issue in changed..<issues {
            sums[base + issue + 1] = sums[base + issue] + tables[party][issue][Int(outcome[issue])]
        }
        return sums[base + issues]
    }
}
