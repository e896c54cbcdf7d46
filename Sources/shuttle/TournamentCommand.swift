import ArgumentParser
import Foundation
import NegotiationEngine
import NegotiationFormats
import Synchronization

/// `shuttle tournament`: a run (the default), or the merge of a run made in shards.
struct TournamentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tournament",
        abstract:
            "Run every assignment of negotiators to seats (for two parties: every pair, both orders) on every scenario; write CSV and JSON scores.",
        subcommands: [TournamentRun.self, TournamentMerge.self],
        defaultSubcommand: TournamentRun.self
    )
}

struct TournamentRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every assignment of negotiators to seats on every scenario (the default).",
        discussion: """
            Each SCENARIO is a GENIUS or GeniusWeb folder or a .json scenario, with two parties or \
            more. Every assignment of the negotiators to a scenario's seats runs (for two parties: \
            every ordered pair); without --self-play the seats hold different negotiators. When a \
            scenario size has more than --assignments of them, a seeded sample of that many runs, \
            and the output says so. Every seat is scored.

            With --out DIR the command writes DIR/negotiations.csv (one row per negotiation, one \
            utility column per seat), DIR/scores.csv and DIR/tournament.json (one entry per \
            negotiator), and for two parties DIR/negotiation-1.svg, the first negotiation's offers \
            over the utility space. Results do not depend on --jobs.

            With --shard I/N it runs only the I-th of N deterministic slices (every N-th negotiation, \
            each with the seed it has in the whole run) and writes DIR/negotiations.csv and \
            DIR/shard.json; `shuttle tournament merge` then writes what the whole run would have.

            With --out DIR each negotiation is written to DIR/journal.jsonl as it ends. A run \
            killed at any moment (a crash, SIGKILL, a node taken away) and started again with \
            --resume and the same arguments runs only the negotiations not in the journal, and \
            writes the files an uninterrupted run would have, byte for byte. A resume with other \
            settings or other scenarios is refused, naming what differs.
            """
    )

    @Argument(help: "GENIUS or GeniusWeb folders, or .json scenarios.", completion: .file())
    var scenarios: [String]

    @Option(help: "Comma-separated negotiator names (at least two, or one with --self-play).")
    var negotiators: String

    @OptionGroup var options: NegotiationOptions

    @Option(help: "How many times each pairing is run, each with its own seed.")
    var repetitions = 1

    @Option(help: "Worker threads (default: every core).")
    var jobs: Int?

    @Flag(help: "Also pair each negotiator with itself (several seats may hold the same negotiator).")
    var selfPlay = false

    @Option(
        help: "The most assignments of negotiators to seats per scenario size; beyond it, a seeded sample of this many."
    )
    var assignments = 10_000

    @Option(help: "Folder for negotiations.csv, scores.csv and tournament.json.", completion: .directory)
    var out: String?

    @Option(
        help: ArgumentHelp(
            "Run only slice I of N (from 1/N to N/N), for a tournament split across machines.",
            valueName: "I/N"
        )
    )
    var shard: String?

    @Flag(help: "Carry on the run whose journal is in --out, running only the negotiations it lacks.")
    var resume = false

    func validate() throws {
        if repetitions < 1 { throw ValidationError("--repetitions needs at least 1") }
        if assignments < 1 { throw ValidationError("--assignments needs at least 1") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs needs at least 1") }
        if resume, out == nil { throw ValidationError("--resume needs --out: the journal to resume is in that folder") }
        if shard != nil {
            _ = try slice()
            if out == nil { throw ValidationError("--shard needs --out: a shard's results are merged from its folder") }
        }
    }

    /// The slice `--shard` names.
    private func slice() throws -> Tournament.Shard {
        guard let shard else { return .whole }
        let parts = shard.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let number = Int(parts[0]), let count = Int(parts[1]), count >= 1,
            (1...count).contains(number)
        else {
            throw ValidationError(
                "--shard takes I/N with 1 ≤ I ≤ N (2/3 is the second of three slices), not '\(shard)'"
            )
        }
        return Tournament.Shard(number: number, count: count)
    }

    func run() throws {
        let specs = try options.negotiators(negotiators)
        defer { specs.shutdown() }
        let names = specs.names
        if names.contains("human") { throw Failure.usage("a tournament cannot seat a human") }
        let loaded = try scenarios.map { try options.scenario([$0]) }
        var tournament = Tournament(
            scenarios: loaded,
            competitors: names.map { name in Tournament.Competitor(name: name) { specs.make(name) } },
            protocolKind: options.protocolKind,
            deadline: options.deadline,
            repetitions: repetitions,
            seed: options.seed,
            selfPlay: selfPlay,
            relayProbability: options.relay,
            informedMediator: options.mediator == .nash,
            maximumAssignments: assignments
        )
        tournament.negotiationTimeout = options.negotiationTimeout
        let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let slice = try slice()
        let opened = try openJournal(tournament, slice)
        let journal = opened.journal
        let progress = TournamentProgress(total: slice.slice(of: tournament.matches).count, resumed: opened.done.count)
        let finished: @Sendable (Int, Tournament.Record) -> Void = { index, record in
            journal?.append(index, record)
            progress.finished(record)
        }
        let started = Date()
        let records: [Tournament.Record]
        do {
            records = try tournament.run(jobs: jobs, shard: slice, done: opened.done, finished: finished)
        } catch {
            throw Failure.data("\(error)")
        }
        progress.finish()
        journal?.flush()
        if let lost = journal?.lost, lost > 0 {
            printError(
                "warning: \(lost) writes to the journal failed (a full disk?); a resume would run their negotiations again"
            )
        }
        let seconds = Date().timeIntervalSince(started)
        if shard != nil, let out {
            try writeShard(tournament, records: records, seconds: seconds, jobs: jobs, to: out)
            return
        }
        let scores = tournament.scores(records)
        for line in NegotiationReport.assignmentsSummary(of: tournament) { print(line) }
        Self.printTable(scores)
        print(
            "\(records.count) negotiations in \(Issue.format((seconds * 1000).rounded() / 1000)) s on \(jobs) thread(s)"
        )
        if let out {
            try ScenarioFiles.createDirectory(out)
            let folder = URL(fileURLWithPath: out)
            try ScenarioFiles.write(
                NegotiationReport.negotiationsCSV(tournament, records),
                to: folder.appendingPathComponent("negotiations.csv").path
            )
            try ScenarioFiles.write(
                NegotiationReport.scoresCSV(scores),
                to: folder.appendingPathComponent("scores.csv").path
            )
            try ScenarioFiles.write(
                NegotiationReport.tournamentJSON(
                    tournament,
                    scores: scores,
                    negotiations: records.count,
                    seconds: seconds,
                    jobs: jobs
                ),
                to: folder.appendingPathComponent("tournament.json").path
            )
            if let first = tournament.matches.first, first.seats.count == 2,
                let replayed = try? tournament.replay(first)
            {
                let names = first.seats.map { tournament.competitors[$0].name }
                try ScenarioFiles.write(
                    offersPlot(replayed, scenario: tournament.scenarios[first.scenario], names: names),
                    to: folder.appendingPathComponent("negotiation-1.svg").path
                )
            }
            printError(
                "wrote \(out)/negotiations.csv, scores.csv, tournament.json\(tournament.matches.first?.seats.count == 2 ? ", negotiation-1.svg" : "")"
            )
        }
    }

    /// The negotiations a resumed run's journal already holds, and the journal that takes the
    /// rest as they end; nothing without --out.
    private func openJournal(
        _ tournament: Tournament,
        _ slice: Tournament.Shard
    ) throws -> (done: [Int: Tournament.Record], journal: TournamentJournalFile?) {
        guard let out else { return ([:], nil) }
        try ScenarioFiles.createDirectory(out)
        let path = URL(fileURLWithPath: out).appendingPathComponent(TournamentJournal.fileName).path
        var kept = TournamentJournal.header(tournament, shard: slice)
        var done: [Int: Tournament.Record] = [:]
        let total = slice.slice(of: tournament.matches).count
        let text = try? String(contentsOfFile: path, encoding: .utf8)
        if resume, let text {
            do {
                let read = try TournamentJournal.read(text, for: tournament, shard: slice)
                done = read.records
                if !read.kept.isEmpty { kept = read.kept }
            } catch {
                throw Failure.usage("cannot resume the run in \(out): \(error)")
            }
            printError("resuming: \(done.count) negotiations of \(total) are done")
        } else if resume {
            printError("nothing to resume in \(out): starting the run")
        } else if let text, let earlier = try? TournamentJournal.read(text, for: tournament, shard: slice),
            earlier.records.count < total
        {
            // The same tournament, killed part-way: starting over would throw its work away.
            throw Failure.usage(
                "\(out) holds this tournament's unfinished run (\(earlier.records.count) of \(total) negotiations): pass --resume to carry it on, or remove \(path) to start over"
            )
        }
        return (done, try TournamentJournalFile(path: path, kept: kept))
    }

    /// A shard's partial results: its rows, and the manifest the merge checks them against.
    private func writeShard(
        _ tournament: Tournament,
        records: [Tournament.Record],
        seconds: Double,
        jobs: Int,
        to out: String
    ) throws {
        let slice = try slice()
        try ScenarioFiles.createDirectory(out)
        let folder = URL(fileURLWithPath: out)
        try ScenarioFiles.write(
            NegotiationReport.negotiationsCSV(tournament, records),
            to: folder.appendingPathComponent("negotiations.csv").path
        )
        try ScenarioFiles.write(
            TournamentShards.manifest(
                tournament,
                shard: slice,
                negotiations: records.count,
                seconds: seconds,
                jobs: jobs
            ),
            to: folder.appendingPathComponent("shard.json").path
        )
        print(
            "shard \(slice.number) of \(slice.count): \(records.count) negotiations in \(Issue.format((seconds * 1000).rounded() / 1000)) s on \(jobs) thread(s)"
        )
        printError("wrote \(out)/negotiations.csv, shard.json; merge the shards with `shuttle tournament merge`")
    }

    static func printTable(_ scores: [Tournament.Score]) {
        func cell(_ value: Double) -> String {
            value.isFinite ? String(format: "%.4f", value) : "-"
        }
        let header = ["negotiator", "n", "utility", "agreements", "to frontier", "to Nash", "welfare", "steps"]
        let rows = scores.map { score in
            [
                score.name, String(score.negotiations), cell(score.meanUtility), cell(score.agreementRate),
                cell(score.meanDistanceToFrontier), cell(score.meanDistanceToNash), cell(score.meanWelfare),
                String(format: "%.1f", score.meanSteps),
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            print(
                row.enumerated().map { column, text in
                    column == 0
                        ? text.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: widths[column] - text.count) + text
                }.joined(separator: "  ")
            )
        }
    }
}

