/// Elicitation played against a known additive utility, which answers every question truthfully:
/// how close the fitted utility comes, question by question, for checking the engine and for
/// comparing ways of choosing questions.
public struct ElicitationSimulation: Sendable {
    /// How questions are chosen and the estimate is made.
    public enum Method: String, Sendable, CaseIterable {
        /// The engine's: the most informative question each time, the polytope's centre as estimate.
        case engine
        /// The same kinds of question, chosen at random; the same estimate.
        case random
        /// ANAC 2019's preference-uncertainty league: a ranking of as many random whole packages
        /// as there are questions, fitted by the linear program that maximizes the smallest
        /// margin between neighbours in the ranking (UTA style).
        case ranking
    }

    /// The truthful party's part-worths: weight times value, per issue and option.
    public let truth: [[Double]]
    /// The packages the fit is scored on: all of them, or a fixed sample of `sampleLimit`.
    public let packages: [[Int]]
    private let trueScores: [Double]

    /// - Parameters:
    ///   - utility: the truthful party's utility.
    ///   - space: a finite outcome space.
    ///   - sampleLimit: beyond this many packages, a fixed-seed sample of this many is scored.
    public init(utility: LinearAdditiveUtility, space: OutcomeSpace, sampleLimit: Int = 20_000) {
        let counts = space.optionCounts
        let truth = counts.indices.map { issue in
            (0..<counts[issue]).map { option in
                utility.weights[issue] * utility.value(ofOption: option, issue: space.issues[issue], at: issue)
            }
        }
        self.truth = truth
        var packages: [[Int]] = []
        if space.count <= OutcomeCount(sampleLimit) {
            space.forEachOutcome { outcome in
                packages.append(outcome.optionIndices.map(Int.init))
                return true
            }
        } else {
            var generator = SeededGenerator(seed: 20_000)
            for _ in 0..<sampleLimit { packages.append(counts.map { Int.random(in: 0..<$0, using: &generator) }) }
        }
        self.packages = packages
        trueScores = packages.map { Self.score($0, truth) }
    }

    static func score(_ package: [Int], _ partWorths: [[Double]]) -> Double {
        package.enumerated().reduce(0) { $0 + partWorths[$1.offset][$1.element] }
    }

    /// The reservation value on `fitted`'s scale that a truthful party states as the talks service
    /// asks for it: five times, a package `fitted` puts midway in the range left, "would you rather
    /// walk away than accept it?" (yes when its true utility is below `reservation`).
    public func reservation(_ reservation: Double, on fitted: FittedPreferences) -> Double {
        let worth = packages.map { Self.score($0, fitted.partWorths) }
        let low = fitted.partWorths.reduce(0) { $0 + ($1.min() ?? 0) }
        let range = fitted.partWorths.reduce(0) { $0 + ($1.max() ?? 0) - ($1.min() ?? 0) }
        guard range > 0 else { return reservation }
        var bounds = (low: 0.0, high: 1.0)
        for _ in 0..<5 {
            let middle = (bounds.low + bounds.high) / 2
            var nearest: (index: Int, utility: Double)?
            for (index, score) in worth.enumerated() {
                let utility = (score - low) / range
                guard utility > bounds.low + 1e-9, utility < bounds.high - 1e-9 else { continue }
                if nearest == nil || abs(utility - middle) < abs(nearest!.utility - middle) {
                    nearest = (index, utility)
                }
            }
            guard let nearest else { break }
            if trueScores[nearest.index] < reservation {
                bounds.low = nearest.utility
            } else {
                bounds.high = nearest.utility
            }
        }
        return (bounds.low + bounds.high) / 2
    }

    /// Kendall's τ between `fitted` and the truth over ``packages``.
    public func tau(_ fitted: FittedPreferences) -> Double {
        kendallTau(packages.map { Self.score($0, fitted.partWorths) }, trueScores)
    }

    /// Asks `questions` questions by `method`, calling `progress` after each with the number
    /// asked, the answer (for `ranking`, the package ranked, as a comparison with itself) and the
    /// fit so far; returns the last fit. `samples` defaults to as many as the talks service's page
    /// draws, so that the simulation measures what a delegation gets.
    public func run(
        _ method: Method,
        questions: Int,
        seed: UInt64,
        samples: Int = 400,
        progress: (Int, ElicitationAnswer?, FittedPreferences) -> Void = { _, _, _ in }
    ) -> FittedPreferences {
        switch method {
        case .ranking: return ranking(questions, seed: seed, progress: progress)
        case .engine, .random: break
        }
        var elicitation = PreferenceElicitation(optionCounts: truth.map(\.count))
        var generator = SeededGenerator(seed: seed)
        var walked = elicitation.samples(count: samples, seed: seed)
        var fit = elicitation.fitted(from: walked)
        for asked in 1...max(1, questions) where questions > 0 {
            let question =
                method == .engine
                ? elicitation.nextQuestion(samples: walked, seed: seed &+ UInt64(asked))
                : randomQuestion(elicitation, &generator)
            let answer = question?.answer(from: truth)
            // A truthful answer never conflicts; one that would (rounding) is left out, without
            // the search for which answers it conflicts with. With no question left to ask, the
            // fit stays as it is.
            if let answer, elicitation.holdsWith(answer) {
                elicitation.assume(answer)
                walked = elicitation.samples(count: samples, seed: seed &+ UInt64(asked) &* 7919)
                fit = elicitation.fitted(from: walked)
            }
            progress(asked, answer, fit)
        }
        return fit
    }

