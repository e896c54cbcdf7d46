import ArgumentParser
import Foundation
import NegotiationEngine
import NegotiationFormats

/// `shuttle elicit`: the engine that learns a delegation's preferences from answers, run from
/// the command line for researchers and for checking.
struct Elicit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Learn preferences from answers to simple questions.",
        subcommands: [ElicitSimulate.self]
    )
}

struct ElicitSimulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Answer the questions truthfully from one party's preferences, and fit them.",
        discussion: """
            The party's own preferences in SCENARIO (a GENIUS or GeniusWeb folder, a domain and its \
            profiles, or a Shuttle JSON scenario) answer every question truthfully. After each \
            question the command prints Kendall's τ between the fitted and the true utility over all \
            packages (a fixed-seed sample of 20,000 beyond that), and at the end, for two parties, how \
            far the Nash point found with the fitted preferences is from the true one, in true \
            utilities. --out writes a Shuttle scenario with the same issues, options and parties, \
            the party's preferences replaced by the fitted ones (red lines and reservation kept).

            --method engine (default) asks the most informative question each time; random asks \
            questions of the same kinds at random; ranking fits a ranking of as many random packages \
            (ANAC 2019's preference-uncertainty league), for comparison.
            """
    )

    @Argument(help: "A folder, a domain and its profiles, or a .json scenario.", completion: .file())
    var scenario: [String]

    @Option(help: "The party whose preferences answer.")
    var party: String

    @Option(help: "How many questions to ask.")
    var questions: Int

    @Option(help: "The seed of every random choice.")
    var seed: UInt64 = 1

    @Option(help: "engine, random or ranking.")
    var method: String = "engine"

    @Option(help: "Where to write the scenario with the fitted preferences.", completion: .file(extensions: ["json"]))
    var out: String?

    @Flag(help: "Also print the Nash distance when every package's order is known (up to 2,000 packages).")
    var ceiling = false

    @Flag(help: "Print each question's answer and the fitted weights too.")
    var verbose = false

    @Option(help: "How to read GENIUS profiles: genius or negmas.")
    var reading: GeniusReading = .genius

    func validate() throws {
        guard questions >= 0 else { throw ValidationError("--questions cannot be negative") }
        guard ElicitationSimulation.Method(rawValue: method) != nil else {
            throw ValidationError("--method must be engine, random or ranking, not '\(method)'")
        }
    }

    func run() throws {
        let loaded = try ScenarioFiles.load(scenario, reading: reading)
        var scenario = loaded.scenario
        guard let position = scenario.parties.firstIndex(where: { $0.name == party }) else {
            let names = scenario.parties.map(\.name).joined(separator: ", ")
            throw Failure.usage("no party '\(party)' in \(scenario.name); its parties are \(names)")
        }
        guard scenario.space.isFinite else {
            throw Failure.data("\(scenario.name) has a real issue; elicitation asks about finitely many options")
        }
        guard case .linearAdditive(let truth) = scenario.parties[position].utility else {
            throw Failure.data("\(party)'s utility is not additive; elicitation fits additive utilities only")
        }
        let simulation = ElicitationSimulation(utility: truth, space: scenario.space)
        let fit = simulation.run(
            ElicitationSimulation.Method(rawValue: method)!,
            questions: questions,
            seed: seed
        ) {
            asked,
            answer,
            fit in
            print("question \(asked): tau \(String(format: "%.4f", simulation.tau(fit)))")
            if verbose {
                print("  answer \(answer.map { "\($0)" } ?? "-")")
                print("  weights \(fit.weights.map { String(format: "%.3f", $0) }.joined(separator: " "))")
            }
        }
        let original = scenario
        scenario = Self.replacing(position, in: original, with: fit, simulation)
        if scenario.parties.count == 2, let distance = Self.nashDistance(fitted: scenario, truth: original) {
            print("nash distance \(String(format: "%.4f", distance))")
        }
        if ceiling, scenario.parties.count == 2, let known = simulation.everyOrderKnown(seed: seed),
            let distance = Self.nashDistance(
                fitted: Self.replacing(position, in: original, with: known, simulation),
                truth: original
            )
        {
            print("nash distance with every order known \(String(format: "%.4f", distance))")
        }
        if let out {
            let bytes = try ShuttleScenarioFormat.write(
                scenario,
                note: "\(party)'s preferences fitted from \(questions) answers"
            )
            try ScenarioFiles.write(String(decoding: bytes, as: UTF8.self), to: out)
        }
    }

    /// `scenario` with party `position`'s utility fitted, and its reservation as the service asks
    /// for it: over packages, on the fitted scale.
    static func replacing(
        _ position: Int,
        in scenario: Scenario,
        with fit: FittedPreferences,
        _ simulation: ElicitationSimulation
    ) -> Scenario {
        var scenario = scenario
        let stated = scenario.parties[position].reservationValue
        scenario.parties[position].utility = .linearAdditive(fit.utility)
        if stated.isFinite { scenario.parties[position].reservationValue = simulation.reservation(stated, on: fit) }
        return scenario
    }

    /// How far, in the true utilities of both parties, the Nash point found with the fitted
    /// preferences is from the true Nash point; `nil` when either has none.
    static func nashDistance(fitted: Scenario, truth: Scenario) -> Double? {
        guard let trueNash = ScenarioAnalysis(truth).nash, let fittedNash = ScenarioAnalysis(fitted).nash else {
            return nil
        }
        let reached = truth.utilities(of: fittedNash.outcome)
        return zip(reached, trueNash.utilities).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    }
}
