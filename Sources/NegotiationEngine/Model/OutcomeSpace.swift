/// All the packages a set of issues allows.
///
/// A space is never materialised: its size is computed, outcomes are produced one at a time by
/// ``forEachOutcome(_:)``, and analytics that can avoid enumeration (the issue-by-issue frontier
/// of linear additive utilities) do.
public struct OutcomeSpace: Sendable, Hashable {
    public var issues: [Issue]

    public init(issues: [Issue]) {
        self.issues = issues
    }

    /// Whether every issue has finitely many options.
    public var isFinite: Bool { issues.allSatisfy(\.isFinite) }

    /// The number of options of each issue.
    ///
    /// - Precondition: the space is finite.
    public var optionCounts: [Int] {
        issues.map { issue in
            guard let count = issue.optionCount else {
                preconditionFailure("issue '\(issue.name)' is continuous; discretize it first")
            }
            return count
        }
    }

    /// The exact number of outcomes.
    ///
    /// - Precondition: the space is finite.
    /// - Complexity: O(issues × digits)
    public var count: OutcomeCount {
        var total = OutcomeCount(1)
        for count in optionCounts { total *= count }
        return total
    }

    /// A finite copy in which every real issue has `steps` evenly spaced options.
    public func discretized(steps: Int) -> OutcomeSpace {
        OutcomeSpace(issues: issues.map { $0.discretized(steps: steps) })
    }

    /// The option labels of `outcome`, one per issue.
    public func labels(of outcome: Outcome) -> [String] {
        zip(issues, outcome.optionIndices).map { $0.label(ofOption: Int($1)) }
    }

    /// The outcome whose labels are `labels` (one per issue, in order), or `nil` when an issue
    /// has no such option.
    public func outcome(labels: [String]) -> Outcome? {
        guard labels.count == issues.count else { return nil }
        var indices: [UInt32] = []
        for (issue, label) in zip(issues, labels) {
            guard let index = issue.optionIndex(of: label) else { return nil }
            indices.append(UInt32(index))
        }
        return Outcome(indices)
    }

    /// Calls `body` with every outcome in lexicographic order, reusing one buffer, until `body`
    /// returns `false`.
    ///
    /// - Complexity: O(count) calls; each step changes the last issue's option and carries over.
    public func forEachOutcome(_ body: (Outcome) -> Bool) {
        let counts = optionCounts
        guard !counts.contains(0) else { return }
        var current = Outcome([UInt32](repeating: 0, count: counts.count))
        while true {
            if !body(current) { return }
            var position = counts.count - 1
            while position >= 0 {
                current.optionIndices[position] += 1
                if Int(current.optionIndices[position]) < counts[position] { break }
                current.optionIndices[position] = 0
                position -= 1
            }
            if position < 0 { return }
        }
    }

    /// Draws an outcome uniformly at random.
    public func randomOutcome(using generator: inout some RandomNumberGenerator) -> Outcome {
        Outcome(optionCounts.map { UInt32(Int.random(in: 0..<$0, using: &generator)) })
    }
}
