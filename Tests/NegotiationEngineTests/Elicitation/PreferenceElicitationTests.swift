import NegotiationEngine
import Testing

/// The elicitation engine: answers as constraints, conflicts named, questions chosen by what the
/// utilities still disagree on, and fits that approach a truthful party.
struct PreferenceElicitationTests {
    @Test func conflictingAnswersAreNamedAndLeftOut() throws {
        var elicitation = PreferenceElicitation(optionCounts: [2, 2, 3])
        try elicitation.record(.order(issue: 0, levels: [[0], [1]]))  // 1: 0 over 1 on issue 0
        try elicitation.record(.order(issue: 2, levels: [[2], [0, 1]]))  // 2: unrelated
        try elicitation.record(.order(issue: 1, levels: [[0], [1]]))  // 3: 0 over 1 on issue 1
        // 4: the worse option on both issues preferred to the better on both: impossible.
        let impossible = ElicitationAnswer.compare(first: [0: 1, 1: 1], second: [0: 0, 1: 0], preference: .first)
        #expect(throws: ElicitationConflict.self) { try elicitation.record(impossible) }
        do {
            try elicitation.record(impossible)
        } catch {
            #expect(error.answers == [0, 2, 3], "the unrelated order is not named")
            #expect(error.description == "answers 1, 3, 4 cannot all hold for one additive utility")
        }
        #expect(elicitation.answers.count == 3, "the conflicting answer is left out")
        // A trade-off that can hold is kept.
        try elicitation.record(.compare(first: [0: 0, 1: 1], second: [0: 1, 1: 0], preference: .equal))
        #expect(elicitation.answers.count == 4)
    }