/// `shuttle tournament merge`: the shards' results as one whole run writes them.
struct TournamentMerge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the folders of a tournament run in shards into one negotiations.csv and scores.csv.",
        discussion: """
            Each SHARD is a folder a `shuttle tournament ... --shard I/N --out FOLDER` wrote. Every \
            shard of the tournament must be given once, in any order; the merged negotiations.csv and \
            scores.csv are byte for byte those of the whole run.
            """
    )

    @Argument(help: "The shards' folders.", completion: .directory)
    var shards: [String]

    @Option(help: "Folder for the merged negotiations.csv and scores.csv.", completion: .directory)
    var out: String

    func run() throws {
        let parts = try shards.map { folder in
            TournamentShards.Part(
                source: folder,
                manifest: try Self.read(folder, "shard.json"),
                negotiations: try Self.read(folder, "negotiations.csv")
            )
        }
        let merged: TournamentShards.Merged
        do {
            merged = try TournamentShards.merge(parts)
        } catch {
            throw Failure.data("\(error)")
        }
        try ScenarioFiles.createDirectory(out)
        let folder = URL(fileURLWithPath: out)
        try ScenarioFiles.write(merged.negotiationsCSV, to: folder.appendingPathComponent("negotiations.csv").path)
        try ScenarioFiles.write(merged.scoresCSV, to: folder.appendingPathComponent("scores.csv").path)
        print(
            "\(shards.count) shards, \(merged.negotiations) negotiations (\(Issue.format((merged.seconds * 1000).rounded() / 1000)) s of the shards' own time)"
        )
        printError("wrote \(out)/negotiations.csv, scores.csv")
    }

    private static func read(_ folder: String, _ name: String) throws -> String {
        let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure.data("\(path): cannot be read (is \(folder) a shard's folder?)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
