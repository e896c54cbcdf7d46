public import NegotiationEngine

/// A delegation's answer to one question of guided elicitation, in the agenda's own words: an
/// issue's options put in order, or a choice between two (partial) packages.
///
/// Answers reveal preferences as surely as weights do, so they stay in the room, and
/// `description` and the mirror name nothing they hold.
public enum PreferenceAnswer: Hashable, Sendable, CustomStringConvertible, CustomReflectable {
    /// Issue `issue`'s options, best first, in levels of options held equal.
    case order(issue: String, levels: [[String]])
    /// Between two packages naming the same issues (the rest understood equal): which the
    /// delegation prefers, or that they are equal.
    case compare(first: [String: String], second: [String: String], preference: ElicitationAnswer.Preference)

    public var description: String { "PreferenceAnswer(redacted)" }
    public var customMirror: Mirror { Mirror(self, children: []) }

    /// The engine's answer over `agenda` (issues and options by position), or what does not fit.
    func engineAnswer(over agenda: [AgendaIssue]) -> Result<ElicitationAnswer, TalksError> {
        func position(of issue: String) -> Result<Int, TalksError> {
            agenda.firstIndex { $0.name == issue }.map { .success($0) }
                ?? .failure(.rule("the agenda has no issue '\(issue)'"))
        }
        func option(_ label: String, of issue: Int) -> Result<Int, TalksError> {
            agenda[issue].options.firstIndex(of: label).map { .success($0) }
                ?? .failure(.rule("issue '\(agenda[issue].name)' has no option '\(label)'"))
        }
        func positions(_ package: [String: String]) -> Result<[Int: Int], TalksError> {
            var result: [Int: Int] = [:]
            for (name, label) in package {
                switch position(of: name).flatMap({ issue in option(label, of: issue).map { (issue, $0) } }) {
                case .success(let (issue, choice)): result[issue] = choice
                case .failure(let error): return .failure(error)
                }
            }
            return .success(result)
        }
        switch self {
        case .order(let name, let levels):
            return position(of: name).flatMap { issue in
                var indices: [[Int]] = []
                for level in levels {
                    var row: [Int] = []
                    for label in level {
                        switch option(label, of: issue) {
                        case .success(let index): row.append(index)
                        case .failure(let error): return .failure(error)
                        }
                    }
                    indices.append(row)
                }
                return .success(.order(issue: issue, levels: indices))
            }
        case .compare(let first, let second, let preference):
            return positions(first).flatMap { a in
                positions(second).map { b in .compare(first: a, second: b, preference: preference) }
            }
        }
    }
}

extension PreferenceAnswer: Codable {
    private enum Key: String, CodingKey { case kind, issue, levels, first, second, preference }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .order(let issue, let levels):
            try c.encode("order", forKey: .kind)
            try c.encode(issue, forKey: .issue)
            try c.encode(levels, forKey: .levels)
        case .compare(let first, let second, let preference):
            try c.encode("compare", forKey: .kind)
            try c.encode(first, forKey: .first)
            try c.encode(second, forKey: .second)
            try c.encode(preference, forKey: .preference)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "order":
            self = .order(
                issue: try c.decode(String.self, forKey: .issue),
                levels: try c.decode([[String]].self, forKey: .levels)
            )
        case "compare":
            self = .compare(
                first: try c.decode([String: String].self, forKey: .first),
                second: try c.decode([String: String].self, forKey: .second),
                preference: try c.decode(ElicitationAnswer.Preference.self, forKey: .preference)
            )
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind,
                in: c,
                debugDescription: "an answer's kind is 'order' or 'compare'"
            )
        }
    }
}
