public import ArgumentParser
import NegotiationEngine
import NegotiationFormats

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Analyse a scenario exactly: outcome count, Pareto frontier, Nash, Kalai–Smorodinsky, welfare, egalitarian, zone of agreement.",
        discussion: """
            SCENARIO is a GENIUS or GeniusWeb folder (its domain and every profile, sorted by file \
            name; in a GeniusWeb folder, the domain and profiles are recognised by content and other \
            JSON files are skipped with a warning), a domain file followed by profile files in either \
            format, a GeniusWeb profile alone (it holds its domain), or a Shuttle JSON scenario.

            --reading genius (default) gives the files GENIUS's meaning; --reading negmas reproduces \
            NegMAS 0.16 (raw evaluations, no shift or clamp, per-round discount, rational frontier).
            """
    )

    @Argument(help: "A folder, a domain and its profiles, or a .json scenario.", completion: .file())
    var scenario: [String]

    @Option(help: "How to read GENIUS profiles: genius or negmas.")
    var reading: GeniusReading = .genius

    @Flag(help: "Print the analysis as JSON.")
    var json = false

    @Option(help: "Draw the two-party utility space to this SVG file.", completion: .file(extensions: ["svg"]))
    var plot: String?

    @Option(help: "Analyse each real issue at this many evenly spaced values.")
    var discretize: Int?

    @Flag(
        help:
            "Find the frontier by enumerating every outcome (slow; the reference the fast methods are tested against)."
    )
    var enumerate = false

    @Option(help: "Frontier rows in the summary.")
    var rows = 10

    func validate() throws {
        if let discretize, discretize < 2 { throw ValidationError("--discretize needs at least 2 values") }
        if rows < 0 { throw ValidationError("--rows cannot be negative") }
    }

    func run() throws {
        let loaded = try ScenarioFiles.load(scenario, reading: reading)
        var scenario = loaded.scenario
        if let real = scenario.space.issues.first(where: { !$0.isFinite }) {
            guard let discretize else {
                throw Failure.data(
                    "issue '\(real.name)' is continuous; pass --discretize N to analyse it at N evenly spaced values"
                )
            }
            scenario = scenario.discretized(steps: discretize)
        }
        if plot != nil, scenario.parties.count != 2 {
            throw Failure.usage("--plot draws two parties; this scenario has \(scenario.parties.count)")
        }
        var options = ScenarioAnalysis.Options()
        if reading == .negmas {
            options.disagreement = .negmas
            options.rationalFrontierOnly = true
        }
        if enumerate { options.frontierMethod = .enumeration }
        let analysis = ScenarioAnalysis(scenario, options: options)
        let report = AnalysisReport(
            scenario: scenario,
            analysis: analysis,
            reading: reading.rawValue,
            warnings: loaded.warnings
        )
        if json {
            for warning in loaded.warnings { printError("\(warning)") }
            print(report.json(), terminator: "")
        } else {
            print(report.summary(frontierRows: rows), terminator: "")
        }
        if let plot {
            try ScenarioFiles.write(UtilityPlot.svg(scenario, analysis: analysis), to: plot)
            if !json { print("Plot written to \(plot)") }
        }
    }
}

extension GeniusReading: ExpressibleByArgument {}
