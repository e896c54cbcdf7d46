public import NegotiationEngine

/// Negotiations and tournaments as files: a trace as JSON, a tournament as CSV (one row per
/// negotiation, one per competitor) and JSON.
public enum NegotiationReport {
    /// One negotiation: the result and every event, outcomes by their option labels.
    public static func json(
        _ result: NegotiationResult, scenario: Scenario, names: [String], protocolName: String
    ) -> String {
        func labels(_ outcome: Outcome?) -> JSONValue {
            outcome.map { .outcome($0, in: scenario.space) } ?? .null
        }
        let events: [JSONValue] = result.trace.map { event in
            var members: [(String, JSONValue)] = [("step", .number(Double(event.step)))]
            switch event.actor {
            case .mediator: members.append(("by", .string("mediator")))
            case .seat(let seat): members.append(("by", .string(names[seat])))
            }
            members.append(("action", .string(action(event.action, names: names))))
            if let outcome = event.outcome {
                members.append(("outcome", labels(outcome)))
                members.append(("utilities", .array(scenario.utilities(of: outcome).map(JSONValue.finite))))
            }
            let seen = (0..<names.count).filter { event.audience.includes(.seat($0)) }.map { JSONValue.string(names[$0]) }
            members.append(("seenBy", .array(seen + (event.audience.mediator ? [.string("mediator")] : []))))
            return .object(members)
        }
        return JSONValue.object([
            ("scenario", .string(scenario.name)),
            ("protocol", .string(protocolName)),
            ("negotiators", .array(names.map(JSONValue.string))),
            ("ending", .string(ending(result.ending, names: names))),
            ("steps", .number(Double(result.steps))),
            ("agreement", labels(result.agreement)),
            ("utilities", result.agreement.map { .array(scenario.utilities(of: $0).map(JSONValue.finite)) } ?? .null),
            ("events", .array(events)),
        ]).serialized(indent: 2) + "\n"
    }

    /// What an event did, in the words the JSON trace and the command's summary use.
    public static func action(_ action: NegotiationEvent.Action, names: [String]) -> String {
        switch action {
        case .offer: "offer"
        case .accept: "accept"
        case .reject: "reject"
        case .leave: "leave"
        case .text: "text"
        case .relay(_, let from): "relay from \(names[from])"
        case .vote(_, let inFavour): inFavour ? "vote for" : "vote against"
        case .agreement: "agreement"
        }
    }

    public static func ending(_ ending: NegotiationResult.Ending, names: [String]) -> String {
        switch ending {
        case .agreement: "agreement"
        case .deadline: "deadline"
        case .left(let seat): "\(names[seat]) left"
        }
    }

    /// The first line of `negotiations.csv`.
    static let negotiationsHeader =
        "scenario,first,second,repetition,seed,ending,steps,agreement,utility_first,utility_second,welfare,distance_to_frontier,distance_to_nash"

    /// One row per negotiation.
    public static func negotiationsCSV(_ tournament: Tournament, _ records: [Tournament.Record]) -> String {
        var csv = negotiationsHeader + "\n"
        for record in records {
            let scenario = tournament.scenarios[record.match.scenario]
            let names = record.match.seats.map { tournament.competitors[$0].name }
            let agreement = record.agreement.map { scenario.space.labels(of: $0).joined(separator: ";") } ?? ""
            let fields = [
                scenario.name, names[0], names[1], String(record.match.repetition), String(record.match.seed),
                ending(record.ending, names: names), String(record.steps), agreement,
                number(record.utilities[0]), number(record.utilities[1]), number(record.welfare),
                number(record.distanceToFrontier), number(record.distanceToNash),
            ]
            csv += fields.map(field).joined(separator: ",") + "\n"
        }
        return csv
    }

    /// One row per competitor.
    public static func scoresCSV(_ scores: [Tournament.Score]) -> String {
        var csv = "negotiator,negotiations,mean_utility,agreement_rate,mean_distance_to_frontier,mean_distance_to_nash,mean_welfare,mean_steps\n"
        for score in scores {
            csv += [
                field(score.name), String(score.negotiations), number(score.meanUtility), number(score.agreementRate),
                number(score.meanDistanceToFrontier), number(score.meanDistanceToNash), number(score.meanWelfare),
                number(score.meanSteps),
            ].joined(separator: ",") + "\n"
        }
        return csv
    }

    /// What a tournament is: protocol, scenarios, negotiators, deadline, repetitions and seed.
    static func settings(of tournament: Tournament) -> [(String, JSONValue)] {
        var deadline: [(String, JSONValue)] = []
        if let steps = tournament.deadline.steps { deadline.append(("steps", .number(Double(steps)))) }
        if let seconds = tournament.deadline.seconds { deadline.append(("seconds", .number(seconds))) }
        return [
            ("protocol", .string(tournament.protocolKind.rawValue)),
            ("scenarios", .array(tournament.scenarios.map { .string($0.name) })),
            ("negotiators", .array(tournament.competitors.map { .string($0.name) })),
            ("deadline", .object(deadline)),
            ("repetitions", .number(Double(tournament.repetitions))),
            ("seed", .literal(String(tournament.seed))),
        ]
    }

    /// The tournament's settings and scores.
    public static func tournamentJSON(
        _ tournament: Tournament, scores: [Tournament.Score], negotiations: Int, seconds: Double, jobs: Int
    ) -> String {
        JSONValue.object(settings(of: tournament) + [
            ("negotiations", .number(Double(negotiations))),
            ("seconds", .number(seconds)),
            ("jobs", .number(Double(jobs))),
            (
                "scores",
                .array(
                    scores.map { score in
                        .object([
                            ("negotiator", .string(score.name)),
                            ("negotiations", .number(Double(score.negotiations))),
                            ("meanUtility", .finite(score.meanUtility)),
                            ("agreementRate", .finite(score.agreementRate)),
                            ("meanDistanceToFrontier", .finite(score.meanDistanceToFrontier)),
                            ("meanDistanceToNash", .finite(score.meanDistanceToNash)),
                            ("meanWelfare", .finite(score.meanWelfare)),
                            ("meanSteps", .finite(score.meanSteps)),
                        ])
                    }
                )
            ),
        ]).serialized(indent: 2) + "\n"
    }

    static func number(_ value: Double) -> String { value.isFinite ? Issue.format(value) : "" }

    /// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        var quoted = "\""
        for character in text {
            quoted.append(character)
            if character == "\"" { quoted.append("\"") }
        }
        return quoted + "\""
    }
}
