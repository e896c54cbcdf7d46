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
/// first the algorithm meets. Linear additive totals are exact in decimal arithmetic (see
/// <doc:Frontier>), so packages equal in exact arithmetic tie, and the merge and the enumeration
/// produce bit-identical vectors.
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
        undominated(points)
    }

    /// The points of `points` whose vectors no other point's weakly dominates, one per distinct
    /// vector, sorted by the first value, highest first (ties by the next values).
    static func undominated<Point: FrontierPoint>(_ points: [Point]) -> [Point] {
        guard let first = points.first else { return [] }
        let sorted = points.sorted { $0.vector.lexicographicallyPrecedes($1.vector, by: >) }
        let dimensions = first.vector.count
        if dimensions == 1 { return [sorted[0]] }
        var kept: [Point] = []
        if dimensions == 2 {
            var best: Point.Value?
            for point in sorted {
                let second = point.vector[1]
                guard best.map({ second > $0 }) ?? true else { continue }
                kept.append(point)
                best = second
            }
            return kept
        }
        for point in sorted where !kept.contains(where: { $0.weaklyDominates(point) }) { kept.append(point) }
        return kept
    }

    /// The frontier found by enumerating every allowed package: the oracle for the other two.
    ///
    /// - Complexity: O(packages · log buffer) time, O(buffer + frontier) memory.
    public static func enumerated(_ scenario: Scenario, allowedOptions: [[Int]]? = nil) -> [UtilityPoint] {
        let allowed = allowedOptions ?? scenario.space.optionCounts.map { Array(0..<$0) }
        if let tables = LinearTables(scenario), let exact = ExactTables(tables) {
            return enumerated(exact, allowedOptions: allowed)
        }
        var frontier = FrontierBuffer<UtilityPoint>()
        OutcomeEvaluator(scenario).forEach(allowedOptions: allowed) { outcome, utilities in
            frontier.add(utilities) { UtilityPoint(outcome: outcome, utilities: utilities) }
            return true
        }
        return frontier.points
    }

    /// The enumeration on exact totals.
    private static func enumerated(_ exact: ExactTables, allowedOptions: [[Int]]) -> [UtilityPoint] {
        let parties = exact.partyCount
        var sums = PrefixSums(exact.contributions, issues: allowedOptions.count)
        var totals = [Int128](repeating: 0, count: parties)
        var frontier = FrontierBuffer<ExactPoint>()
        OutcomeEvaluator.forEachPackage(allowedOptions) { outcome, changed in
            for party in 0..<parties {
                totals[party] = exact.capped(sums.total(party, outcome, from: changed), party: party)
            }
            frontier.add(totals) { ExactPoint(outcome: outcome, totals: totals) }
            return true
        }
        return frontier.points.map { point in
            UtilityPoint(
                outcome: point.outcome,
                utilities: (0..<parties).map { exact.utility(point.totals[$0], party: $0) }
            )
        }
    }

    /// The frontier of points added one at a time, through a bounded buffer so that memory stays
    /// flat however many are added.
    struct FrontierBuffer<Point: FrontierPoint> {
        private static var limit: Int { 1 << 16 }
        private var frontier: [Point] = []
        private var buffer: [Point] = []

        init() {
            buffer.reserveCapacity(Self.limit)
        }

        /// Adds the point `make()` whose vector is `values`, unless the frontier so far already
        /// has one at least as good (two parties only: a binary search; most points stop here,
        /// which keeps the buffer, and allocation, small).
        mutating func add(_ values: [Point.Value], _ make: () -> Point) {
            if values.count == 2, isWeaklyDominated(values[0], values[1]) { return }
            buffer.append(make())
            if buffer.count == Self.limit {
                frontier = ParetoFrontier.undominated(frontier + buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }

        var points: [Point] { ParetoFrontier.undominated(frontier + buffer) }

        /// Whether the two-party frontier so far (sorted by the first value, highest first, so
        /// the second rises along it) has a point at least as good as `(first, second)`.
        ///
        /// - Complexity: O(log frontier)
        private func isWeaklyDominated(_ first: Point.Value, _ second: Point.Value) -> Bool {
            // The points with a first value of at least `first` form a prefix; the last of them
            // has the largest second value of that prefix.
            var low = 0
            var high = frontier.count
            while low < high {
                let middle = (low + high) / 2
                if frontier[middle].vector[0] >= first { low = middle + 1 } else { high = middle }
            }
            return low > 0 && frontier[low - 1].vector[1] >= second
        }
    }
}

/// A package, or a partial sum, with one value per party: what the frontier is taken over.
protocol FrontierPoint {
    associatedtype Value: FrontierNumber
    var vector: [Value] { get }
}

extension FrontierPoint {
    /// Whether this point is at least as good for every party as `other`.
    func weaklyDominates(_ other: Self) -> Bool {
        zip(vector, other.vector).allSatisfy { $0 >= $1 }
    }
}

extension UtilityPoint: FrontierPoint {
    var vector: [Double] { utilities }
}
