/// Preferences learnt from answers to simple questions, for a delegation that would rather choose
/// between packages than write weights (PAPRIKA's pairwise trade-offs, adaptive conjoint
/// analysis's question design, UTA's linear programs).
///
/// The model is additive: a package's utility is the sum of one part-worth per issue, for the
/// option it takes. Every answer is a linear constraint on the part-worths (an order says which
/// options are worth more, a comparison which side adds up to more), so the answers so far leave
/// a polytope of additive utilities that agree with all of them. An exact linear program says
/// whether that polytope is empty (the answers conflict, and which ones); random walks inside it,
/// weighted by what real profiles look like (``spacingConcentration``), give the estimate (their centre
/// of mass), how settled each weight is, and the next question:
/// the one whose answer the utilities still agreeing with everything are most divided on.
public struct PreferenceElicitation: Sendable {
    /// Each issue's number of options.
    public let optionCounts: [Int]
    /// The answers so far, in the order given; all hold together.
    public private(set) var answers: [ElicitationAnswer] = []
    /// Where each issue's part-worths start among all of them.
    private let offsets: [Int]
    var dimension: Int { offsets.last.map { $0 + optionCounts[optionCounts.count - 1] } ?? 0 }

    public init(optionCounts: [Int]) {
        precondition(optionCounts.allSatisfy { $0 >= 1 }, "every issue has an option")
        self.optionCounts = optionCounts
        var offsets: [Int] = []
        var next = 0
        for count in optionCounts {
            offsets.append(next)
            next += count
        }
        self.offsets = offsets
    }

    /// Adds `answer`, or, when it cannot hold together with the answers so far, leaves them as
    /// they were and throws the smallest set of answers that conflict (the new one included).
    public mutating func record(_ answer: ElicitationAnswer) throws(ElicitationConflict) {
        try validate(answer)
        let all = answers + [answer]
        guard interiorPoint(of: all) != nil else { throw ElicitationConflict(answers: conflicting(all)) }
        answers = all
    }

    /// Adds `answers` in one check when they hold together (one program, not one an answer);
    /// otherwise adds them one by one up to the first that conflicts, and throws as
    /// ``record(_:)`` does.
    public mutating func record(contentsOf answers: [ElicitationAnswer]) throws(ElicitationConflict) {
        for answer in answers { try validate(answer) }
        let all = self.answers + answers
        if interiorPoint(of: all) != nil {
            self.answers = all
            return
        }
        for answer in answers { try record(answer) }
    }

    /// Whether `answer` holds together with the answers so far (one program, no search for the
    /// conflicting ones).
    func holdsWith(_ answer: ElicitationAnswer) -> Bool { interiorPoint(of: answers + [answer]) != nil }

    /// Each ordered issue's levels, best first, from the first answer that orders it: a room may
    /// store the same order twice, and every reader of the orders (the walk's prior, the next
    /// question) takes this one.
    var orders: [Int: [[Int]]] {
        var orders: [Int: [[Int]]] = [:]
        for case .order(let issue, let levels) in answers where orders[issue] == nil { orders[issue] = levels }
        return orders
    }

    /// Adds `answer` unchecked, for answers known to hold together (a truthful ranking).
    mutating func assume(_ answer: ElicitationAnswer) { answers.append(answer) }

    /// Whether the issues' and options' numbers in `answer` exist.
    private func validate(_ answer: ElicitationAnswer) throws(ElicitationConflict) {
        func known(_ issue: Int, _ option: Int) -> Bool {
            optionCounts.indices.contains(issue) && (0..<optionCounts[issue]).contains(option)
        }
        switch answer {
        case .order(let issue, let levels):
            let options = levels.flatMap { $0 }
            guard optionCounts.indices.contains(issue), options.sorted() == Array(0..<optionCounts[issue]) else {
                throw ElicitationConflict(malformed: "an order names each option of its issue once")
            }
        case .compare(let first, let second, _):
            guard !first.isEmpty, Set(first.keys) == Set(second.keys),
                first.allSatisfy({ known($0.key, $0.value) }), second.allSatisfy({ known($0.key, $0.value) })
            else {
                throw ElicitationConflict(malformed: "two packages compared name options of the same issues")
            }
        }
    }

    /// The smallest subset of `all` that cannot hold together: each answer is left out in turn,
    /// and stays out if the rest still conflict (a deletion filter).
    private func conflicting(_ all: [ElicitationAnswer]) -> [Int] {
        var kept = Array(all.indices)
        for index in all.indices.reversed() {
            let without = kept.filter { $0 != index }
            if interiorPoint(of: without.map { all[$0] }) == nil { kept = without }
        }
        return kept
    }

    // MARK: Constraints

    /// The part-worth vector's index of `option` of `issue`.
    func index(_ issue: Int, _ option: Int) -> Int { offsets[issue] + option }

