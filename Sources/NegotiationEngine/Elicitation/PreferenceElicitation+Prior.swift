#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// What the walk assumes of a utility before the answers narrow it: a density over the box of
/// part-worths, as two factors for each issue. The walk keeps or refuses each move by how this
/// density changes (Metropolis), so only ratios are ever computed.
struct ElicitationPrior {
    /// The issues held to the spacing (``PreferenceElicitation/spacingConcentration``): two
    /// levels have no gap to weigh, and a list of hundreds of options is none of the profiles
    /// the fit saw (the largest had 10 values) and would be sorted on every step of the walk
    /// before its order is known.
    static let spacedLevels = 3...50

    /// Each issue's distinct levels: one part-worth index for each group of options the answers
    /// tie, best first where an order answer gives the issue's order.
    let levels: [[Int]]
    /// Whether `levels[issue]` is in the walk's order (an order answer's), so that its gaps need
    /// no sorting.
    let ordered: [Bool]
    /// How strongly each issue's range is discounted (``PreferenceElicitation/rangeExponent(levels:)``).
    let rangeExponents: [Double]

    /// The logarithm of how much denser the prior makes `point + t · direction` than `point`.
    func logDensityChange(_ point: [Double], _ direction: [Double], _ t: Double) -> Double {
        var change = 0.0
        for issue in levels.indices where levels[issue].count >= 3 {
            let now = shape(issue, point, direction, 0)
            guard now.range > 0 else { continue }  // the start, every part-worth at ½
            let next = shape(issue, point, direction, t)
            guard next.range > 0 else { return -.infinity }
            change += rangeExponents[issue] * log(now.range / next.range)
            if now.gaps > 0 {  // 0 where the issue is not held to the spacing, or at a tie
                change += (PreferenceElicitation.spacingConcentration - 1) * log(next.gaps / now.gaps)
            }
        }
        return change
    }

    /// `issue`'s range at `point + t · direction` (its best level less its worst), and the
    /// product of its gaps between neighbouring levels over that range: one logarithm a move,
    /// not one a gap, and 0 for an issue not held to the spacing, a tie, or a product too small
    /// for a `Double`. No closure and,
    /// once the issue's order is known, no array: this runs on every step of the walk.
    private func shape(
        _ issue: Int,
        _ point: [Double],
        _ direction: [Double],
        _ t: Double
    ) -> (range: Double, gaps: Double) {
        let levels = self.levels[issue]
        if ordered[issue] { return Self.shape(levels.count) { point[levels[$0]] + t * direction[levels[$0]] } }
        guard Self.spacedLevels.contains(levels.count) else {
            var (low, high) = (Double.infinity, -Double.infinity)
            for j in levels {
                (low, high) = (min(low, point[j] + t * direction[j]), max(high, point[j] + t * direction[j]))
            }
            return (high - low, 0)
        }
        let values = levels.map { point[$0] + t * direction[$0] }.sorted(by: >)
        return Self.shape(values.count) { values[$0] }
    }

    /// The range and gaps' product of `count` values that `value` gives from highest to lowest.
    @inline(__always)
    private static func shape(_ count: Int, _ value: (Int) -> Double) -> (range: Double, gaps: Double) {
        let range = value(0) - value(count - 1)
        guard spacedLevels.contains(count), range > 0 else { return (range, 0) }
        var product = 1.0
        var higher = value(0)
        for i in 1..<count {
            let lower = value(i)
            product *= max(0, higher - lower) / range
            higher = lower
        }
        return (range, product)
    }
}

extension PreferenceElicitation {
    /// How evenly the walk expects an issue's values to be spaced: the gaps between its distinct
    /// values, over its range, follow a symmetric Dirichlet(α); α = 1 would be values thrown
    /// anywhere in the range. Real profiles space their values far more evenly than that: over the
    /// 159 issues of 3 to 50 distinct values in the GENIUS profiles of ../shared/domains that
    /// the elicitation benchmark does not measure, α = 4.85 by maximum likelihood (log likelihood
    /// 290 against 147 at α = 1; `Benchmarks/elicitation_prior.py`).
    public static let spacingConcentration = 4.85

    /// The prior for the walk under `equalities` (the answers' equality rows) and the answers'
    /// orders.
    func prior(_ equalities: [[Double]]) -> ElicitationPrior {
        var levels: [[Int]] = []
        var ordered: [Bool] = []
        let tiedTo = tiedOptions(equalities)
        let orders = orders
        for issue in optionCounts.indices {
            if let order = orders[issue] {
                levels.append(order.map { index(issue, $0[0]) })
                ordered.append(true)
            } else {
                levels.append(Set(positions(of: issue).map { tiedTo[$0] }).sorted())
                ordered.append(false)
            }
        }
        return ElicitationPrior(
            levels: levels,
            ordered: ordered,
            rangeExponents: levels.map { Self.rangeExponent(levels: $0.count) }
        )
    }

    /// How strongly an issue's range (its best part-worth less its worst) is discounted.
    ///
    /// Spread evenly through the box, an issue's k part-worths put its range near 1 and make a
    /// small range rare: the other k − 2 must fit inside it, so the range's density grows as
    /// range^(k−2). The estimate then holds every issue about equally important, and an issue
    /// that matters little (Car-B's weights of 0.02 beside 0.36) is not learnt in 40 questions.
    /// Weighting each point by range^−e undoes that; e is the issue's distinct levels (its options,
    /// those an equality ties counted once, whether an order's tie or an "equal" between two of
    /// them) less 2.5, not 2, so that a tie no answer has stated yet cannot make the density grow
    /// without bound at range 0, and at most 8, so that an issue of a thousand options still mixes.
    /// Measured over the two-party folders, against the plain box: Kendall's τ +0.014 to +0.022
    /// a run on average, the Nash point within 0.02 in 66% of runs instead of 62%; with e = k − 2
    /// it was 0.002 to 0.008 worse than this.
    static func rangeExponent(levels: Int) -> Double { min(max(0, Double(levels) - 2.5), 8) }

    /// Each part-worth's representative among the options tied to it by an equality within one
    /// issue (an order's tie or an "equal" between two of its options), union-find style.
    private func tiedOptions(_ equalities: [[Double]]) -> [Int] {
        var tiedTo = Array(0..<dimension)
        func root(_ j: Int) -> Int { tiedTo[j] == j ? j : root(tiedTo[j]) }
        for row in equalities {
            let named = row.indices.filter { row[$0] != 0 }
            if named.count == 2, issue(of: named[0]) == issue(of: named[1]) {
                tiedTo[root(named[0])] = root(named[1])
            }
        }
        return tiedTo.indices.map(root)
    }

    /// The issue whose part-worth sits at `position`.
    private func issue(of position: Int) -> Int { optionCounts.indices.first { positions(of: $0).contains(position) }! }
}
