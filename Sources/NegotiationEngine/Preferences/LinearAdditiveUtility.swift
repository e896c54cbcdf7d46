/// A utility that adds up independent contributions, one per issue: Σ weightᵢ · valueᵢ(optionᵢ).
///
/// This is the model GENIUS, NegMAS and most ANAC scenarios use. Its additivity is what lets the
/// engine find the Pareto frontier issue by issue instead of enumerating every package.
///
/// The total is computed in issue order, starting from zero, and then capped at
/// ``maximumTotal`` when one is set (GENIUS caps totals at 1). Every path in the engine adds in
/// that same order, so the same package always gets bit-for-bit the same utility.
public struct LinearAdditiveUtility: Sendable, Hashable {
    /// How one issue's options are valued.
    public enum Evaluator: Sendable, Hashable {
        /// A value for each option, in the issue's option order.
        case table([Double])
        /// `slope · (x − origin) + offset` for the option's numeric value `x`, clamped to [0, 1]
        /// when `clampedToUnit` (GENIUS's integer and real evaluators shift by the lower bound and
        /// clamp; NegMAS's do neither).
        case linear(slope: Double, offset: Double, origin: Double, clampedToUnit: Bool)
    }

    public var weights: [Double]
    public var evaluators: [Evaluator]
    /// The largest total utility, or `nil` for none.
    public var maximumTotal: Double?

    public init(weights: [Double], evaluators: [Evaluator], maximumTotal: Double? = nil) {
        precondition(weights.count == evaluators.count, "one weight per evaluator")
        self.weights = weights
        self.evaluators = evaluators
        self.maximumTotal = maximumTotal
    }

    /// The value (before weighting) of option `option` of `issue`.
    public func value(ofOption option: Int, issue: Issue, at position: Int) -> Double {
        switch evaluators[position] {
        case .table(let values):
            return values[option]
        case .linear(let slope, let offset, let origin, let clamped):
            guard let x = issue.numericValue(ofOption: option) else {
                preconditionFailure("issue '\(issue.name)' has no numeric values for a linear evaluator")
            }
            let value = slope * (x - origin) + offset
            return clamped ? min(1, max(0, value)) : value
        }
    }

    /// For each issue, each option's weighted contribution to the total.
    ///
    /// - Complexity: O(total number of options)
    public func contributions(in space: OutcomeSpace) -> [[Double]] {
        space.issues.enumerated().map { position, issue in
            (0..<(issue.optionCount ?? 0)).map { weights[position] * value(ofOption: $0, issue: issue, at: position) }
        }
    }

    /// The least total any package built from `allowedOptions` (all options when `nil`) can get:
    /// each issue's least contribution, added in issue order and capped, exactly as a package's
    /// own total is formed.
    ///
    /// - Complexity: O(total number of options)
    package func leastTotal(in space: OutcomeSpace, allowedOptions: [[Int]]? = nil) -> Double {
        let tables = contributions(in: space)
        var total = 0.0
        for (issue, table) in tables.enumerated() {
            let values = allowedOptions.map { $0[issue].map { table[$0] } } ?? table
            total += values.min() ?? 0
        }
        return capped(total)
    }

    /// The total of per-issue contributions, in issue order, capped at ``maximumTotal``.
    @inlinable
    package func capped(_ total: Double) -> Double {
        if let maximumTotal, total > maximumTotal { return maximumTotal }
        return total
    }
}
