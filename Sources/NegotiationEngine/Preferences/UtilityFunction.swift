/// How one party values packages.
///
/// A closed set of models, so that analytics can pick the exact algorithm each allows (the
/// issue-by-issue frontier for linear additive, branch and bound for boxes).
public enum UtilityFunction: Sendable, Hashable {
    case linearAdditive(LinearAdditiveUtility)
    case hyperRectangles(HyperRectangleUtility)

    /// The utility of `outcome` in `space`: for linear additive utilities in decimal arithmetic,
    /// the exact sum rounded once (``LinearAdditiveUtility/Arithmetic``).
    ///
    /// - Complexity: O(issues) for linear additive; O(boxes) for hyper-rectangles.
    public func utility(of outcome: Outcome, in space: OutcomeSpace) -> Double {
        switch self {
        case .linearAdditive(let function):
            if let exact = function.exactTables { return exact.utility(exact.total(of: outcome)) }
            // Numeric evaluators depend on the space: only this package's contributions are formed.
            if function.hasNumericEvaluators, let exact = ExactLinearUtility.utility(of: outcome, function, in: space) {
                return exact
            }
            var total = 0.0
            for (position, issue) in space.issues.enumerated() {
                total +=
                    function.weights[position] * function.value(ofOption: outcome[position], issue: issue, at: position)
            }
            return function.capped(total)
        case .hyperRectangles(let function):
            return function.utility(of: outcome)
        }
    }
}
