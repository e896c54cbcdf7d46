import Foundation
public import NegotiationEngine

/// Shuttle's own scenario format: one JSON file with the issues, the parties, their
/// preferences and their red lines.
///
/// ```json
/// {
///   "format": "shuttle-scenario/1",
///   "name": "Lunch",
///   "issues": [
///     {"name": "place", "options": ["cafe", "canteen"]},
///     {"name": "minutes", "integers": {"min": 30, "max": 60}}
///   ],
///   "parties": [
///     {"name": "Ann",
///      "preferences": {
///        "place": {"weight": 0.7, "values": {"cafe": 1, "canteen": 0.2}},
///        "minutes": {"weight": 0.3, "linear": {"slope": 0.02, "offset": -0.2}}},
///      "reservationValue": 0.4,
///      "forbidden": {"place": ["canteen"]}}
///   ]
/// }
/// ```
///
/// Values are used as written: Shuttle does not rescale them (GENIUS files are rescaled when
/// read; see ``GeniusReading``). A linear evaluator gives `slope · x + offset` for the option's
/// number `x`. A real issue (`"reals": {"min": …, "max": …}`) is analysed once discretised.
/// Only linear additive preferences are written in this format.
public enum ShuttleScenarioFormat {
    public static let formatTag = "shuttle-scenario/1"

    /// Reads a scenario from JSON bytes.
    public static func read(_ bytes: [UInt8], file: String) throws(FormatError) -> LoadedScenario {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw FormatError(file: file, message: "the file is empty")
        }
        if bytes.count > XMLReader.maximumSize {
            throw FormatError(
                file: file,
                message: "the file is \(bytes.count) bytes; files over \(XMLReader.maximumSize >> 20) MiB are refused"
            )
        }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw describe(error, file: file)
        } catch {
            throw FormatError(file: file, message: "not a Shuttle scenario: \(error)")
        }
        return try document.scenario(file: file)
    }

    /// Writes `scenario` as pretty-printed JSON ending in a line break, or on one line without
    /// one when not `pretty` (to travel inside a line-delimited message).
    ///
    /// - Throws: ``FormatError`` when a party's utility is not linear additive.
    public static func write(
        _ scenario: Scenario,
        note: String? = nil,
        pretty: Bool = true
    ) throws(FormatError) -> [UInt8] {
        let document = try Document(scenario, note: note)
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(document)) + (pretty ? [0x0A] : [])
        } catch {
            throw FormatError(file: scenario.name, message: "cannot encode: \(error)")
        }
    }

    private static func describe(_ error: DecodingError, file: String) -> FormatError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
            return FormatError(
                file: file,
                element: context.codingPath.isEmpty ? nil : path(context.codingPath),
                message: context.codingPath.isEmpty ? "not valid JSON\(underlying)" : context.debugDescription
            )
        case .keyNotFound(let key, let context):
            return FormatError(
                file: file,
                element: path(context.codingPath).isEmpty ? "the top level" : path(context.codingPath),
                message: "the required key '\(key.stringValue)' is missing"
            )
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return FormatError(file: file, element: path(context.codingPath), message: "expected \(type)")
        @unknown default:
            return FormatError(file: file, message: "\(error)")
        }
    }
}

extension ShuttleScenarioFormat {
    struct Range<Bound: Codable & Sendable & Comparable>: Codable, Sendable {
        var min: Bound
        var max: Bound
    }

    struct IssueDocument: Codable, Sendable {
        var name: String
        var options: [String]?
        var integers: Range<Int>?
        var reals: Range<Double>?
    }

    struct Linear: Codable, Sendable {
        var slope: Double
        var offset: Double
    }

    struct IssuePreference: Codable, Sendable {
        var weight: Double
        var values: [String: Double]?
        var linear: Linear?
    }

    struct PartyDocument: Codable, Sendable {
        var name: String
        var preferences: [String: IssuePreference]
        var reservationValue: Double?
        var forbidden: [String: [String]]?
        /// GENIUS-style discount: u · dᵗ over normalised time.
        var discount: Double?
        var cap: Double?
    }

    struct Document: Codable, Sendable {
        var format: String?
        var name: String
        var note: String?
        var issues: [IssueDocument]
        var parties: [PartyDocument]

