public import NegotiationEngine

/// Writes scenarios as GeniusWeb JSON: a domain and one `LinearAdditiveUtilitySpace` profile per
/// party, which GeniusWeb, NegMAS and Shuttle read.
///
/// An integer issue is written as a number range when every party values it linearly within
/// [0, 1] (GeniusWeb's `NumberValueSetUtilities`), otherwise as a list of values, as are all
/// other issues. GeniusWeb holds no discount, no forbidden options and no reservation value
/// (only a reservation bid, whose utility becomes it): the writer says what it could not keep.
public enum GeniusWebWriter {
    /// The files of a scenario, and what GeniusWeb could not hold.
    public struct Files: Sendable {
        public var domain: String
        /// Each party's name and profile, in the scenario's order.
        public var profiles: [(party: String, json: String)]
        public var warnings: [FormatWarning]
    }

    /// Packages searched for a reservation bid; larger spaces get none.
    static let reservationSearchLimit = 1_000_000

    /// The domain and profiles of `scenario`.
    ///
    /// - Throws: ``FormatError`` when a party's preferences are not linear additive, a value lies
    ///   outside [0, 1], or an issue is continuous.
    public static func files(_ scenario: Scenario) throws(FormatError) -> Files {
        let space = scenario.space
        var numeric: [Bool] = []
        for (position, issue) in space.issues.enumerated() {
            if case .real = issue.values {
                throw FormatError(
                    file: scenario.name,
                    message:
                        "issue '\(issue.name)' is continuous; GeniusWeb has no continuous issues (discretize it first)"
                )
            }
            numeric.append(try isNumberRange(issue, at: position, in: scenario))
        }
        let domain = JSONValue.object([
            ("name", .string(scenario.name)),
            (
                "issuesValues",
                .object(
                    zip(space.issues, numeric).map { issue, numeric in (issue.name, valueSet(issue, numeric: numeric)) }
                )
            ),
        ])
        var warnings: [FormatWarning] = []
        var profiles: [(party: String, json: String)] = []
        for party in scenario.parties {
            let profile = try self.profile(party, in: scenario, domain: domain, numeric: numeric, warnings: &warnings)
            profiles.append((party.name, profile.serialized(indent: 2) + "\n"))
        }
        return Files(domain: domain.serialized(indent: 2) + "\n", profiles: profiles, warnings: warnings)
    }

    /// Whether `issue` can be a number range: integers, valued linearly in [0, 1] by every party.
    static func isNumberRange(_ issue: Issue, at position: Int, in scenario: Scenario) throws(FormatError) -> Bool {
        guard case .integer(let range) = issue.values else { return false }
        for party in scenario.parties {
            guard case .linearAdditive(let utility) = party.utility,
                case .linear(let slope, let offset, let origin, _) = utility.evaluators[position]
            else {
                return false
            }
            // Unclamped: a line that leaves [0, 1] inside the range is not GeniusWeb's interpolation.
            let ends = [range.lowerBound, range.upperBound].map { slope * (Double($0) - origin) + offset }
            guard ends.allSatisfy({ (0...1).contains($0) }) else { return false }
        }
        return true
    }

    static func valueSet(_ issue: Issue, numeric: Bool) -> JSONValue {
        if numeric, case .integer(let range) = issue.values {
            return .object([
                (
                    "range",
                    .object([
                        ("low", .number(Double(range.lowerBound))), ("high", .number(Double(range.upperBound))),
                        ("step", .number(1)),
                    ])
                )
            ])
        }
        return .object([("values", .array((0..<(issue.optionCount ?? 0)).map { .string(issue.label(ofOption: $0)) }))])
    }

