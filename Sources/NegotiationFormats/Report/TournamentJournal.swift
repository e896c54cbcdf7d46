import Foundation
public import NegotiationEngine

/// A tournament's negotiations as they finish, one JSON line each after a header naming the
/// tournament, so that a run killed at any moment resumes with only the rest.
///
/// The header holds the settings and a fingerprint of every loaded scenario; a resume with other
/// settings or other scenarios is refused, naming the difference. Numbers are written as their
/// shortest exact text (`"0.1"`, `"nan"`), so that a resumed run's files are the uninterrupted
/// run's, byte for byte. A last line cut short by the crash is dropped and its negotiation run
/// again.
public enum TournamentJournal {
    /// The file's name inside the run's folder.
    public static let fileName = "journal.jsonl"

    /// Why a journal cannot be resumed.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// The header line (with its line break) for `tournament` run as `shard`.
    public static func header(_ tournament: Tournament, shard: Tournament.Shard) -> String {
        JSONValue.object([
            ("journal", .string("shuttle tournament")),
            ("version", .number(1)),
            ("shard", .string("\(shard.number)/\(shard.count)")),
            ("settings", .object(settings(tournament).map { ($0, .string($1)) })),
            ("scenarios", .array(tournament.scenarios.map { .string(fingerprint($0)) })),
        ]).serialized() + "\n"
    }

    /// The line (with its line break) for the negotiation at `index` of the run's matches.
    /// Written by hand rather than through ``JSONValue``: it is written once per negotiation, and
    /// a fast tournament runs tens of thousands a second.
    public static func line(_ index: Int, _ record: Tournament.Record) -> String {
        let ending: String
        switch record.ending {
        case .agreement: ending = #"["agreement"]"#
        case .deadline: ending = #"["deadline"]"#
        case .left(let seat): ending = #"["left",\#(seat)]"#
        case .failed(let seat, let reason): ending = #"["failed",\#(seat),\#(JSONValue.string(reason).serialized())]"#
        case .timedOut(let seconds): ending = #"["timed-out","\#(exact(seconds))"]"#
        }
        let agreement = record.agreement.map { "[" + $0.optionIndices.map { String($0) }.joined(separator: ",") + "]" }
        let utilities = record.utilities.map { "\"\(exact($0))\"" }.joined(separator: ",")
        return
            #"{"index":\#(index),"seed":"\#(record.match.seed)","agreement":\#(agreement ?? "null"),"ending":\#(ending),"#
            + #""utilities":[\#(utilities)],"steps":\#(record.steps),"frontier":"\#(exact(record.distanceToFrontier))","#
            + #""nash":"\#(exact(record.distanceToNash))"}"# + "\n"
    }

    /// The records a journal holds, by index among `shard`'s matches of `tournament`, and the
    /// journal's text cut after its last whole line (what the run appends to).
    ///
    /// - Throws: ``Failure`` naming what differs when the journal is of another tournament, or a
    ///   whole line that does not read.
    public static func read(
        _ text: String,
        for tournament: Tournament,
        shard: Tournament.Shard
    ) throws(Failure) -> (records: [Int: Tournament.Record], kept: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // After the last line break: nothing, or a line the crash cut short.
        lines.removeLast()
        guard let first = lines.first else { return ([:], "") }
        try check(object(first, line: 1), against: tournament, shard: shard)
        let matches = shard.slice(of: tournament.matches)
        var records: [Int: Tournament.Record] = [:]
        for (offset, line) in lines.enumerated().dropFirst() {
            let (index, record) = try self.record(object(line, line: offset + 1), matches, line: offset + 1)
            records[index] = record
        }
        return (records, lines.map { $0 + "\n" }.joined())
    }

    // MARK: Reading