        func scenario(file: String) throws(FormatError) -> LoadedScenario {
            if let format, format != formatTag {
                throw FormatError(
                    file: file,
                    element: ".format",
                    message: "unknown format '\(format)' (expected '\(formatTag)')"
                )
            }
            guard !issues.isEmpty else {
                throw FormatError(file: file, element: ".issues", message: "the scenario has no issue")
            }
            guard !parties.isEmpty else {
                throw FormatError(file: file, element: ".parties", message: "the scenario has no party")
            }
            var built: [Issue] = []
            for (position, issue) in issues.enumerated() {
                let at = ".issues[\(position)]"
                guard !issue.name.isEmpty else {
                    throw FormatError(file: file, element: at, message: "the issue has no name")
                }
                if built.contains(where: { $0.name == issue.name }) {
                    throw FormatError(file: file, element: at, message: "the issue '\(issue.name)' is declared twice")
                }
                let kinds = [issue.options != nil, issue.integers != nil, issue.reals != nil].filter { $0 }.count
                guard kinds == 1 else {
                    throw FormatError(
                        file: file,
                        element: at,
                        message: "issue '\(issue.name)' needs exactly one of options, integers or reals"
                    )
                }
                if let options = issue.options {
                    guard !options.isEmpty else {
                        throw FormatError(file: file, element: at, message: "issue '\(issue.name)' has no option")
                    }
                    guard Set(options).count == options.count else {
                        throw FormatError(
                            file: file,
                            element: at,
                            message: "issue '\(issue.name)' lists an option twice"
                        )
                    }
                    built.append(Issue(name: issue.name, options: options))
                } else if let range = issue.integers {
                    guard range.min <= range.max else {
                        throw FormatError(
                            file: file,
                            element: at,
                            message: "issue '\(issue.name)' has min \(range.min) above max \(range.max)"
                        )
                    }
                    built.append(Issue(name: issue.name, integers: range.min...range.max))
                } else if let range = issue.reals {
                    guard range.min <= range.max, range.min.isFinite, range.max.isFinite else {
                        throw FormatError(
                            file: file,
                            element: at,
                            message: "issue '\(issue.name)' has an invalid range \(range.min)…\(range.max)"
                        )
                    }
                    built.append(Issue(name: issue.name, reals: range.min...range.max))
                }
            }
            let space = OutcomeSpace(issues: built)
            var warnings: [FormatWarning] = []
            var result: [Party] = []
            for (position, party) in parties.enumerated() {
                result.append(
                    try party.party(space: space, file: file, at: ".parties[\(position)]", warnings: &warnings)
                )
            }
            return LoadedScenario(scenario: Scenario(name: name, space: space, parties: result), warnings: warnings)
        }

        init(_ scenario: Scenario, note: String?) throws(FormatError) {
            format = formatTag
            name = scenario.name
            self.note = note
            issues = scenario.space.issues.map { issue in
                switch issue.values {
                case .discrete(let options): IssueDocument(name: issue.name, options: options)
                case .integer(let range):
                    IssueDocument(name: issue.name, integers: Range(min: range.lowerBound, max: range.upperBound))
                case .real(let range), .sampled(let range, _):
                    IssueDocument(name: issue.name, reals: Range(min: range.lowerBound, max: range.upperBound))
                }
            }
            var parties: [PartyDocument] = []
            for party in scenario.parties {
                parties.append(try PartyDocument(party, space: scenario.space))
            }
            self.parties = parties
        }
    }
}

