public import NegotiationEngine

/// A delegation's private utility model over the agenda: weights, option values, forbidden
/// options and a reservation value.
///
/// It never leaves the delegation's room. `description` and the mirror name nothing but the
/// fact that it is there, so a log line or an error message cannot carry its numbers.
public struct Preferences: Hashable, Sendable, Codable, CustomStringConvertible, CustomReflectable {
    /// Per agenda issue, its weight.
    public var weights: [String: Double]
    /// Per agenda issue, each option's value.
    public var values: [String: [String: Double]]
    /// Per agenda issue, the options the party will never accept.
    public var forbidden: [String: [String]]
    /// The least total utility the party accepts.
    public var reservationValue: Double

    public init(
        weights: [String: Double],
        values: [String: [String: Double]],
        forbidden: [String: [String]] = [:],
        reservationValue: Double = 0
    ) {
        self.weights = weights
        self.values = values
        self.forbidden = forbidden
        self.reservationValue = reservationValue
    }

    /// The preferences of an engine `party` over `space` (linear additive, discrete issues): the
    /// inverse of ``party(named:agenda:)``.
    public init?(_ party: Party, in space: OutcomeSpace) {
        guard case .linearAdditive(let utility) = party.utility, space.isFinite else { return nil }
        var weights: [String: Double] = [:]
        var values: [String: [String: Double]] = [:]
        var forbidden: [String: [String]] = [:]
        for (position, issue) in space.issues.enumerated() {
            weights[issue.name] = utility.weights[position]
            values[issue.name] = Dictionary(
                uniqueKeysWithValues: (0..<(issue.optionCount ?? 0)).map {
                    (issue.label(ofOption: $0), utility.value(ofOption: $0, issue: issue, at: position))
                }
            )
            if let refused = party.forbiddenOptions[position] {
                forbidden[issue.name] = refused.sorted().map { issue.label(ofOption: $0) }
            }
        }
        self.init(weights: weights, values: values, forbidden: forbidden, reservationValue: party.reservationValue)
    }

    public var description: String { "Preferences(redacted)" }
    public var customMirror: Mirror { Mirror(self, children: []) }

    /// The engine's model of this party over `agenda`, or a message saying what does not fit.
    /// What does not fit the agenda breaks a rule of the talks (409); only a negative weight or
    /// a number that is not one is malformed.
    public func party(named name: String, agenda: [AgendaIssue]) -> Result<Party, TalksError> {
        for issue in weights.keys where !agenda.contains(where: { $0.name == issue }) {
            return .failure(.rule("the agenda has no issue '\(issue)'"))
        }
        for (issue, options) in forbidden {
            guard let agendaIssue = agenda.first(where: { $0.name == issue }) else {
                return .failure(.rule("the agenda has no issue '\(issue)'"))
            }
            for option in options where !agendaIssue.options.contains(option) {
                return .failure(.rule("issue '\(issue)' has no option '\(option)'"))
            }
        }
        guard reservationValue.isFinite else { return .failure(.invalid("the reservation value must be a number")) }
        var weightList: [Double] = []
        var evaluators: [LinearAdditiveUtility.Evaluator] = []
        var forbiddenOptions: [Int: Set<Int>] = [:]
        for (position, issue) in agenda.enumerated() {
            guard let weight = weights[issue.name] else {
                return .failure(.rule("a weight is needed for issue '\(issue.name)'"))
            }
            guard weight.isFinite, weight >= 0 else {
                return .failure(.invalid("the weight of issue '\(issue.name)' must be 0 or more"))
            }
            let table = values[issue.name] ?? [:]
            for option in table.keys where !issue.options.contains(option) {
                return .failure(.rule("issue '\(issue.name)' has no option '\(option)'"))
            }
            var row: [Double] = []
            for option in issue.options {
                guard let value = table[option], value.isFinite else {
                    return .failure(.rule("a value is needed for option '\(option)' of issue '\(issue.name)'"))
                }
                row.append(value)
            }
            weightList.append(weight)
            evaluators.append(.table(row))
            let refused = Set((forbidden[issue.name] ?? []).compactMap { issue.options.firstIndex(of: $0) })
            if !refused.isEmpty { forbiddenOptions[position] = refused }
        }
        return .success(
            Party(
                name: name,
                utility: .linearAdditive(LinearAdditiveUtility(weights: weightList, evaluators: evaluators)),
                reservationValue: reservationValue,
                forbiddenOptions: forbiddenOptions
            )
        )
    }
}
