/// The zone of agreement: the packages that clear every party's red lines (no forbidden option,
/// and at least the reservation value for everyone).
public struct AgreementZone: Sendable, Hashable {
    /// How many packages clear every red line.
    public var count: OutcomeCount
    /// `count` as a fraction of the whole outcome space.
    public var fraction: Double
    /// `false` when the space was too large to count exactly and `count` is an estimate from a
    /// uniform sample (see ``AgreementZone/sampleSize``).
    public var isExact: Bool

    /// The number of packages drawn when the zone is estimated.
    public static let sampleSize = 200_000

    /// Counts the zone of `scenario`.
    ///
    /// Linear additive utilities are counted exactly by a search that adds whole sub-spaces at
    /// once where every completion clears (or none can), so even 10^20-package spaces are usually
    /// counted exactly. Past `budget` search steps, or for other utilities past `budget`
    /// packages, the count is estimated from a seeded uniform sample and marked inexact.
    public static func count(in scenario: Scenario, allowedOptions: [[Int]], budget: Int) -> AgreementZone {
        let total = scenario.space.count
        let thresholds = scenario.parties.map { party -> Double in
            if case .linearAdditive(let function) = party.utility, let cap = function.maximumTotal,
                party.reservationValue > cap
            {
                return .infinity
            }
            return party.reservationValue
        }
        func zone(_ count: OutcomeCount, exact: Bool) -> AgreementZone {
            AgreementZone(
                count: count,
                fraction: total.doubleValue > 0 ? count.doubleValue / total.doubleValue : 0,
                isExact: exact
            )
        }
        var allowedCount = OutcomeCount(1)
        for options in allowedOptions { allowedCount *= options.count }
        if allowedCount == .zero { return zone(.zero, exact: true) }
        // Every allowed package clears when even the worst one does.
        let cleared = zip(scenario.parties, thresholds).allSatisfy { party, threshold in
            threshold == -.infinity
                || leastUtility(of: party, space: scenario.space, allowedOptions: allowedOptions) >= threshold
        }
        if cleared { return zone(allowedCount, exact: true) }

        if let tables = LinearTables(scenario),
            let count = countLinear(tables, allowedOptions: allowedOptions, thresholds: thresholds, budget: budget)
        {
            return zone(count, exact: true)
        }
        let accepts = { (utilities: [Double]) in zip(utilities, thresholds).allSatisfy { $0 >= $1 } }
        if let small = allowedCount.intValue, small <= budget {
            var count = 0
            OutcomeEvaluator(scenario).forEach(allowedOptions: allowedOptions) { _, utilities in
                if accepts(utilities) { count += 1 }
                return true
            }
            return zone(OutcomeCount(count), exact: true)
        }
        var generator = SeededGenerator(seed: 0x5EED)
        var hits = 0
        for _ in 0..<sampleSize {
            let outcome = Outcome(allowedOptions.map { UInt32($0.randomElement(using: &generator)!) })
            if accepts(scenario.utilities(of: outcome)) { hits += 1 }
        }
        let estimate = allowedCount.doubleValue * Double(hits) / Double(sampleSize)
        return AgreementZone(
            count: OutcomeCount(exactly: estimate),
            fraction: estimate / total.doubleValue,
            isExact: false
        )
    }

    /// A lower bound on `party`'s utility over the allowed packages: exact for linear additive
    /// utilities (the sum of each issue's least contribution, in issue order), the sum of the
    /// negative boxes for hyper-rectangles.
    static func leastUtility(of party: Party, space: OutcomeSpace, allowedOptions: [[Int]]) -> Double {
        switch party.utility {
        case .linearAdditive(let function):
            return function.leastTotal(in: space, allowedOptions: allowedOptions)
        case .hyperRectangles(let function):
            return function.rectangles.reduce(0.0) { $0 + min(0, $1.utility) } / function.normalizer
        }
    }

    /// Exact count for linear additive utilities, or `nil` when `budget` search steps do not suffice.
    private static func countLinear(
        _ tables: LinearTables,
        allowedOptions: [[Int]],
        thresholds: [Double],
        budget: Int
    ) -> OutcomeCount? {
        let issues = allowedOptions.count
        let parties = tables.partyCount
        // Suffix bounds: the least and most the issues from k on can still add, per party.
        var least = [[Double]](repeating: [Double](repeating: 0, count: issues + 1), count: parties)
        var most = least
        var scale = 1.0
        for party in 0..<parties {
            for issue in stride(from: issues - 1, through: 0, by: -1) {
                let values = allowedOptions[issue].map { tables.contributions[party][issue][$0] }
                least[party][issue] = least[party][issue + 1] + values.min()!
                most[party][issue] = most[party][issue + 1] + values.max()!
                scale += values.map(abs).max()!
            }
        }
        // Bounds are sums in another order than the exact total, so they get a margin; a
        // complete package is always checked exactly.
        let margin = 1e-9 * scale
        var remaining = [OutcomeCount](repeating: OutcomeCount(1), count: issues + 1)
        for issue in stride(from: issues - 1, through: 0, by: -1) {
            remaining[issue] = remaining[issue + 1]
            remaining[issue] *= allowedOptions[issue].count
        }
        var count = OutcomeCount.zero
        var steps = 0
        var sums = [Double](repeating: 0, count: parties)
        // In decimal arithmetic a complete package is checked on its exact totals, as the
        // frontier and the negotiators see them.
        let exact = ExactTables(tables)
        var exactSums = [Int128](repeating: 0, count: parties)
        func clears() -> Bool {
            if let exact {
                return (0..<parties).allSatisfy {
                    exact.utility(exact.capped(exactSums[$0], party: $0), party: $0) >= thresholds[$0]
                }
            }
            return (0..<parties).allSatisfy { tables.functions[$0].capped(sums[$0]) >= thresholds[$0] }
        }

        func visit(_ issue: Int) -> Bool {
            steps += 1
            if steps > budget { return false }
            if issue == issues {
                if clears() { count += OutcomeCount(1) }
                return true
            }
            if (0..<parties).allSatisfy({ sums[$0] + least[$0][issue] - margin >= thresholds[$0] }) {
                count += remaining[issue]
                return true
            }
            if (0..<parties).contains(where: { sums[$0] + most[$0][issue] + margin < thresholds[$0] }) { return true }
            let (saved, savedExact) = (sums, exactSums)
            for option in allowedOptions[issue] {
                for party in 0..<parties {
                    sums[party] = saved[party] + tables.contributions[party][issue][option]
                    if let exact {
                        exactSums[party] = savedExact[party] + exact.parties[party].contributions[issue][option]
                    }
                }
                if !visit(issue + 1) { return false }
            }
            (sums, exactSums) = (saved, savedExact)
            return true
        }
        return visit(0) ? count : nil
    }
}

extension OutcomeCount {
    /// The count nearest to a non-negative `Double` (for estimates).
    init(exactly value: Double) {
        var count = OutcomeCount(0)
        var remaining = value.rounded()
        var place = OutcomeCount(1)
        // Peel off base-2^31 digits from the least significant end.
        let base = 2_147_483_648.0
        while remaining >= 1 {
            let digit = remaining.truncatingRemainder(dividingBy: base)
            var term = place
            term *= Int(digit)
            count += term
            remaining = (remaining - digit) / base
            place *= Int(base)
        }
        self = count
    }
}