    private static func object(_ line: String, line number: Int) throws(Failure) -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw Failure(description: "line \(number) of \(fileName) is not a JSON object")
        }
        return object
    }

    private static func check(
        _ header: [String: Any],
        against tournament: Tournament,
        shard: Tournament.Shard
    ) throws(Failure) {
        guard header["journal"] as? String == "shuttle tournament", header["version"] as? Int == 1 else {
            throw Failure(description: "\(fileName) is not a journal of `shuttle tournament` (version 1)")
        }
        let shardText = "\(shard.number)/\(shard.count)"
        if let was = header["shard"] as? String, was != shardText {
            throw Failure(description: "the run was shard \(was); this is shard \(shardText)")
        }
        let was = header["settings"] as? [String: String] ?? [:]
        let now = Dictionary(settings(tournament), uniquingKeysWith: { first, _ in first })
        for key in Set(was.keys).union(now.keys).sorted() where was[key] != now[key] {
            let before = was[key] ?? "not set"
            throw Failure(description: "\(key) was \(before) in the run; it is \(now[key] ?? "not set") now")
        }
        let scenarios = header["scenarios"] as? [String] ?? []
        for (position, scenario) in tournament.scenarios.enumerated()
        where position >= scenarios.count || scenarios[position] != fingerprint(scenario) {
            throw Failure(
                description:
                    "scenario \(position + 1), '\(scenario.name)', is not the one the run read: its issues, options or preferences differ (or the files were read another way)"
            )
        }
    }

    private static func record(
        _ object: [String: Any],
        _ matches: [Tournament.Match],
        line: Int
    ) throws(Failure) -> (Int, Tournament.Record) {
        func number(_ key: String) -> Double? { (object[key] as? String).flatMap(Double.init) }
        guard let index = object["index"] as? Int, matches.indices.contains(index),
            object["seed"] as? String == String(matches[index].seed),
            let ending = object["ending"] as? [Any], let kind = ending.first as? String,
            let utilities = (object["utilities"] as? [String])?.compactMap(Double.init),
            let steps = object["steps"] as? Int, let frontier = number("frontier"), let nash = number("nash")
        else {
            throw Failure(description: "line \(line) of \(fileName) is not a negotiation of this run")
        }
        let seat = ending.count > 1 ? ending[1] as? Int : nil
        let parsed: NegotiationResult.Ending
        switch (kind, seat) {
        case ("agreement", _): parsed = .agreement
        case ("deadline", _): parsed = .deadline
        case ("timed-out", _) where (ending.last as? String).flatMap(Double.init) != nil:
            parsed = .timedOut(seconds: Double(ending.last as! String)!)
        case ("left", let seat?): parsed = .left(seat: seat)
        case ("failed", let seat?):
            parsed = .failed(seat: seat, reason: ending.count > 2 ? ending[2] as? String ?? "" : "")
        default: throw Failure(description: "line \(line) of \(fileName) has an ending that does not read")
        }
        let agreement = (object["agreement"] as? [Int]).map { Outcome($0) }
        let record = Tournament.Record(
            match: matches[index],
            agreement: agreement,
            ending: parsed,
            utilities: utilities,
            steps: steps,
            distanceToFrontier: frontier,
            distanceToNash: nash
        )
        return (index, record)
    }

    // MARK: Fingerprints

    /// The settings that decide a run's negotiations, each as text.
    static func settings(_ tournament: Tournament) -> [(String, String)] {
        NegotiationReport.runSettings(of: tournament).map { ($0, $1.serialized()) }
    }

    /// A digest (FNV-1a, 64 bits; for telling scenarios apart, not for security) of what a
    /// scenario holds: its issues and options, and each party's name, reservation, discount, red
    /// lines and utility at up to 4,096 outcomes spread over the space (or its whole description
    /// where the space is not finite).
    static func fingerprint(_ scenario: Scenario) -> String {
        var text = scenario.name + "\n"
        let space = scenario.space
        for issue in space.issues {
            let labels = issue.optionCount.map { count in (0..<count).map { issue.label(ofOption: $0) } }
            text += "\(issue.name): \(labels.map { $0.joined(separator: "|") } ?? String(reflecting: issue))\n"
        }
        let outcomes = sampledOutcomes(space)
        for party in scenario.parties {
            text += "\(party.name) \(exact(party.reservationValue)) \(String(reflecting: party.discount))\n"
            for (issue, options) in party.forbiddenOptions.sorted(by: { $0.key < $1.key }) {
                text += "never \(issue): \(options.sorted())\n"
            }
            if let outcomes {
                text += outcomes.map { exact(party.utility.utility(of: $0, in: space)) }.joined(separator: " ") + "\n"
            } else {
                text += String(reflecting: party.utility) + "\n"
            }
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }

    /// Up to 4,096 outcomes spread evenly over a finite space, or `nil` when it is not finite.
    private static func sampledOutcomes(_ space: OutcomeSpace) -> [Outcome]? {
        let counts = space.issues.map(\.optionCount)
        guard counts.allSatisfy({ $0 != nil }) else { return nil }
        let radices = counts.map { max(1, $0!) }
        let total = radices.reduce(1.0) { $0 * Double($1) }
        let taken = Int(min(total, 4096))
        return (0..<taken).map { k in
            var position = (Double(k) * total / Double(taken)).rounded(.down)
            return Outcome(
                radices.map { radix in
                    let option = Int(position.truncatingRemainder(dividingBy: Double(radix)))
                    position = (position / Double(radix)).rounded(.down)
                    return option
                }
            )
        }
    }

    /// A number's shortest text that reads back as the same number (`nan` and `inf` included).
    static func exact(_ value: Double) -> String { "\(value)" }
}