    static func profile(
        _ party: Party,
        in scenario: Scenario,
        domain: JSONValue,
        numeric: [Bool],
        warnings: inout [FormatWarning]
    ) throws(FormatError) -> JSONValue {
        guard case .linearAdditive(let utility) = party.utility else {
            throw FormatError(
                file: party.name,
                message: "GeniusWeb profiles are linear additive; party '\(party.name)' has nonlinear preferences"
            )
        }
        let space = scenario.space
        var issueUtilities: [(String, JSONValue)] = []
        for (position, issue) in space.issues.enumerated() {
            let count = issue.optionCount ?? 0
            let values = (0..<count).map { utility.value(ofOption: $0, issue: issue, at: position) }
            if numeric[position], case .integer(let range) = issue.values {
                issueUtilities.append(
                    (
                        issue.name,
                        .object([
                            (
                                "NumberValueSetUtilities",
                                .object([
                                    ("lowValue", .number(Double(range.lowerBound))), ("lowUtility", .number(values[0])),
                                    ("highValue", .number(Double(range.upperBound))),
                                    ("highUtility", .number(values[count - 1])),
                                ])
                            )
                        ])
                    )
                )
                continue
            }
            if let outside = values.firstIndex(where: { !(0...1).contains($0) }) {
                throw FormatError(
                    file: party.name,
                    message:
                        "party '\(party.name)' values '\(issue.label(ofOption: outside))' of issue '\(issue.name)' at \(values[outside]), outside GeniusWeb's [0, 1] (GENIUS files read with --reading genius are scaled to it)"
                )
            }
            let table = (0..<count).map { (issue.label(ofOption: $0), JSONValue.number(values[$0])) }
            issueUtilities.append(
                (issue.name, .object([("DiscreteValueSetUtilities", .object([("valueUtilities", .object(table))]))]))
            )
        }
        var members: [(String, JSONValue)] = [
            ("domain", domain),
            ("name", .string(party.name)),
            ("issueUtilities", .object(issueUtilities)),
            ("issueWeights", .object(zip(space.issues, utility.weights).map { ($0.name, .number($1)) })),
        ]
        if let bid = reservationBid(party, in: scenario, numeric: numeric, warnings: &warnings) {
            members.append(("reservationBid", bid))
        }
        if party.discount != nil {
            warnings.append(
                FormatWarning(
                    file: party.name,
                    message:
                        "party '\(party.name)' discounts over time; GeniusWeb profiles cannot, so the discount is dropped"
                )
            )
        }
        if let cap = utility.maximumTotal, utility.contributions(in: space).reduce(0, { $0 + ($1.max() ?? 0) }) > cap {
            warnings.append(
                FormatWarning(
                    file: party.name,
                    message:
                        "party '\(party.name)' caps totals at \(cap) (its weights add up to \(utility.weights.reduce(0, +))); GeniusWeb does not cap, so packages above it change utility"
                )
            )
        }
        if !party.forbiddenOptions.isEmpty {
            warnings.append(
                FormatWarning(
                    file: party.name,
                    message: "party '\(party.name)' forbids options; GeniusWeb profiles cannot, so they are dropped"
                )
            )
        }
        return .object([("LinearAdditiveUtilitySpace", .object(members))])
    }

    /// A package whose utility is the reservation value, or the best one below it (with a
    /// warning); none for a reservation of 0 or less, which GeniusWeb's absent bid means.
    static func reservationBid(
        _ party: Party,
        in scenario: Scenario,
        numeric: [Bool],
        warnings: inout [FormatWarning]
    ) -> JSONValue? {
        let target = party.reservationValue
        guard target.isFinite, target > 0 else { return nil }
        let space = scenario.space
        guard let count = space.count.intValue, count <= reservationSearchLimit else {
            warnings.append(
                FormatWarning(
                    file: party.name,
                    message:
                        "party '\(party.name)' has reservation value \(target), but the space is too large to find a reservation bid; none is written"
                )
            )
            return nil
        }
        var best: (outcome: Outcome, utility: Double)?
        space.forEachOutcome { outcome in
            let utility = party.utility.utility(of: outcome, in: space)
            if utility <= target, utility > (best?.utility ?? -.infinity) { best = (outcome, utility) }
            return utility != target
        }
        guard let best else {
            warnings.append(
                FormatWarning(
                    file: party.name,
                    message:
                        "party '\(party.name)' has reservation value \(target), below every package; no reservation bid is written"
                )
            )
            return nil
        }
        if best.utility != target {
            warnings.append(
                FormatWarning(
                    file: party.name,
                    message:
                        "party '\(party.name)' has reservation value \(target) but no package of that utility; the reservation bid written is worth \(best.utility)"
                )
            )
        }
        let values = space.issues.enumerated().map { position, issue -> (String, JSONValue) in
            let option = Int(best.outcome.optionIndices[position])
            if numeric[position], let number = issue.numericValue(ofOption: option) {
                return (issue.name, .number(number))
            }
            return (issue.name, .string(issue.label(ofOption: option)))
        }
        return .object([("issuevalues", .object(values))])
    }
}