extension ShuttleScenarioFormat.PartyDocument {
    func party(
        space: OutcomeSpace,
        file: String,
        at: String,
        warnings: inout [FormatWarning]
    ) throws(FormatError) -> Party {
        guard !name.isEmpty else { throw FormatError(file: file, element: at, message: "the party has no name") }
        for issueName in preferences.keys where !space.issues.contains(where: { $0.name == issueName }) {
            throw FormatError(file: file, element: "\(at).preferences", message: "unknown issue '\(issueName)'")
        }
        var weights: [Double] = []
        var evaluators: [LinearAdditiveUtility.Evaluator] = []
        for issue in space.issues {
            let where_ = "\(at).preferences[\"\(issue.name)\"]"
            guard let preference = preferences[issue.name] else {
                throw FormatError(
                    file: file,
                    element: "\(at).preferences",
                    message: "party '\(name)' has no preference for issue '\(issue.name)'"
                )
            }
            guard preference.weight.isFinite, preference.weight >= 0 else {
                throw FormatError(
                    file: file,
                    element: where_,
                    message: "the weight \(preference.weight) is not a non-negative number"
                )
            }
            weights.append(preference.weight)
            if let values = preference.values, preference.linear == nil, let count = issue.optionCount {
                // A value per option: discrete issues always, integer issues optionally.
                for label in values.keys where issue.optionIndex(of: label) == nil {
                    throw FormatError(
                        file: file,
                        element: where_,
                        message: "issue '\(issue.name)' has no option '\(label)'"
                    )
                }
                var table: [Double] = []
                for option in 0..<count {
                    let label = issue.label(ofOption: option)
                    guard let value = values[label] else {
                        throw FormatError(file: file, element: where_, message: "no value for option '\(label)'")
                    }
                    guard value.isFinite else {
                        throw FormatError(file: file, element: where_, message: "the value of '\(label)' is not finite")
                    }
                    table.append(value)
                }
                evaluators.append(.table(table))
            } else if let linear = preference.linear, preference.values == nil,
                issue.numericValue(ofOption: 0) != nil || !issue.isFinite
            {
                guard linear.slope.isFinite, linear.offset.isFinite else {
                    throw FormatError(
                        file: file,
                        element: where_,
                        message: "the linear evaluator's numbers must be finite"
                    )
                }
                evaluators.append(.linear(slope: linear.slope, offset: linear.offset, origin: 0, clampedToUnit: false))
            } else if case .discrete = issue.values {
                throw FormatError(
                    file: file,
                    element: where_,
                    message: "a discrete issue needs 'values' for its options"
                )
            } else {
                throw FormatError(
                    file: file,
                    element: where_,
                    message: "a numeric issue needs either 'values' or a 'linear' evaluator {slope, offset}"
                )
            }
        }
        let total = weights.reduce(0, +)
        if abs(total - 1) > GeniusReader.weightTolerance {
            warnings.append(
                FormatWarning(
                    file: file,
                    message: "the weights of party '\(name)' add up to \(total), not 1; they are used as written"
                )
            )
        }
        var forbiddenOptions: [Int: Set<Int>] = [:]
        for (issueName, labels) in forbidden ?? [:] {
            guard let position = space.issues.firstIndex(where: { $0.name == issueName }) else {
                throw FormatError(file: file, element: "\(at).forbidden", message: "unknown issue '\(issueName)'")
            }
            for label in labels {
                guard let option = space.issues[position].optionIndex(of: label) else {
                    throw FormatError(
                        file: file,
                        element: "\(at).forbidden[\"\(issueName)\"]",
                        message: "issue '\(issueName)' has no option '\(label)'"
                    )
                }
                forbiddenOptions[position, default: []].insert(option)
            }
        }
        if let reservationValue, !reservationValue.isFinite {
            throw FormatError(
                file: file,
                element: "\(at).reservationValue",
                message: "the reservation value must be a finite number"
            )
        }
        if let discount, !(discount > 0 && discount <= 1) {
            throw FormatError(
                file: file,
                element: "\(at).discount",
                message: "the discount factor \(discount) is outside (0, 1]"
            )
        }
        return Party(
            name: name,
            utility: .linearAdditive(
                LinearAdditiveUtility(weights: weights, evaluators: evaluators, maximumTotal: cap)
            ),
            reservationValue: reservationValue ?? 0,
            forbiddenOptions: forbiddenOptions,
            discount: discount.flatMap { $0 < 1 ? .normalizedTime($0) : nil }
        )
    }

    init(_ party: Party, space: OutcomeSpace) throws(FormatError) {
        guard case .linearAdditive(let utility) = party.utility else {
            throw FormatError(
                file: party.name,
                message: "Shuttle JSON holds linear additive preferences only; party '\(party.name)' has another kind"
            )
        }
        name = party.name
        var preferences: [String: ShuttleScenarioFormat.IssuePreference] = [:]
        for (position, issue) in space.issues.enumerated() {
            switch utility.evaluators[position] {
            case .table(let table):
                var values: [String: Double] = [:]
                for (option, value) in table.enumerated() { values[issue.label(ofOption: option)] = value }
                preferences[issue.name] = .init(weight: utility.weights[position], values: values)
            case .linear(let slope, let offset, let origin, let clamped):
                if clamped, let count = issue.optionCount {
                    // A clamped evaluator has no linear form: write its value for each option.
                    var values: [String: Double] = [:]
                    for option in 0..<count {
                        values[issue.label(ofOption: option)] = utility.value(
                            ofOption: option,
                            issue: issue,
                            at: position
                        )
                    }
                    preferences[issue.name] = .init(weight: utility.weights[position], values: values)
                } else {
                    preferences[issue.name] = .init(
                        weight: utility.weights[position],
                        linear: .init(slope: slope, offset: offset - slope * origin)
                    )
                }
            }
        }
        self.preferences = preferences
        reservationValue = party.reservationValue.isFinite ? party.reservationValue : nil
        let forbidden = party.forbiddenOptions.reduce(into: [String: [String]]()) { result, entry in
            result[space.issues[entry.key].name] = entry.value.sorted().map {
                space.issues[entry.key].label(ofOption: $0)
            }
        }
        self.forbidden = forbidden.isEmpty ? nil : forbidden
        switch party.discount {
        case .normalizedTime(let factor), .perRound(let factor): discount = factor
        case .none: discount = nil
        }
        cap = utility.maximumTotal
    }
}
