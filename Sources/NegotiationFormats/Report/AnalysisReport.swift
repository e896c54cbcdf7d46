public import NegotiationEngine

/// The analysis of a scenario as people read it: a JSON object for programs, a summary for a
/// terminal.
public struct AnalysisReport: Sendable {
    public var scenario: Scenario
    public var analysis: ScenarioAnalysis
    public var reading: String
    public var warnings: [FormatWarning]

    public init(scenario: Scenario, analysis: ScenarioAnalysis, reading: String, warnings: [FormatWarning] = []) {
        self.scenario = scenario
        self.analysis = analysis
        self.reading = reading
        self.warnings = warnings
    }

    /// The report as JSON, with the documented keys in their documented order:
    /// `outcomes`, `parties`, `reservation`, `paretoSize`, `pareto`, `nash`, `kalai`, `welfare`,
    /// `egalitarian`, `agreementZone`; then `reading`, `issues` and `warnings`.
    public func json(pretty: Bool = true) -> String {
        let zone = analysis.agreementZone
        let value = JSONValue.object([
            ("outcomes", .literal(analysis.outcomeCount.description)),
            ("parties", .array(scenario.parties.map { .string($0.name) })),
            ("reservation", .array(analysis.reservationValues.map(JSONValue.finite))),
            ("paretoSize", .number(Double(analysis.frontier.count))),
            ("pareto", .array(analysis.frontier.map(point))),
            ("nash", analysis.nash.map(point) ?? .null),
            ("kalai", analysis.kalaiSmorodinsky.map(point) ?? .null),
            ("welfare", analysis.maximumWelfare.map(point) ?? .null),
            ("egalitarian", analysis.egalitarian.map(point) ?? .null),
            (
                "agreementZone",
                .object([
                    ("outcomes", .literal(zone.count.description)),
                    ("fraction", .finite(zone.fraction)),
                    ("exact", .bool(zone.isExact)),
                ])
            ),
            ("reading", .string(reading)),
            ("issues", .array(scenario.space.issues.map { .string($0.name) })),
            ("warnings", .array(warnings.map { .string($0.description) })),
        ])
        return value.serialized(indent: pretty ? 2 : nil) + "\n"
    }

    private func point(_ point: UtilityPoint) -> JSONValue {
        .object([
            ("outcome", .outcome(point.outcome, in: scenario.space)),
            ("utilities", .array(point.utilities.map(JSONValue.finite))),
        ])
    }

    /// A summary for a terminal: sizes, the solutions, the zone of agreement, and the first
    /// `frontierRows` frontier points.
    public func summary(frontierRows: Int = 10) -> String {
        let names = scenario.parties.map(\.name)
        var lines: [String] = []
        lines.append(
            "\(scenario.name) — \(scenario.space.issues.count) issues, \(names.count) parties (\(reading) reading)"
        )
        lines.append("Outcomes:           \(grouped(analysis.outcomeCount.description))")
        for (party, reservation) in zip(scenario.parties, analysis.reservationValues) {
            var line = "  \(party.name): reservation \(reservation.isFinite ? fixed(reservation) : "none")"
            if !party.forbiddenOptions.isEmpty {
                line += ", \(party.forbiddenOptions.values.reduce(0) { $0 + $1.count }) forbidden options"
            }
            lines.append(line)
        }
        let zone = analysis.agreementZone
        lines.append(
            "Zone of agreement:  \(grouped(zone.count.description)) outcomes (\(percent(zone.fraction)))\(zone.isExact ? "" : ", estimated from a sample")"
        )
        lines.append("Pareto frontier:    \(analysis.frontier.count) points")
        let solutions: [(String, UtilityPoint?)] = [
            ("Nash", analysis.nash), ("Kalai–Smorodinsky", analysis.kalaiSmorodinsky),
            ("Maximum welfare", analysis.maximumWelfare), ("Egalitarian", analysis.egalitarian),
        ]
        for (title, solution) in solutions {
            guard let solution else {
                lines.append("\(title):".padding(20) + "none (no outcome clears every red line)")
                continue
            }
            lines.append("\(title):".padding(20) + utilities(solution) + "  " + package(solution.outcome))
        }
        if !analysis.frontier.isEmpty {
            lines.append("")
            lines.append("Frontier (by \(names[0])'s utility, highest first):")
            for point in analysis.frontier.prefix(frontierRows) {
                lines.append("  " + utilities(point) + "  " + package(point.outcome))
            }
            if analysis.frontier.count > frontierRows {
                lines.append("  … \(analysis.frontier.count - frontierRows) more (use --json for all)")
            }
        }
        for warning in warnings { lines.append(warning.description) }
        return lines.joined(separator: "\n") + "\n"
    }

    private func utilities(_ point: UtilityPoint) -> String {
        "(" + point.utilities.map(fixed).joined(separator: ", ") + ")"
    }

    private func package(_ outcome: Outcome) -> String {
        zip(scenario.space.issues, scenario.space.labels(of: outcome)).map { "\($0.name)=\($1)" }.joined(
            separator: ", "
        )
    }

    private func fixed(_ value: Double) -> String {
        let scaled = (value * 10_000).rounded() / 10_000
        var text = String(scaled)
        if let dot = text.firstIndex(of: "."), !text.contains("e") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < 4 { text += String(repeating: "0", count: 4 - decimals) }
        }
        return text
    }

    private func percent(_ fraction: Double) -> String {
        let value = (fraction * 10_000).rounded() / 100
        return "\(value)%"
    }

    private func grouped(_ digits: String) -> String {
        var result = ""
        for (index, character) in digits.reversed().enumerated() {
            if index > 0, index % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return String(result.reversed())
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
