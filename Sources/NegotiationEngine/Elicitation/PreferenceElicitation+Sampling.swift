#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Random walks inside the polytope of utilities the answers allow (hit-and-run), and what they
/// give: the estimate, how settled it is, and the most informative next question.
extension PreferenceElicitation {
    /// `count` part-worth vectors spread through the utilities that agree with every answer:
    /// hit-and-run from an interior point, directions kept within the answers' equalities, each
    /// move kept or refused by the prior (``ElicitationPrior``): no issue held important for its
    /// number of options, and an issue's values expected about evenly spaced.
    public func samples(count: Int, seed: UInt64) -> [[Double]] {
        let constraints = rows(of: answers)
        guard var point = interiorPoint(of: answers) else { return [] }
        var generator = SeededGenerator(seed: seed)
        let basis = Self.orthonormal(constraints.equal)
        // Enough steps between samples to forget the last: the long thin polytopes that many
        // answers leave are slow to cross (2 a dimension measurably pulled the estimate towards
        // the start); capped so that an issue of hundreds of options stays quick.
        let steps = min(8 * point.count, 800)
        var walked: [[Double]] = []
        walked.reserveCapacity(count)
        // Rows name a few part-worths each: kept sparse, so that a step costs their size, not D².
        let strict = constraints.strict.map { row in row.indices.filter { row[$0] != 0 }.map { ($0, row[$0]) } }
        let prior = prior(constraints.equal)
        for round in 0..<(count + 10) {
            for _ in 0..<steps { step(&point, strict, basis, prior, &generator) }
            if round >= 10 { walked.append(point) }
        }
        return walked
    }

    /// One hit-and-run step: a random direction, a uniform point on the chord through it, and
    /// the move kept with the chance that the prior allows (Metropolis).
    private func step(
        _ point: inout [Double],
        _ strict: [[(Int, Double)]],
        _ basis: [[Double]],
        _ prior: ElicitationPrior,
        _ generator: inout SeededGenerator
    ) {
        var direction = Self.gaussians(point.count, &generator)
        for vector in basis {
            let along = zip(vector, direction).reduce(0) { $0 + $1.0 * $1.1 }
            for j in direction.indices { direction[j] -= along * vector[j] }
        }
        var low = -Double.infinity
        var high = Double.infinity
        func bound(_ slope: Double, _ room: Double) {
            // slope · t ≥ −room
            if slope > 1e-12 {
                low = max(low, -room / slope)
            } else if slope < -1e-12 {
                high = min(high, -room / slope)
            }
        }
        for j in point.indices {
            bound(direction[j], point[j])
            bound(-direction[j], 1 - point[j])
        }
        for row in strict {
            bound(row.reduce(0) { $0 + $1.1 * direction[$1.0] }, row.reduce(0) { $0 + $1.1 * point[$1.0] })
        }
        guard low.isFinite, high.isFinite, high > low else { return }
        let t = Double.random(in: low...high, using: &generator)
        let change = prior.logDensityChange(point, direction, t)
        if change < 0, log(Double.random(in: 0..<1, using: &generator)) > change { return }
        for j in point.indices { point[j] += t * direction[j] }
    }

    /// An orthonormal basis of the rows' span (modified Gram–Schmidt).
    static func orthonormal(_ rows: [[Double]]) -> [[Double]] {
        var basis: [[Double]] = []
        for row in rows {
            var vector = row
            for done in basis {
                let along = zip(done, vector).reduce(0) { $0 + $1.0 * $1.1 }
                for j in vector.indices { vector[j] -= along * done[j] }
            }
            let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if length > 1e-9 { basis.append(vector.map { $0 / length }) }
        }
        return basis
    }

    /// `count` independent standard normal numbers, two at a time by Marsaglia's polar method: a
    /// logarithm and a square root a pair, no trigonometry (this was a third of a walk's time).
    static func gaussians(_ count: Int, _ generator: inout SeededGenerator) -> [Double] {
        var numbers: [Double] = []
        numbers.reserveCapacity(count + 1)
        while numbers.count < count {
            let u = Double.random(in: -1..<1, using: &generator)
            let v = Double.random(in: -1..<1, using: &generator)
            let square = u * u + v * v
            guard square > 0, square < 1 else { continue }
            let scale = (-2 * log(square) / square).squareRoot()
            numbers.append(u * scale)
            numbers.append(v * scale)
        }
        if numbers.count > count { numbers.removeLast() }
        return numbers
    }