    @Test func malformedAnswersAreRefusedInWords() {
        var elicitation = PreferenceElicitation(optionCounts: [2, 3])
        #expect(throws: ElicitationConflict.self) { try elicitation.record(.order(issue: 1, levels: [[0], [1]])) }
        #expect(throws: ElicitationConflict.self) {
            try elicitation.record(.compare(first: [0: 0], second: [1: 0], preference: .first))
        }
        #expect(throws: ElicitationConflict.self) {
            try elicitation.record(.compare(first: [0: 5], second: [0: 0], preference: .first))
        }
    }

    @Test func theFirstQuestionOrdersTheIssueWithMostOptionsThenComparesTradeOffs() throws {
        var elicitation = PreferenceElicitation(optionCounts: [2, 5, 3])
        let first = elicitation.nextQuestion(samples: elicitation.samples(count: 200, seed: 1), seed: 1)
        #expect(first == .order(issue: 1))
        let truth: [[Double]] = [[0.3, 0], [0.5, 0.4, 0.3, 0.1, 0], [0.2, 0.1, 0]]
        for issue in 0..<3 { try elicitation.record(ElicitationQuestion.order(issue: issue).answer(from: truth)) }
        let next = elicitation.nextQuestion(samples: elicitation.samples(count: 200, seed: 2), seed: 2)
        guard case .compare(let a, let b)? = next else {
            Issue.record("after every order, a comparison: \(String(describing: next))")
            return
        }
        // A trade-off on two issues or more, the rest equal: every issue it names differs.
        #expect(a.keys.count >= 2 && Set(a.keys) == Set(b.keys) && a.keys.allSatisfy { a[$0] != b[$0] })
    }

    @Test func anIssueOrderedTwiceStillGivesTheNextQuestion() throws {
        // A delegation may store the same order twice (the room keeps what holds together); the
        // engine reads each issue's order once, for the walk and for the questions alike.
        var elicitation = PreferenceElicitation(optionCounts: [3, 3, 2])
        try elicitation.record(.order(issue: 0, levels: [[0], [1], [2]]))
        try elicitation.record(.order(issue: 1, levels: [[2], [1], [0]]))
        try elicitation.record(.order(issue: 0, levels: [[0], [1], [2]]))
        let samples = elicitation.samples(count: 200, seed: 4)
        #expect(samples.count == 200)
        let question = try #require(elicitation.nextQuestion(samples: samples, seed: 4))
        #expect(question != .order(issue: 0) && question != .order(issue: 1), "ordered issues are not asked again")
    }

    @Test func samplesAgreeWithEveryAnswer() throws {
        var elicitation = PreferenceElicitation(optionCounts: [3, 3])
        let truth: [[Double]] = [[0.6, 0.2, 0], [0.3, 0.25, 0]]
        for question in [ElicitationQuestion.order(issue: 0), .order(issue: 1), .compare([0: 1, 1: 0], [0: 0, 1: 2])] {
            try elicitation.record(question.answer(from: truth))
        }
        let samples = elicitation.samples(count: 100, seed: 3)
        #expect(samples.count == 100)
        for x in samples {
            #expect(x[0] > x[1] && x[1] > x[2] && x[3] > x[4] && x[4] > x[5])
            #expect(x[1] + x[3] < x[0] + x[5], "the comparison: (1, 0) is worse than (0, 2)")
            #expect(x.allSatisfy { (0...1).contains($0) })
        }
    }

    @Test func theMarginPointLeavesOptionsNoAnswerNamesAtOneHalf() throws {
        // One issue of 1,000 options and a ranking of three of them: a program of three columns,
        // not a thousand (the whole program took minutes), the rest of the options untouched.
        var elicitation = PreferenceElicitation(optionCounts: [1_000, 2])
        #expect(elicitation.maximumMarginPoint() == [Double](repeating: 0.5, count: 1_002), "no answer yet")
        try elicitation.record(.compare(first: [0: 7], second: [0: 300], preference: .first))
        try elicitation.record(.compare(first: [0: 300], second: [0: 999], preference: .first))
        try elicitation.record(.compare(first: [0: 999, 1: 0], second: [0: 7, 1: 1], preference: .equal))
        let point = try #require(elicitation.maximumMarginPoint())
        #expect(point[7] > point[300] && point[300] > point[999])
        #expect(abs(point[999] + point[1_000] - point[7] - point[1_001]) < 1e-9)
        let named: Set = [7, 300, 999, 1_000, 1_001]
        #expect(point.indices.filter { !named.contains($0) }.allSatisfy { point[$0] == 0.5 })
        #expect(point.allSatisfy { $0 > 0 && $0 < 1 })
    }

    @Test func samplesSpreadEvenlyOverWhatTheAnswersAllow() throws {
        // x0 > x1 inside the unit square, and an unrelated issue of two options free: the samples'
        // mean is the triangle's centroid (2/3, 1/3) and the square's centre; a walk that stayed
        // near its start, or never moved along some direction, would miss it.
        var elicitation = PreferenceElicitation(optionCounts: [2, 2])
        try elicitation.record(.order(issue: 0, levels: [[0], [1]]))
        let samples = elicitation.samples(count: 4_000, seed: 5)
        let mean = (0..<4).map { j in samples.reduce(0) { $0 + $1[j] } / Double(samples.count) }
        for (value, expected) in zip(mean, [2.0 / 3, 1.0 / 3, 0.5, 0.5]) { #expect(abs(value - expected) < 0.02) }
        let spread = samples.reduce(0) { $0 + ($1[2] - 0.5) * ($1[2] - 0.5) } / Double(samples.count)
        #expect(abs(spread - 1.0 / 12) < 0.01, "uniform on [0, 1]: variance 1/12")
    }

    @Test func anIssueIsNotHeldImportantForItsNumberOfOptions() throws {
        // Five ordered options spread evenly through the box: the three inside the range make
        // its density range³(1 − range), mean 2/3. Discounted by range^−2.5, the density is
        // range^½(1 − range), mean 3/7, so a small weight is not rare. The two-option issue's
        // range keeps its density 2(1 − range), mean 1/3.
        var elicitation = PreferenceElicitation(optionCounts: [5, 2])
        try elicitation.record(.order(issue: 0, levels: [[0], [1], [2], [3], [4]]))
        let samples = elicitation.samples(count: 4_000, seed: 11)
        #expect(abs(meanRange(of: 0, samples, elicitation) - 3.0 / 7) < 0.03)
        #expect(abs(meanRange(of: 1, samples, elicitation) - 1.0 / 3) < 0.03)
        #expect(samples.allSatisfy { x in zip(x[0..<4], x[1..<5]).allSatisfy { $0 > $1 } }, "the order holds")
    }

    @Test func optionsAnAnswerCallsEqualCountAsOneLevelOfTheDiscount() throws {
        // Options 0 = 1 > 2 > 3 > 4 stated by comparisons, not an order: four levels, so the
        // range's discount is range^−1.5 and its mean 3/7 as above. Counting five levels would
        // discount by range^−2.5 and leave the mean at 1/5.
        var elicitation = PreferenceElicitation(optionCounts: [5, 2])
        try elicitation.record(.compare(first: [0: 0], second: [0: 1], preference: .equal))
        for better in 1..<4 {
            try elicitation.record(.compare(first: [0: better], second: [0: better + 1], preference: .first))
        }
        let samples = elicitation.samples(count: 4_000, seed: 12)
        #expect(abs(meanRange(of: 0, samples, elicitation) - 3.0 / 7) < 0.03)
    }

    @Test func anIssuesValuesAreExpectedAboutEvenlySpaced() throws {
        // Gaps between neighbouring values over the range follow Dirichlet(α) on n gaps: each has
        // mean 1/n and variance (1/n)(1 − 1/n)/(nα + 1). With α = 1 (points thrown anywhere in
        // the range) that would be 0.0375 for five ordered options and 0.0556 for four options
        // in no known order; with the fitted α it is a quarter of that. The range's own density
        // does not move, since the gaps are weighed over the range.
        var elicitation = PreferenceElicitation(optionCounts: [5, 4])
        try elicitation.record(.order(issue: 0, levels: [[0], [1], [2], [3], [4]]))
        let samples = elicitation.samples(count: 4_000, seed: 13)
        let alpha = PreferenceElicitation.spacingConcentration
        for (issue, n) in [(0, 4.0), (1, 3.0)] {
            let gaps = samples.flatMap { sample in
                let values = elicitation.split(sample)[issue].sorted(by: >)
                return zip(values, values.dropFirst()).map { ($0 - $1) / (values[0] - values[values.count - 1]) }
            }
            let variance = gaps.reduce(0) { $0 + ($1 - 1 / n) * ($1 - 1 / n) } / Double(gaps.count)
            let expected = (1 / n) * (1 - 1 / n) / (n * alpha + 1)
            #expect(abs(variance - expected) < 0.2 * expected, "issue \(issue): \(variance) against \(expected)")
        }
        #expect(abs(meanRange(of: 0, samples, elicitation) - 3.0 / 7) < 0.03)
    }

    /// The mean over `samples` of `issue`'s range: its best part-worth less its worst.
    private func meanRange(of issue: Int, _ samples: [[Double]], _ elicitation: PreferenceElicitation) -> Double {
        let rows = samples.map { elicitation.split($0)[issue] }
        return rows.reduce(0) { $0 + $1.max()! - $1.min()! } / Double(rows.count)
    }

    @Test func kendallTauMatchesCountingEveryPair() {
        var generator = SeededGenerator(seed: 9)
        for _ in 0..<20 {
            let n = Int.random(in: 2...60, using: &generator)
            let x = (0..<n).map { _ in Double(Int.random(in: 0..<6, using: &generator)) }
            let y = (0..<n).map { _ in Double(Int.random(in: 0..<6, using: &generator)) }
            var (concordant, discordant, tiedX, tiedY) = (0, 0, 0, 0)
            for i in 0..<n {
                for j in (i + 1)..<n {
                    let (dx, dy) = (x[i] - x[j], y[i] - y[j])
                    if dx == 0 && dy == 0 { continue }
                    if dx == 0 {
                        tiedX += 1
                    } else if dy == 0 {
                        tiedY += 1
                    } else if dx * dy > 0 {
                        concordant += 1
                    } else {
                        discordant += 1
                    }
                }
            }
            let denominator =
                (Double(concordant + discordant + tiedX) * Double(concordant + discordant + tiedY)).squareRoot()
            let expected = denominator > 0 ? Double(concordant - discordant) / denominator : 0
            #expect(abs(kendallTau(x, y) - expected) < 1e-12)
        }
        #expect(kendallTau([1, 2, 3], [3, 2, 1]) == -1)
    }

    @Test func aTruthfulPartyIsFoundAndTheEngineBeatsRandomQuestions() throws {
        // Unequal weights and uneven values over 3 issues of 4 options.
        let space = OutcomeSpace(issues: (0..<3).map { Issue(name: "i\($0)", options: ["a", "b", "c", "d"]) })
        let truth = LinearAdditiveUtility(
            weights: [0.55, 0.3, 0.15],
            evaluators: [.table([1, 0.9, 0.2, 0]), .table([0, 0.5, 0.6, 1]), .table([0.3, 1, 0, 0.1])]
        )
        let simulation = ElicitationSimulation(utility: truth, space: space)
        #expect(simulation.packages.count == 64)
        var engine: [Int: Double] = [:]
        let fit = simulation.run(.engine, questions: 12, seed: 4, samples: 100) { asked, _, fit in
            engine[asked] = simulation.tau(fit)
        }
        let random = simulation.tau(simulation.run(.random, questions: 12, seed: 4, samples: 100))
        #expect(engine[12]! >= 0.85, "\(engine)")
        #expect(engine[12]! > random, "engine \(engine[12]!), random \(random)")
        #expect(fit.weights[0] == fit.weights.max(), "the heaviest issue is found heaviest: \(fit.weights)")
        #expect(abs(fit.weights.reduce(0, +) - 1) < 1e-9)
        #expect(fit.values.allSatisfy { ($0.max() ?? 0) == 1 && ($0.min() ?? 1) == 0 })
    }

    /// One issue of three options, worth 1, 0.9 and 0 to the truthful party: no answer can say
    /// whether the middle one is worth 0.9 or 0.1, since both utilities answer every question alike.
    private var oneIssue: (OutcomeSpace, LinearAdditiveUtility) {
        (
            OutcomeSpace(issues: [Issue(name: "i", options: ["best", "middle", "worst"])]),
            LinearAdditiveUtility(weights: [1], evaluators: [.table([1, 0.9, 0])])
        )
    }

    @Test func everyOrderKnownStillLeavesTheValuesBetweenTheEndsOpen() throws {
        let (space, truth) = oneIssue
        let simulation = ElicitationSimulation(utility: truth, space: space)
        let known = try #require(simulation.everyOrderKnown(seed: 3))
        // The order is right, but the middle option sits near the centre of (0, 1), not at 0.9.
        #expect(known.values[0][0] == 1 && known.values[0][2] == 0)
        #expect(abs(known.values[0][1] - 0.5) < 0.1, "\(known.values)")
        let other = LinearAdditiveUtility(weights: [1], evaluators: [.table([1, 0.1, 0])])
        let otherSimulation = ElicitationSimulation(utility: other, space: space)
        #expect(otherSimulation.everyOrderKnown(seed: 3) == known, "the same answers, the same estimate")
        #expect(simulation.everyOrderKnown(seed: 3, limit: 2) == nil, "above the limit, no estimate")
    }

    @Test func theReservationIsStatedOverPackagesOnTheFittedScale() {
        let (space, truth) = oneIssue
        let simulation = ElicitationSimulation(utility: truth, space: space)
        // Fitted with the middle option at 0.5: a party walking away below 0.8 accepts "middle"
        // (truly 0.9) and refuses "worst", so its reservation falls between their fitted worths.
        let fitted = FittedPreferences(partWorths: [[1, 0.5, 0]], spread: nil)
        #expect(simulation.reservation(0.8, on: fitted) == 0.25)
        // Walking away below 0.95, it refuses "middle" too: between 0.5 and 1.
        #expect(simulation.reservation(0.95, on: fitted) == 0.75)
    }
}
