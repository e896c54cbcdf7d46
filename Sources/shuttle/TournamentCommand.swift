import ArgumentParser
import Foundation
import NegotiationEngine
import NegotiationFormats
import Synchronization

struct TournamentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tournament",
        abstract: "Run every pair of negotiators, in both role orders, on every scenario; write CSV and JSON scores.",
        discussion: """
            Each SCENARIO is a GENIUS folder or a .json scenario with two parties. With --out DIR the \
            command writes DIR/negotiations.csv (one row per negotiation), DIR/scores.csv and \
            DIR/tournament.json (one entry per negotiator), and DIR/negotiation-1.svg, the first \
            negotiation's offers over the utility space. Results do not depend on --jobs.
            """
    )

    @Argument(help: "GENIUS folders or .json scenarios.", completion: .file())
    var scenarios: [String]

    @Option(help: "Comma-separated negotiator names (at least two, or one with --self-play).")
    var negotiators: String

    @OptionGroup var options: NegotiationOptions

    @Option(help: "How many times each pairing is run, each with its own seed.")
    var repetitions = 1

    @Option(help: "Worker threads (default: every core).")
    var jobs: Int?

    @Flag(help: "Also pair each negotiator with itself.")
    var selfPlay = false

    @Option(help: "Folder for negotiations.csv, scores.csv and tournament.json.", completion: .directory)
    var out: String?

    func validate() throws {
        if repetitions < 1 { throw ValidationError("--repetitions needs at least 1") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs needs at least 1") }
    }

    func run() throws {
        let names = try NegotiationOptions.names(negotiators)
        if names.contains("human") { throw Failure.usage("a tournament cannot seat a human") }
        let loaded = try scenarios.map { try options.scenario([$0]) }
        let tournament = Tournament(
            scenarios: loaded,
            competitors: names.map { name in Tournament.Competitor(name: name) { NegotiatorCatalog.make(name)! } },
            protocolKind: options.protocolKind, deadline: options.deadline, repetitions: repetitions,
            seed: options.seed, selfPlay: selfPlay, relayProbability: options.relay)
        let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let bar = isatty(STDERR_FILENO) == 1 ? ProgressBar() : nil
        let started = Date()
        let records: [Tournament.Record]
        do {
            let progress: (@Sendable (Int, Int) -> Void)?
            if let bar {
                progress = { done, total in bar.update(done, of: total) }
            } else {
                progress = nil
            }
            records = try tournament.run(jobs: jobs, progress: progress)
        } catch {
            throw Failure.data("\(error)")
        }
        bar?.finish()
        let seconds = Date().timeIntervalSince(started)
        let scores = tournament.scores(records)
        printTable(scores)
        print("\(records.count) negotiations in \(Issue.format((seconds * 1000).rounded() / 1000)) s on \(jobs) thread(s)")
        if let out {
            try ScenarioFiles.createDirectory(out)
            let folder = URL(fileURLWithPath: out)
            try ScenarioFiles.write(NegotiationReport.negotiationsCSV(tournament, records), to: folder.appendingPathComponent("negotiations.csv").path)
            try ScenarioFiles.write(NegotiationReport.scoresCSV(scores), to: folder.appendingPathComponent("scores.csv").path)
            try ScenarioFiles.write(
                NegotiationReport.tournamentJSON(tournament, scores: scores, negotiations: records.count, seconds: seconds, jobs: jobs),
                to: folder.appendingPathComponent("tournament.json").path)
            if let first = tournament.matches.first, let replayed = try? tournament.replay(first) {
                let names = first.seats.map { tournament.competitors[$0].name }
                try ScenarioFiles.write(
                    offersPlot(replayed, scenario: tournament.scenarios[first.scenario], names: names),
                    to: folder.appendingPathComponent("negotiation-1.svg").path)
            }
            printError("wrote \(out)/negotiations.csv, scores.csv, tournament.json, negotiation-1.svg")
        }
    }

    private func printTable(_ scores: [Tournament.Score]) {
        func cell(_ value: Double) -> String {
            value.isFinite ? String(format: "%.4f", value) : "-"
        }
        let header = ["negotiator", "n", "utility", "agreements", "to frontier", "to Nash", "welfare", "steps"]
        let rows = scores.map { score in
            [score.name, String(score.negotiations), cell(score.meanUtility), cell(score.agreementRate),
             cell(score.meanDistanceToFrontier), cell(score.meanDistanceToNash), cell(score.meanWelfare),
             String(format: "%.1f", score.meanSteps)]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            print(row.enumerated().map { column, text in
                column == 0 ? text.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - text.count) + text
            }.joined(separator: "  "))
        }
    }
}

/// A progress bar on standard error, redrawn at most once per percent.
final class ProgressBar: Sendable {
    private let shown = Mutex(-1)

    func update(_ done: Int, of total: Int) {
        let percent = total == 0 ? 100 : done * 100 / total
        let redraw = shown.withLock { shown -> Bool in
            guard percent != shown else { return false }
            shown = percent
            return true
        }
        guard redraw else { return }
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(percent)% (\(done)/\(total))".utf8))
    }

    func finish() { FileHandle.standardError.write(Data("\n".utf8)) }
}
