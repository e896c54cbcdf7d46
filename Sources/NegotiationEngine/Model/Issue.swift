/// One subject of a negotiation and the values it can take.
///
/// Discrete issues name their options; integer issues take every whole number in a range;
/// real issues take any number in a range and are analysed only after
/// ``discretized(steps:)`` turns them into evenly spaced options.
///
/// ```swift
/// let enrichment = Issue(name: "enrichment ceiling", options: ["0%", "3.67%", "20%"])
/// let years = Issue(name: "duration", integers: 5...15)
/// ```
public struct Issue: Sendable, Hashable {
    /// The kinds of values an issue can take.
    public enum Values: Sendable, Hashable {
        /// Named options, in their order of declaration.
        case discrete([String])
        /// Every integer from the range's lower bound to its upper bound.
        case integer(ClosedRange<Int>)
        /// Any real number in the range.
        case real(ClosedRange<Double>)
        /// A real range analysed at `steps` evenly spaced points, both ends included
        /// (what ``Issue/discretized(steps:)`` makes of a real issue).
        case sampled(ClosedRange<Double>, steps: Int)
    }

    public var name: String
    public var values: Values

    public init(name: String, values: Values) {
        self.name = name
        self.values = values
    }

    public init(name: String, options: [String]) {
        self.init(name: name, values: .discrete(options))
    }

    public init(name: String, integers: ClosedRange<Int>) {
        self.init(name: name, values: .integer(integers))
    }

    public init(name: String, reals: ClosedRange<Double>) {
        self.init(name: name, values: .real(reals))
    }

    /// The number of options, or `nil` for a real issue, which has infinitely many.
    ///
    /// - Complexity: O(1)
    public var optionCount: Int? {
        switch values {
        case .discrete(let options): return options.count
        case .integer(let range): return range.count
        case .sampled(_, let steps): return steps
        case .real: return nil
        }
    }

    /// Whether the issue has finitely many options.
    public var isFinite: Bool { optionCount != nil }

    /// The label of the option at `index`, as files and reports show it.
    ///
    /// - Precondition: the issue is finite and `index` is below ``optionCount``.
    public func label(ofOption index: Int) -> String {
        switch values {
        case .discrete(let options): return options[index]
        case .integer(let range): return String(range.lowerBound + index)
        case .sampled: return Self.format(numericValue(ofOption: index)!)
        case .real: preconditionFailure("a real issue has no indexed options; discretize it first")
        }
    }

    /// The index of the option labelled `label`, or `nil` when the issue has no such option.
    ///
    /// - Complexity: O(n) for a discrete issue, O(1) for an integer one.
    public func optionIndex(of label: String) -> Int? {
        switch values {
        case .discrete(let options):
            return options.firstIndex(of: label)
        case .integer(let range):
            guard let value = Int(label.trimmingWhitespace()), range.contains(value) else { return nil }
            return value - range.lowerBound
        case .sampled(let range, let steps):
            guard let value = Double(label.trimmingWhitespace()) else { return nil }
            return Self.grid(range, steps: steps).firstIndex(of: value)
        case .real:
            return nil
        }
    }

    /// The numeric value of the option at `index` for integer and sampled real issues, `nil`
    /// for discrete ones.
    public func numericValue(ofOption index: Int) -> Double? {
        switch values {
        case .discrete: return nil
        case .integer(let range): return Double(range.lowerBound + index)
        case .sampled(let range, let steps): return Self.gridPoint(index, of: range, steps: steps)
        case .real: return nil
        }
    }

    /// A finite copy of this issue: a real issue becomes `steps` evenly spaced options from its
    /// lower to its upper bound (both included); a finite issue is returned unchanged.
    ///
    /// The options of a discretised issue are labelled by their value, so a package written with
    /// them reads back to the same option.
    ///
    /// - Precondition: `steps >= 2`.
    public func discretized(steps: Int) -> Issue {
        precondition(steps >= 2, "a real issue needs at least two steps")
        guard case .real(let range) = values else { return self }
        return Issue(name: name, values: .sampled(range, steps: steps))
    }

    /// The `steps` evenly spaced points of `range`, both ends included.
    package static func grid(_ range: ClosedRange<Double>, steps: Int) -> [Double] {
        (0..<steps).map { gridPoint($0, of: range, steps: steps) }
    }

    static func gridPoint(_ step: Int, of range: ClosedRange<Double>, steps: Int) -> Double {
        step == steps - 1
            ? range.upperBound
            : range.lowerBound + (range.upperBound - range.lowerBound) * Double(step) / Double(steps - 1)
    }

    /// A number as the shortest text that reads back to it, without a trailing `.0` for integers.
    package static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}

extension String {
    package func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
