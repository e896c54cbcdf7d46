import Foundation
public import NegotiationEngine

/// A tournament run in shards (``Tournament/Shard``), as files: each shard's `shard.json` (the
/// tournament's settings and which slice it ran) and `negotiations.csv` (its rows); merged, the
/// rows and scores a whole run writes, byte for byte.
public enum TournamentShards {
    /// One shard's files, as text.
    public struct Part: Sendable {
        /// Where the shard was read from, for messages.
        public var source: String
        public var manifest: String
        public var negotiations: String

        public init(source: String, manifest: String, negotiations: String) {
            self.source = source
            self.manifest = manifest
            self.negotiations = negotiations
        }
    }

    /// What a merge writes: `negotiations.csv` and `scores.csv` as one whole run writes them.
    public struct Merged: Sendable {
        public var negotiationsCSV: String
        public var scoresCSV: String
        public var negotiations: Int
        /// The shards' own times added up.
        public var seconds: Double
    }

    /// The manifest of `shard` of `tournament`: its settings, the slice, and how long it took.
    public static func manifest(
        _ tournament: Tournament,
        shard: Tournament.Shard,
        negotiations: Int,
        seconds: Double,
        jobs: Int
    ) -> String {
        let settings = JSONValue.object(
            NegotiationReport.runSettings(of: tournament) + [
                // What each shard read, so that shards of files that differ under the same names
                // (or read another way) do not merge.
                (
                    "scenarioFingerprints",
                    .array(tournament.scenarios.map { .string(TournamentJournal.fingerprint($0)) })
                )
            ]
        )
        return JSONValue.object([
            ("shard", .number(Double(shard.number))),
            ("shards", .number(Double(shard.count))),
            ("tournament", settings),
            ("negotiations", .number(Double(negotiations))),
            ("seconds", .number(seconds)),
            ("jobs", .number(Double(jobs))),
        ]).serialized(indent: 2) + "\n"
    }

    /// A merge that cannot be made, and why, naming the shard.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Merges `parts`, one per shard of one tournament, in any order.
    ///
    /// - Throws: ``Failure`` when a manifest or a row cannot be read, the shards come from
    ///   different tournaments, one is missing or repeated, or a shard has the wrong number of rows.
    public static func merge(_ parts: [Part]) throws(Failure) -> Merged {
        guard !parts.isEmpty else { throw Failure(description: "no shards to merge") }
        var shards: [Int: (part: Part, rows: [Row])] = [:]
        var header: String?
        var settings: NSDictionary?
        var count = 0
        var seconds = 0.0
        for part in parts {
            let manifest = try Manifest(part)
            if let settings, !settings.isEqual(manifest.settings) {
                throw Failure(
                    description:
                        "\(part.source): a shard of another tournament (its settings or its scenarios' contents differ from the first shard's)"
                )
            }
            settings = manifest.settings
            if count != 0, manifest.count != count {
                throw Failure(
                    description:
                        "\(part.source): shard \(manifest.number) of \(manifest.count), but the first shard was one of \(count)"
                )
            }
            count = manifest.count
            guard shards[manifest.number] == nil else {
                throw Failure(description: "\(part.source): shard \(manifest.number) given twice")
            }
            let (rowsHeader, rows) = try Self.rows(part)
            if let header, header != rowsHeader {
                throw Failure(description: "\(part.source)/negotiations.csv: its columns differ from the first shard's")
            }
            header = rowsHeader
            let expected = Tournament.Shard(number: manifest.number, count: count).slice(
                of: Array(0..<manifest.matches)
            ).count
            guard rows.count == expected else {
                throw Failure(
                    description:
                        "\(part.source): shard \(manifest.number) of \(count) should hold \(expected) negotiations, not \(rows.count)"
                )
            }
            shards[manifest.number] = (part, rows)
            seconds += manifest.seconds
        }
        let missing = (1...count).filter { shards[$0] == nil }
        guard missing.isEmpty else {
            throw Failure(
                description: "shards missing: \(missing.map(String.init).joined(separator: ", ")) of \(count)"
            )
        }
        let names = (settings?["negotiators"] as? [String]) ?? []
        let total = shards.values.reduce(0) { $0 + $1.rows.count }
        guard let header, let width = NegotiationReport.seatCount(ofHeader: header) else {
            throw Failure(description: "no shards to merge")
        }
        var csv = header + "\n"
        var scored: [Tournament.Scored] = []
        scored.reserveCapacity(total)
        for position in 0..<total {
            let (shard, index) = Tournament.Shard.holder(of: position, among: count)
            let (part, rows) = shards[shard]!
            let row = rows[index]
            csv += row.text + "\n"
            scored.append(try row.scored(names: names, seats: width, source: part.source))
        }
        let scores = Tournament.scores(of: scored, names: names)
        return Merged(
            negotiationsCSV: csv,
            scoresCSV: NegotiationReport.scoresCSV(scores),
            negotiations: total,
            seconds: seconds
        )
    }

