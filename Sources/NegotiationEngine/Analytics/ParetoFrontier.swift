/// The Pareto frontier: the distinct utility vectors that no other package dominates, each
/// with one package that reaches it.
///
/// Three exact algorithms, chosen by ``compute(for:allowedOptions:)`` from the utilities:
/// - **Merge**, for linear additive utilities. The frontier of a sum of independent per-issue
///   contributions is the frontier of the sum of the per-issue frontiers, so it is built issue by
///   issue and never enumerates the space: a 20-issue, 10-option domain (10^20 packages) takes a
///   fraction of a second.
/// - **Branch and bound**, for hyper-rectangle utilities: a partial package is dropped as soon as
///   a frontier point found so far is at least as good as the best its completions could reach.
/// - **Enumeration**, the general fallback and the test oracle: every package, streamed through a
///   bounded buffer so memory stays flat however large the space.
///
/// Ties: packages with the same utility vector are one frontier point; the package kept is the
/// first the algorithm meets. Floating-point sums are formed in issue order on every path, so
/// the merge and the enumeration produce bit-identical vectors.
public enum ParetoFrontier {
    /// The frontier of `scenario` over the packages that use only `allowedOptions` (all options
    /// when `nil`), sorted by the first party's utility, highest first.
    ///
    /// - Precondition: the scenario's space is finite.
    public static func compute(for scenario: Scenario, allowedOptions: [[Int]]? = nil) -> [UtilityPoint] {
        let allowed = allowedOptions ?? scenario.space.optionCounts.map { Array(0..<$0) }
        if allowed.contains(where: \.isEmpty) { return [] }
        if let tables = LinearTables(scenario) {
            return merged(tables, allowedOptions: allowed)
        }
        if scenario.parties.allSatisfy({ if case .hyperRectangles = $0.utility { true } else { false } }) {
            return branchAndBound(scenario, allowedOptions: allowed)
        }
        return enumerated(scenario, allowedOptions: allowed)
    }

    /// The non-dominated, distinct points of `points`, sorted by the first utility, highest first
    /// (ties by the next utilities).
    ///
    /// - Complexity: O(n log n) for two parties; O(n · frontier) for more.
    public static func nondominated(_ points: [UtilityPoint]) -> [UtilityPoint] {
        guard let first = points.first else { return [] }
        let sorted = points.sorted { $0.utilities.lexicographicallyPrecedes($1.utilities, by: >) }
        if first.utilities.count == 1 { return [sorted[0]] }
        if first.utilities.count == 2 {
            var kept: [UtilityPoint] = []
            var best = -Double.infinity
            for point in sorted where point.utilities[1] > best {
                kept.append(point)
                best = point.utilities[1]
            }
            return kept
        }
        var kept: [UtilityPoint] = []
        for point in sorted where !kept.contains(where: { $0.weaklyDominates(point) }) {
            kept.append(point)
        }
        return kept
    }

    /// The frontier found by enumerating every allowed package: the oracle for the other two.
    ///
    /// - Complexity: O(packages · log buffer) time, O(buffer + frontier) memory.
    public static func enumerated(_ scenario: Scenario, allowedOptions: [[Int]]? = nil) -> [UtilityPoint] {
        let allowed = allowedOptions ?? scenario.space.optionCounts.map { Array(0..<$0) }
        let bufferLimit = 1 << 16
        var frontier: [UtilityPoint] = []
        var buffer: [UtilityPoint] = []
        buffer.reserveCapacity(bufferLimit)
        let twoParties = scenario.parties.count == 2
        OutcomeEvaluator(scenario).forEach(allowedOptions: allowed) { outcome, utilities in
            // Most packages are dominated by the frontier found so far; for two parties that is
            // a binary search, and skipping them keeps the buffer (and allocation) small.
            if twoParties, isWeaklyDominated(utilities[0], utilities[1], by: frontier) { return true }
            buffer.append(UtilityPoint(outcome: outcome, utilities: utilities))
            if buffer.count == bufferLimit {
                frontier = nondominated(frontier + buffer)
                buffer.removeAll(keepingCapacity: true)
            }
            return true
        }
        return nondominated(frontier + buffer)
    }

    /// Whether a two-party frontier (sorted by the first utility, highest first, so the second
    /// rises along it) has a point at least as good as `(first, second)` for both parties.
    ///
    /// - Complexity: O(log frontier)
    static func isWeaklyDominated(_ first: Double, _ second: Double, by frontier: [UtilityPoint]) -> Bool {
        // The points with a first utility of at least `first` form a prefix; the last of them has
        // the largest second utility of that prefix.
        var low = 0
        var high = frontier.count
        while low < high {
            let middle = (low + high) / 2
            if frontier[middle].utilities[0] >= first { low = middle + 1 } else { high = middle }
        }
        return low > 0 && frontier[low - 1].utilities[1] >= second
    }
}