    /// What `answers` say, as rows over the part-worths: `strict` rows are > 0, `equal` rows = 0.
    func rows(of answers: [ElicitationAnswer]) -> Constraints {
        var constraints = Constraints()
        for answer in answers {
            switch answer {
            case .order(let issue, let levels):
                for level in levels {
                    for option in level.dropFirst() {
                        constraints.equal.append(difference([issue: level[0]], [issue: option]))
                    }
                }
                for (better, worse) in zip(levels, levels.dropFirst()) {
                    constraints.strict.append(difference([issue: better[0]], [issue: worse[0]]))
                }
            case .compare(let first, let second, let preference):
                let row = difference(first, second)
                switch preference {
                case .first: constraints.strict.append(row)
                case .second: constraints.strict.append(row.map { -$0 })
                case .equal: constraints.equal.append(row)
                }
            }
        }
        return constraints
    }

    /// The row `utility(first) − utility(second)` over the part-worths.
    func difference(_ first: [Int: Int], _ second: [Int: Int]) -> [Double] {
        var row = [Double](repeating: 0, count: dimension)
        for (index, coefficient) in sparseDifference(first, second) { row[index] = coefficient }
        return row
    }

    /// The same row as coefficients of the few part-worths it involves.
    func sparseDifference(_ first: [Int: Int], _ second: [Int: Int]) -> [Int: Double] {
        var row: [Int: Double] = [:]
        for (issue, option) in first { row[index(issue, option), default: 0] += 1 }
        for (issue, option) in second { row[index(issue, option), default: 0] -= 1 }
        return row
    }

    struct Constraints {
        var strict: [[Double]] = []
        var equal: [[Double]] = []
    }

    /// A point strictly inside the polytope that `answers` leave, or `nil` when there is none.
    func interiorPoint(of answers: [ElicitationAnswer]) -> [Double]? {
        orderedPoint(answers) ?? Self.interiorPoint(rows(of: answers), dimension: dimension)
    }

    /// A point strictly inside the polytope when every answer orders a different issue: each
    /// issue's levels evenly spaced between 0 and 1, without a linear program (an issue may have
    /// hundreds of options); `nil` when some answer is a comparison or orders an issue again.
    private func orderedPoint(_ answers: [ElicitationAnswer]) -> [Double]? {
        var point = [Double](repeating: 0.5, count: dimension)
        var ordered = Set<Int>()
        for answer in answers {
            guard case .order(let issue, let levels) = answer, ordered.insert(issue).inserted else { return nil }
            for (rank, level) in levels.enumerated() {
                for option in level { point[index(issue, option)] = 1 - Double(rank + 1) / Double(levels.count + 1) }
            }
        }
        return point
    }

    /// A point strictly inside the polytope (every strict row > 0, every part-worth strictly
    /// between 0 and 1), or `nil` when there is none: the linear program that maximizes the
    /// smallest margin `s` of all of them. Part-worths that no row names stay at ½ and out of
    /// the program, so that answers about a few of an issue's thousand options solve a program
    /// of a few columns.
    private static func interiorPoint(_ constraints: Constraints, dimension: Int) -> [Double]? {
        let named = (0..<dimension).filter { j in
            constraints.strict.contains { $0[j] != 0 } || constraints.equal.contains { $0[j] != 0 }
        }
        let margin = named.count
        var program = LinearProgram(objective: [Double](repeating: 0, count: margin) + [1])
        func row(_ values: [Double], margin weight: Double) -> [Double] { named.map { values[$0] } + [weight] }
        for strict in constraints.strict { program.atMost.append((row(strict.map { -$0 }, margin: 1), 0)) }
        for equal in constraints.equal { program.equal.append((row(equal, margin: 0), 0)) }
        program.atMost.append((row([Double](repeating: 0, count: dimension), margin: 1), 0.5))  // as the unnamed
        for j in named {
            var unit = [Double](repeating: 0, count: dimension)
            unit[j] = 1
            program.atMost.append((row(unit.map { -$0 }, margin: 1), 0))  // s ≤ x_j
            program.atMost.append((row(unit, margin: 1), 1))  // x_j + s ≤ 1
        }
        guard let solution = program.maximize(), solution.x[margin] > 1e-7 else { return nil }
        var point = [Double](repeating: 0.5, count: dimension)
        for (column, j) in named.enumerated() { point[j] = solution.x[column] }
        return point
    }
}

/// Answers that cannot all hold for one additive utility, by their positions among the answers
/// (the last may be the one just given); or an answer that does not read.
public struct ElicitationConflict: Error, Sendable, Hashable, CustomStringConvertible {
    /// The positions of the answers that conflict, from 0.
    public var answers: [Int]
    /// What was malformed, when the answer itself does not read.
    public var malformed: String?

    init(answers: [Int]) {
        self.answers = answers
        malformed = nil
    }

    init(malformed: String) {
        answers = []
        self.malformed = malformed
    }

    public var description: String {
        if let malformed { return malformed }
        let numbers = answers.map { "\($0 + 1)" }
        return "answers \(numbers.joined(separator: ", ")) cannot all hold for one additive utility"
    }
}
