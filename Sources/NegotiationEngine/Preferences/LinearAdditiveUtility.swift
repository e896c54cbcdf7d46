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

    /// How the frontier adds contributions up (see <doc:Frontier>).
    public enum Arithmetic: Sendable, Hashable {
        /// Each weight and value is the decimal it was written as (the shortest decimal that reads
        /// back as its `Double`), and totals are summed exactly, then rounded once: packages whose
        /// totals are equal in exact arithmetic tie.
        case decimal
        /// `Double` additions in issue order, as NegMAS and GENIUS add: a sum can carry rounding
        /// noise, and a package dominated in exact arithmetic can stay on the frontier.
        case binary
    }

    public var weights: [Double] { didSet { exactTables = Self.exactTables(of: self) } }
    public var evaluators: [Evaluator] { didSet { exactTables = Self.exactTables(of: self) } }
    /// The largest total utility, or `nil` for none.
    public var maximumTotal: Double? { didSet { exactTables = Self.exactTables(of: self) } }
    public var arithmetic: Arithmetic { didSet { exactTables = Self.exactTables(of: self) } }
    /// The exact contributions when every evaluator is a table (they do not depend on the
    /// space): formed once, so that a package's exact utility costs a few integer additions.
    private(set) var exactTables: ExactLinearUtility?

    public init(
        weights: [Double],
        evaluators: [Evaluator],
        maximumTotal: Double? = nil,
        arithmetic: Arithmetic = .decimal
    ) {
        precondition(weights.count == evaluators.count, "one weight per evaluator")
        self.weights = weights
        self.evaluators = evaluators
        self.maximumTotal = maximumTotal
        self.arithmetic = arithmetic
        exactTables = Self.exactTables(of: self)
    }

    private static func exactTables(of function: LinearAdditiveUtility) -> ExactLinearUtility? {
        var values: [[Double]] = []
        for evaluator in function.evaluators {
            guard case .table(let row) = evaluator else { return nil }
            values.append(row)
        }
        return ExactLinearUtility(function, values: values)
    }

    /// Whether an evaluator is `.linear` (its values depend on the issue's numbers).
    var hasNumericEvaluators: Bool {
        evaluators.contains { if case .linear = $0 { true } else { false } }
    }

    /// The exact contributions in `space`, or `nil` in binary arithmetic or when a number does
    /// not fit (see ``ExactLinearUtility``).
    func exact(in space: OutcomeSpace) -> ExactLinearUtility? {
        guard arithmetic == .decimal else { return nil }
        return exactTables ?? ExactLinearUtility(self, values: values(in: space))
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
        zip(weights, values(in: space)).map { weight, row in row.map { weight * $0 } }
    }

    /// For each issue, each option's value before weighting.
    func values(in space: OutcomeSpace) -> [[Double]] {
        space.issues.enumerated().map { position, issue in
            (0..<(issue.optionCount ?? 0)).map { value(ofOption: $0, issue: issue, at: position) }
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
