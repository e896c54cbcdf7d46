import NegotiationEngine

/// What the mediator gets when asking for suggested packages.
///
/// Packages only: no party's utility, no red line, no count that a party's numbers could be
/// read from. A party's own utilities are a separate question only that party may ask
/// (``Talks/utility(of:for:)``).
public enum Suggestions: Hashable, Sendable {
    /// Packages that clear every party's red lines and are Pareto-efficient, the closest to
    /// the Nash point first.
    case packages([[String: String]])
    /// No package clears every party's red lines.
    case noZoneOfAgreement
    /// These parties have stored no preferences, so nothing can be suggested without guessing.
    case missingPreferences([String])
    /// The agenda changed after these parties stored preferences that no longer fit it.
    case stalePreferences([String])
}

extension Talks {
    /// Suggested packages for the mediator: those that clear every red line, on the Pareto
    /// frontier, ranked by closeness (in utility space) to the Nash point; at most `limit`.
    public func suggestions(limit: Int = 5) -> Suggestions {
        let scenario: Scenario
        switch partiesScenario() {
        case .success(let built): scenario = built
        case .failure(let missing): return missing.answer
        }
        let suggestions = ScenarioAnalysis(scenario).suggestions
        guard !suggestions.isEmpty else { return .noZoneOfAgreement }
        return .packages(suggestions.prefix(max(0, limit)).map { Self.package(scenario.space, $0.outcome) })
    }

    /// Why the parties' preferences cannot be put together: an answer for the mediator.
    struct MissingPreferences: Error {
        var answer: Suggestions
    }

    /// Every party's stored preferences over the agenda, as one scenario, in the parties' order.
    func partiesScenario() -> Result<Scenario, MissingPreferences> {
        let missing = state.parties.filter { state.preferences[$0] == nil }
        guard missing.isEmpty else { return .failure(MissingPreferences(answer: .missingPreferences(missing))) }
        var parties: [Party] = []
        var stale: [String] = []
        for name in state.parties {
            switch state.preferences[name]!.party(named: name, agenda: state.agenda) {
            case .success(let party): parties.append(party)
            case .failure: stale.append(name)
            }
        }
        guard stale.isEmpty else { return .failure(MissingPreferences(answer: .stalePreferences(stale))) }
        return .success(Scenario(name: state.title, space: agendaSpace, parties: parties))
    }

    /// `party`'s own utility for `package`, for that party's eyes only; `nil` when it has stored
    /// no preferences or the package does not name every agenda issue.
    public func utility(of package: [String: String], for party: String) -> Double? {
        guard let preferences = state.preferences[party],
            case .success(let model) = preferences.party(named: party, agenda: state.agenda)
        else {
            return nil
        }
        let space = agendaSpace
        guard let outcome = space.outcome(labels: state.agenda.map { package[$0.name] ?? "" }) else { return nil }
        return model.utility.utility(of: outcome, in: space)
    }

    var agendaSpace: OutcomeSpace {
        OutcomeSpace(issues: state.agenda.map { Issue(name: $0.name, options: $0.options) })
    }

    /// `outcome` as the API writes a package: each issue's name to its option's label.
    static func package(_ space: OutcomeSpace, _ outcome: Outcome) -> [String: String] {
        Dictionary(uniqueKeysWithValues: zip(space.issues.map(\.name), space.labels(of: outcome)))
    }
}