    /// The estimate from `samples`: their centre of mass, as weights and values, and each
    /// weight's spread over the samples (how settled it still is).
    public func fitted(from samples: [[Double]]) -> FittedPreferences {
        guard !samples.isEmpty else { return FittedPreferences(partWorths: uniform(), spread: nil) }
        var mean = [Double](repeating: 0, count: samples[0].count)
        for sample in samples { for j in mean.indices { mean[j] += sample[j] } }
        let scale = 1 / Double(samples.count)
        let centre = FittedPreferences(partWorths: split(mean.map { $0 * scale }), spread: nil)
        var spread = [Double](repeating: 0, count: optionCounts.count)
        for sample in samples {
            let weights = FittedPreferences(partWorths: split(sample), spread: nil).weights
            for i in spread.indices { spread[i] += (weights[i] - centre.weights[i]) * (weights[i] - centre.weights[i]) }
        }
        return FittedPreferences(partWorths: centre.partWorths, spread: spread.map { ($0 * scale).squareRoot() })
    }

    /// Equal part-worths to start from, before any answer: every option worth the same.
    private func uniform() -> [[Double]] { optionCounts.map { [Double](repeating: 0.5, count: $0) } }

    /// A part-worth vector as one row per issue.
    public func split(_ vector: [Double]) -> [[Double]] {
        optionCounts.indices.map { issue in Array(vector[positions(of: issue)]) }
    }

    /// Where `issue`'s part-worths sit in the vector of all of them.
    func positions(of issue: Int) -> Range<Int> { index(issue, 0)..<index(issue, 0) + optionCounts[issue] }

    /// The question the utilities in `samples` are most divided on, counted in pairs of options
    /// or packages whose order it would settle: an issue's order settles every pair of its
    /// options at once, a comparison one. Comparisons are drawn among trade-offs on two issues
    /// (`candidates` of them, seeded), the rest equal.
    public func nextQuestion(samples: [[Double]], candidates: Int = 300, seed: UInt64) -> ElicitationQuestion? {
        guard !samples.isEmpty else { return nil }
        var best: (question: ElicitationQuestion, score: Double)?
        func consider(_ question: ElicitationQuestion, _ score: Double) {
            if score > (best?.score ?? 1e-9) { best = (question, score) }
        }
        let orders = orders
        for issue in optionCounts.indices where orders[issue] == nil && optionCounts[issue] > 1 {
            // Every pair of its options, or a fixed sample of 2,000 pairs for a long list.
            var pairs: [(Int, Int)] = []
            let count = optionCounts[issue]
            if count * (count - 1) / 2 <= 2_000 {
                for a in 0..<count { for b in (a + 1)..<count { pairs.append((a, b)) } }
            } else {
                var sampler = SeededGenerator(seed: seed &+ UInt64(issue))
                for _ in 0..<2_000 {
                    let a = Int.random(in: 0..<count, using: &sampler)
                    pairs.append((a, (a + Int.random(in: 1..<count, using: &sampler)) % count))
                }
            }
            let score = pairs.reduce(0.0) { $0 + divided(samples, sparseDifference([issue: $1.0], [issue: $1.1])) }
            consider(.order(issue: issue), score * Double(count * (count - 1) / 2) / Double(pairs.count))
        }
        var generator = SeededGenerator(seed: seed)
        let issues = optionCounts.indices.filter { optionCounts[$0] > 1 }
        guard issues.count >= 2 else { return best?.question }
        // Swings between ordered issues: which matters more, from its worst to its best option?
        let ends = orders.filter { $0.value.count > 1 }.mapValues { (best: $0[0][0], worst: $0[$0.count - 1][0]) }
        for i in ends.keys.sorted() {
            for j in ends.keys.sorted() where j > i {
                let (a, b) = (ends[i]!, ends[j]!)
                let swing = ElicitationQuestion.compare([i: a.best, j: b.worst], [i: a.worst, j: b.best])
                if case .compare(let first, let second) = swing {
                    consider(swing, divided(samples, sparseDifference(first, second)))
                }
            }
        }
        // Trade-offs on more issues at once (up to whole packages), the issues where the two agree
        // left out: each cuts across more part-worths, as a ranking of whole packages does.
        for _ in 0..<(issues.count > 2 ? candidates : 0) {
            let named = issues.shuffled(using: &generator).prefix(Int.random(in: 3...issues.count, using: &generator))
            var first: [Int: Int] = [:]
            var second: [Int: Int] = [:]
            for issue in named {
                let a = Int.random(in: 0..<optionCounts[issue], using: &generator)
                let b = Int.random(in: 0..<optionCounts[issue], using: &generator)
                if a != b { (first[issue], second[issue]) = (a, b) }
            }
            guard first.count >= 2 else { continue }
            consider(.compare(first, second), divided(samples, sparseDifference(first, second)))
        }
        for _ in 0..<candidates {
            let i = issues.randomElement(using: &generator)!
            var j = issues.randomElement(using: &generator)!
            while j == i { j = issues.randomElement(using: &generator)! }
            let first = [
                i: Int.random(in: 0..<optionCounts[i], using: &generator),
                j: Int.random(in: 0..<optionCounts[j], using: &generator),
            ]
            let second = [
                i: Int.random(in: 0..<optionCounts[i], using: &generator),
                j: Int.random(in: 0..<optionCounts[j], using: &generator),
            ]
            guard first[i] != second[i], first[j] != second[j] else { continue }
            consider(.compare(first, second), divided(samples, sparseDifference(first, second)))
        }
        return best?.question
    }

