/// A question a delegation can answer without utility theory, and its answer.
///
/// Two kinds, each counting as one question: put one issue's options in order (people find this
/// easy), or choose between two packages, whole or partial. A partial package names some issues'
/// options; the two compared name the same issues, and every issue they leave out is understood
/// to be the same in both ("the rest equal"), so only the named issues' values matter.
public enum ElicitationQuestion: Sendable, Hashable {
    /// Order the options of issue `issue` (by position), best first.
    case order(issue: Int)
    /// Which of two (partial) packages is better, or are they equal? Each maps issue positions to
    /// option indices, over the same issues.
    case compare([Int: Int], [Int: Int])
}

/// What a delegation answered.
public enum ElicitationAnswer: Sendable, Hashable {
    /// Issue `issue`'s options, best first, in levels of options held equal.
    case order(issue: Int, levels: [[Int]])
    /// Between `first` and `second`: which is preferred, or that they are equal.
    case compare(first: [Int: Int], second: [Int: Int], preference: Preference)

    public enum Preference: String, Sendable, Hashable, Codable {
        case first, second, equal
    }
}

extension ElicitationQuestion {
    /// The truthful answer of a party whose utility is additive, with per-option contributions
    /// `contributions[issue][option]` (its weight times its value): for simulations and checks.
    /// Differences under a millionth of the utility's range count as equal: no person tells them
    /// apart, and a margin that thin is below what the linear programs resolve.
    public func answer(from contributions: [[Double]]) -> ElicitationAnswer {
        let range = contributions.reduce(0.0) { $0 + ($1.max() ?? 0) - ($1.min() ?? 0) }
        let tolerance = max(1e-12, 1e-6 * range)
        switch self {
        case .order(let issue):
            let values = contributions[issue]
            let sorted = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
            var levels: [[Int]] = []
            for option in sorted {
                if let last = levels.last?.first, values[last] - values[option] <= tolerance {
                    levels[levels.count - 1].append(option)
                } else {
                    levels.append([option])
                }
            }
            return .order(issue: issue, levels: levels)
        case .compare(let first, let second):
            // Summed in the issues' order, not the dictionary's (which changes from run to run),
            // so that a near tie gets the same answer every time.
            func worth(_ side: [Int: Int]) -> Double {
                side.keys.sorted().reduce(0.0) { $0 + contributions[$1][side[$1]!] }
            }
            let difference = worth(first) - worth(second)
            let preference: ElicitationAnswer.Preference =
                abs(difference) <= tolerance ? .equal : difference > 0 ? .first : .second
            return .compare(first: first, second: second, preference: preference)
        }
    }
}