    /// The estimate when every package's place in the truthful order is known (every comparison
    /// any question could make, answered): the ceiling of what answers to these questions can
    /// teach, since every utility inside what it leaves answers every question the same way.
    /// `nil` above `limit` packages, where the programs grow too large.
    public func everyOrderKnown(samples: Int = 200, seed: UInt64, limit: Int = 2_000) -> FittedPreferences? {
        guard packages.count <= limit else { return nil }
        let order = packages.indices.sorted { trueScores[$0] > trueScores[$1] }
        var elicitation = PreferenceElicitation(optionCounts: truth.map(\.count))
        for (better, worse) in zip(order, order.dropFirst()) {
            elicitation.assume(truthfulComparison(packages[better], packages[worse]))
        }
        return elicitation.fitted(from: elicitation.samples(count: samples, seed: seed))
    }

    /// A question of either kind at random: an unordered issue's order half the time while any
    /// is left, else a trade-off between two random options of two random issues.
    private func randomQuestion(
        _ elicitation: PreferenceElicitation,
        _ generator: inout SeededGenerator
    )
        -> ElicitationQuestion?
    {
        let counts = elicitation.optionCounts
        let ordered = Set(elicitation.answers.compactMap { if case .order(let i, _) = $0 { i } else { nil } })
        let unordered = counts.indices.filter { !ordered.contains($0) && counts[$0] > 1 }
        let issues = counts.indices.filter { counts[$0] > 1 }
        if !unordered.isEmpty, issues.count < 2 || Bool.random(using: &generator) {
            return .order(issue: unordered.randomElement(using: &generator)!)
        }
        guard issues.count >= 2 else { return nil }
        let pair = issues.shuffled(using: &generator).prefix(2)
        let (i, j) = (pair.first!, pair.last!)
        func two(_ count: Int) -> (Int, Int) {
            let a = Int.random(in: 0..<count, using: &generator)
            var b = Int.random(in: 0..<count, using: &generator)
            while b == a { b = Int.random(in: 0..<count, using: &generator) }
            return (a, b)
        }
        let (a, a2) = two(counts[i])
        let (b, b2) = two(counts[j])
        return .compare([i: a, j: b], [i: a2, j: b2])
    }

    /// ANAC 2019's estimate: `count` random packages ranked, fitted by maximum margin.
    private func ranking(
        _ count: Int,
        seed: UInt64,
        progress: (Int, ElicitationAnswer?, FittedPreferences) -> Void
    ) -> FittedPreferences {
        var generator = SeededGenerator(seed: seed)
        let counts = truth.map(\.count)
        var ranked: [[Int]] = []
        var fit = FittedPreferences(partWorths: counts.map { [Double](repeating: 0.5, count: $0) }, spread: nil)
        for asked in 1...max(1, count) where count > 0 {
            let package = counts.map { Int.random(in: 0..<$0, using: &generator) }
            let score = Self.score(package, truth)
            let place = ranked.firstIndex { Self.score($0, truth) < score } ?? ranked.count
            ranked.insert(package, at: place)
            var elicitation = PreferenceElicitation(optionCounts: counts)
            for (better, worse) in zip(ranked, ranked.dropFirst()) {
                // A truthful ranking holds together: one program for all of it, not one an answer.
                elicitation.assume(truthfulComparison(better, worse))
            }
            if let point = elicitation.maximumMarginPoint() {
                fit = FittedPreferences(partWorths: elicitation.split(point), spread: nil)
            }
            progress(asked, nil, fit)
        }
        return fit
    }

    /// The truthful answer to "which of these two whole packages (an option per issue) is better?".
    private func truthfulComparison(_ first: [Int], _ second: [Int]) -> ElicitationAnswer {
        func named(_ package: [Int]) -> [Int: Int] {
            Dictionary(uniqueKeysWithValues: package.enumerated().map { ($0.offset, $0.element) })
        }
        return ElicitationQuestion.compare(named(first), named(second)).answer(from: truth)
    }
}

extension PreferenceElicitation {
    /// The part-worths that satisfy every answer with the largest smallest margin (UTA's
    /// linear program), or `nil` before any strict answer holds.
    public func maximumMarginPoint() -> [Double]? {
        interiorPoint(of: answers)
    }
}