    /// How much the samples disagree on the sign of `row · x`: how evenly they split (0.5 when
    /// half say each way, 0 when all agree) times how widely `row · x` ranges among them, so
    /// that a question cutting the polytope along its long axes comes first.
    private func divided(_ samples: [[Double]], _ row: [Int: Double]) -> Double {
        var above = 0
        var sum = 0.0
        var squares = 0.0
        for sample in samples {
            let value = row.reduce(0) { $0 + $1.value * sample[$1.key] }
            if value > 0 { above += 1 }
            sum += value
            squares += value * value
        }
        let count = Double(samples.count)
        let share = Double(above) / count
        let spread = max(0, squares / count - (sum / count) * (sum / count)).squareRoot()
        let norm = row.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return min(share, 1 - share) * spread / max(norm, 1e-12)
    }
}

/// Preferences as the elicitation estimates them: weights summing to 1 and each issue's values
/// from 0 (its worst option) to 1 (its best).
public struct FittedPreferences: Sendable, Hashable {
    /// Each issue's part-worth per option, unnormalized.
    public var partWorths: [[Double]]
    /// How far each weight still ranges across the utilities that agree with every answer (a
    /// standard deviation), or `nil` when not measured.
    public var spread: [Double]?

    public init(partWorths: [[Double]], spread: [Double]?) {
        self.partWorths = partWorths
        self.spread = spread
    }

    /// Each issue's weight: its part-worths' range over the sum of all ranges.
    public var weights: [Double] {
        let ranges = partWorths.map { ($0.max() ?? 0) - ($0.min() ?? 0) }
        let total = ranges.reduce(0, +)
        return total > 0 ? ranges.map { $0 / total } : ranges.map { _ in 1 / Double(max(1, ranges.count)) }
    }

    /// Each issue's values, from 0 for its worst option to 1 for its best.
    public var values: [[Double]] {
        partWorths.map { row in
            let low = row.min() ?? 0
            let range = (row.max() ?? 0) - low
            return row.map { range > 0 ? ($0 - low) / range : 0 }
        }
    }

    /// The utility as the engine's additive model: these weights and values, as tables.
    public var utility: LinearAdditiveUtility {
        LinearAdditiveUtility(weights: weights, evaluators: values.map { .table($0) })
    }
}
