public import NegotiationEngine

/// Negotiations and tournaments as files: a trace as JSON, a tournament as CSV (one row per
/// negotiation, one per competitor) and JSON.
public enum NegotiationReport {
    /// One negotiation: the result and every event, outcomes by their option labels.
    public static func json(
        _ result: NegotiationResult,
        scenario: Scenario,
        names: [String],
        protocolName: String
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
            if let text = event.text { members.append(("text", .string(text))) }
            let seen = (0..<names.count).filter { event.audience.includes(.seat($0)) }.map {
                JSONValue.string(names[$0])
            }
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
        case .failed(let seat, let reason): "\(names[seat]) failed: \(reason)"
        case .timedOut(let seconds): "failed: ran past the negotiation time limit (\(Issue.format(seconds)) s)"
        }
    }

    /// The first line of `negotiations.csv` for negotiations of up to `seats` seats. Two seats
    /// keep the columns two-party tournaments always had (`first`, `utility_first`, …); more
    /// get `seat_1` … `seat_N` and `utility_1` … `utility_N`.
    static func negotiationsHeader(seats: Int) -> String {
        let names = seats == 2 ? ["first", "second"] : (1...seats).map { "seat_\($0)" }
        let utilities = seats == 2 ? ["utility_first", "utility_second"] : (1...seats).map { "utility_\($0)" }
        return
            (["scenario"] + names + ["repetition", "seed", "ending", "steps", "agreement"] + utilities
            + ["welfare", "distance_to_frontier", "distance_to_nash"]).joined(separator: ",")
    }

    /// How many seats a `negotiations.csv` header has columns for, `nil` when it is not one.
    static func seatCount(ofHeader header: String) -> Int? {
        let columns = header.split(separator: ",", omittingEmptySubsequences: false).count
        guard columns >= 13, (columns - 9) % 2 == 0 else { return nil }
        let seats = (columns - 9) / 2
        return negotiationsHeader(seats: seats) == header ? seats : nil
    }

    /// The most seats any of the tournament's scenarios has (2 for a two-party tournament).
    static func seatCount(of tournament: Tournament) -> Int {
        tournament.scenarios.map(\.parties.count).max() ?? 2
    }

    /// One row per negotiation; a scenario with fewer seats than the widest leaves the rest empty.
    public static func negotiationsCSV(_ tournament: Tournament, _ records: [Tournament.Record]) -> String {
        let width = seatCount(of: tournament)
        var csv = negotiationsHeader(seats: width) + "\n"
        for record in records {
            let scenario = tournament.scenarios[record.match.scenario]
            let names = record.match.seats.map { tournament.competitors[$0].name }
            let padding = [String](repeating: "", count: width - names.count)
            let agreement = record.agreement.map { scenario.space.labels(of: $0).joined(separator: ";") } ?? ""
            let fields =
                [scenario.name] + names + padding + [
                    String(record.match.repetition), String(record.match.seed),
                    ending(record.ending, names: names), String(record.steps), agreement,
                ] + record.utilities.map(number) + padding + [
                    number(record.welfare), number(record.distanceToFrontier), number(record.distanceToNash),
                ]
            csv += fields.map(field).joined(separator: ",") + "\n"
        }
        return csv
    }

    /// One row per competitor.
    public static func scoresCSV(_ scores: [Tournament.Score]) -> String {
        var csv =
            "negotiator,negotiations,mean_utility,agreement_rate,mean_distance_to_frontier,mean_distance_to_nash,mean_welfare,mean_steps\n"
        for score in scores {
            csv +=
                [
                    field(score.name), String(score.negotiations), number(score.meanUtility),
                    number(score.agreementRate),
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
        ] + (tournament.informedMediator ? [("mediator", .string("nash"))] : []) + assignments(of: tournament)
    }

    /// Everything that decides a tournament's negotiations: ``settings(of:)`` and the rest of
    /// the run's settings. A shard's manifest and a run's journal both check against it, so that
    /// neither merges nor resumes runs that differ in any of them.
    static func runSettings(of tournament: Tournament) -> [(String, JSONValue)] {
        settings(of: tournament) + [
            ("selfPlay", .bool(tournament.selfPlay)),
            ("relayProbability", .number(tournament.relayProbability)),
            ("maximumAssignments", .number(Double(tournament.maximumAssignments))),
            ("matches", .number(Double(tournament.matches.count))),
        ] + (tournament.negotiationTimeout.map { [("negotiationTimeout", .number($0))] } ?? [])
    }

    /// Which line-ups ran, where any are worth stating (``Tournament/Assignments/isStated``):
    /// per scenario size, how many assignments there are and how many ran.
    static func assignments(of tournament: Tournament) -> [(String, JSONValue)] {
        let sizes = tournament.assignmentsBySize
        guard sizes.contains(where: \.isStated) else { return [] }
        return [
            (
                "assignments",
                .array(
                    sizes.map { size in
                        .object([
                            ("seats", .number(Double(size.seatCount))),
                            ("total", size.total.map { .literal(String($0)) } ?? .string("more than \(Int.max)")),
                            ("run", .number(Double(size.seats.count))),
                            ("sampled", .bool(size.isSample)),
                        ])
                    }
                )
            )
        ]
    }

    /// The same, in words: `9 seats: a sample of 2000 of the 1953125 assignments of negotiators to
    /// seats (seed 0)`, or `3 seats: all 60 assignments …`.
    public static func assignmentsSummary(of tournament: Tournament) -> [String] {
        tournament.assignmentsBySize.filter(\.isStated).map { size in
            let total = size.total.map(String.init) ?? "more than \(Int.max)"
            return size.isSample
                ? "\(size.seatCount) seats: a sample of \(size.seats.count) of the \(total) assignments of negotiators to seats (seed \(tournament.seed))"
                : "\(size.seatCount) seats: all \(total) assignments of negotiators to seats"
        }
    }

    /// The tournament's settings and scores.
    public static func tournamentJSON(
        _ tournament: Tournament,
        scores: [Tournament.Score],
        negotiations: Int,
        seconds: Double,
        jobs: Int
    ) -> String {
        JSONValue.object(
            settings(of: tournament) + [
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
            ]
        ).serialized(indent: 2) + "\n"
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