    /// What a shard's `shard.json` says.
    struct Manifest {
        var number: Int
        var count: Int
        var matches: Int
        var seconds: Double
        var settings: NSDictionary

        init(_ part: Part) throws(Failure) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(part.manifest.utf8)) as? [String: Any],
                let number = object["shard"] as? Int, let count = object["shards"] as? Int, count >= 1,
                (1...count).contains(number),
                let settings = object["tournament"] as? [String: Any], let matches = settings["matches"] as? Int,
                matches >= 0,
                settings["negotiators"] is [String]
            else {
                throw Failure(
                    description: "\(part.source): shard.json is not a shard's manifest (shard, shards, tournament)"
                )
            }
            self.number = number
            self.count = count
            self.matches = matches
            seconds = object["seconds"] as? Double ?? 0
            self.settings = settings as NSDictionary
        }
    }

    /// A row of `negotiations.csv`: its text as written, and its fields.
    struct Row {
        var text: String
        var fields: [String]
        var line: Int

        /// The negotiation this row records, in a file with columns for `seats` seats.
        func scored(names: [String], seats width: Int, source: String) throws(Failure) -> Tournament.Scored {
            func fail(_ what: String) -> Failure {
                Failure(description: "\(source)/negotiations.csv, line \(line): \(what)")
            }
            guard fields.count == 2 * width + 9 else {
                throw fail("\(2 * width + 9) fields expected, found \(fields.count)")
            }
            let named = fields[1...width].prefix { !$0.isEmpty }
            var seats: [Int] = []
            for name in named {
                guard let seat = names.firstIndex(of: name) else {
                    throw fail("a negotiator the manifest does not name")
                }
                seats.append(seat)
            }
            guard seats.count >= 2 else { throw fail("a negotiation needs two seats or more") }
            let tail = width + 1
            var utilities: [Double] = []
            for column in (tail + 5)..<(tail + 5 + seats.count) {
                guard let utility = Double(fields[column]) else { throw fail("utilities must be numbers") }
                utilities.append(utility)
            }
            guard let steps = Int(fields[tail + 3]) else { throw fail("steps must be a number") }
            // Empty distances are the ones that do not exist (no Nash point).
            let distances = fields[(tail + 5 + width + 1)...].map { $0.isEmpty ? Double.nan : Double($0) }
            guard let frontier = distances[0], let nash = distances[1] else {
                throw fail("distances must be numbers or empty")
            }
            return Tournament.Scored(
                seats: seats,
                utilities: utilities,
                agreed: fields[tail + 2] == "agreement",
                steps: steps,
                distanceToFrontier: frontier,
                distanceToNash: nash
            )
        }
    }

    /// The rows of a shard's `negotiations.csv` after its header (RFC 4180: quoted fields may
    /// hold commas, quotes and line breaks).
    static func rows(_ part: Part) throws(Failure) -> (header: String, rows: [Row]) {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var recordStart = part.negotiations.startIndex
        var line = 1
        var recordLine = 1
        var index = part.negotiations.startIndex
        let text = part.negotiations
        while index < text.endIndex {
            let character = text[index]
            if quoted {
                if character == "\"" {
                    let next = text.index(after: index)
                    if next < text.endIndex, text[next] == "\"" {
                        field.append("\"")
                        index = next
                    } else {
                        quoted = false
                    }
                } else {
                    if character == "\n" { line += 1 }
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                fields.append(field)
                field = ""
            } else if character == "\n" {
                fields.append(field)
                rows.append(Row(text: String(text[recordStart..<index]), fields: fields, line: recordLine))
                fields = []
                field = ""
                line += 1
                recordLine = line
                recordStart = text.index(after: index)
            } else {
                field.append(character)
            }
            index = text.index(after: index)
        }
        guard !quoted else {
            throw Failure(description: "\(part.source)/negotiations.csv: a quoted field is not closed")
        }
        guard recordStart == text.endIndex, fields.isEmpty, field.isEmpty else {
            throw Failure(
                description:
                    "\(part.source)/negotiations.csv, line \(recordLine): the last row has no line break (a file cut short?)"
            )
        }
        guard let header = rows.first?.text, NegotiationReport.seatCount(ofHeader: header) != nil else {
            throw Failure(
                description: "\(part.source)/negotiations.csv: not a tournament's negotiations (the header differs)"
            )
        }
        return (header, Array(rows.dropFirst()))
    }
}
