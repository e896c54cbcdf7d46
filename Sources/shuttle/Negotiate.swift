public import ArgumentParser
import Foundation
import NegotiationEngine
import NegotiationFormats

extension NegotiationProtocol: ExpressibleByArgument {}

/// The shuttle protocol's mediator, as `--mediator` names it.
enum MediatorPolicy: String, ExpressibleByArgument {
    case relay, nash
}

/// Options shared by `negotiate` and `tournament`.
struct NegotiationOptions: ParsableArguments {
    @Option(name: .customLong("protocol"), help: "sao, single-text or shuttle.")
    var protocolKind: NegotiationProtocol = .alternatingOffers

    @Option(help: "The deadline in steps (rounds: every seat acts once per step).")
    var steps: Int?

    @Option(
        help:
            "The deadline in seconds (with --steps, whichever comes first). Runs with a time limit do not replay exactly."
    )
    var seconds: Double?

    @Option(help: "The seed for every random choice.")
    var seed: UInt64 = 0

    @Option(
        help:
            "Shuttle protocol: the mediator's chance, 0 to 1, of relaying an offer as it is rather than showing a package of its own."
    )
    var relay: Double = 0.5

    @Option(
        help:
            "Shuttle protocol: the mediator's policy, relay (offers and its own mixes of them) or nash (it holds every seat's preferences in confidence and moves each seat towards the Nash point)."
    )
    var mediator: MediatorPolicy = .relay

    @Option(help: "How to read GENIUS profiles: genius or negmas.")
    var reading: GeniusReading = .genius

    @Option(help: "Read each real issue as this many evenly spaced values.")
    var discretize: Int?

    func validate() throws {
        if let steps, steps < 1 { throw ValidationError("--steps needs at least 1") }
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds needs a positive number") }
        if let discretize, discretize < 2 { throw ValidationError("--discretize needs at least 2 values") }
        if !(0...1).contains(relay) { throw ValidationError("--relay needs a probability between 0 and 1") }
        if !(agentTimeout > 0) { throw ValidationError("--agent-timeout needs a positive number of seconds") }
        if let negotiationTimeout, !(negotiationTimeout > 0) {
            throw ValidationError("--negotiation-timeout needs a positive number of seconds")
        }
        if mediator == .nash, protocolKind != .shuttle {
            throw ValidationError("--mediator nash needs --protocol shuttle")
        }
    }

    var deadline: Deadline {
        steps == nil && seconds == nil ? .steps(100) : Deadline(steps: steps, seconds: seconds)
    }

    /// The scenario, with real issues discretised as asked.
    func scenario(_ paths: [String]) throws -> Scenario {
        let scenario = try ScenarioFiles.load(paths, reading: reading).scenario
        guard let real = scenario.space.issues.first(where: { !$0.isFinite }) else { return scenario }
        guard let discretize else {
            throw Failure.data(
                "issue '\(real.name)' is continuous; pass --discretize N to negotiate over N evenly spaced values"
            )
        }
        return scenario.discretized(steps: discretize)
    }

    @Option(help: "Seconds an external agent (agent:COMMAND) may take over each answer before its seat fails.")
    var agentTimeout: Double = 10

    @Option(
        help:
            "Seconds of wall clock after which a negotiation that has not ended is stopped and recorded as failed (checked between steps)."
    )
    var negotiationTimeout: Double?

    /// The negotiators `list` names, with this command's agent time limit.
    func negotiators(_ list: String) throws -> NegotiatorSpecs {
        try NegotiatorSpecs(list, agentTimeout: agentTimeout)
    }
}

struct Negotiate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one negotiation between automated negotiators (or you, as 'human') and show its trace.",
        discussion: """
            Negotiators: \(NegotiatorCatalog.names.joined(separator: ", ")), a number (a time-based \
            negotiator with that exponent), human (you answer at the terminal), or agent:COMMAND \
            (an external agent in any language speaking docs/agent-protocol.md over its standard \
            input and output, e.g. "agent:python3 python/shuttle_agents/reference.py"). Seat k plays \
            the scenario's party k; in alternating offers seat 0 opens.
            """
    )

    @Argument(help: "A folder, a domain and its profiles, or a .json scenario.", completion: .file())
    var scenario: [String]

    @Option(help: "Comma-separated, one per party, e.g. boulware,conceder.")
    var negotiators: String

    @OptionGroup var options: NegotiationOptions

    @Option(
        help: "Draw the offers over the two-party utility space to this SVG file.",
        completion: .file(extensions: ["svg"])
    )
    var plot: String?

    @Flag(help: "Print the result and every event as JSON.")
    var json = false

    func run() throws {
        let scenario = try options.scenario(self.scenario)
        let specs = try options.negotiators(negotiators)
        defer { specs.shutdown() }
        let names = specs.names
        guard (2...64).contains(scenario.parties.count) else {
            throw Failure.data("a negotiation needs 2 to 64 parties; this scenario has \(scenario.parties.count)")
        }
        guard names.count == scenario.parties.count else {
            throw Failure.usage(
                "the scenario has \(scenario.parties.count) parties; --negotiators names \(names.count)"
            )
        }
        if plot != nil, scenario.parties.count != 2 {
            throw Failure.usage("--plot draws two parties; this scenario has \(scenario.parties.count)")
        }
        if names.contains("human"), json { throw Failure.usage("--json cannot be combined with a human seat") }
        let rankings: [UtilityRanking]
        do { rankings = try UtilityRanking.rankings(for: scenario) } catch { throw Failure.data("\(error)") }
        let seats: [any Negotiator] = names.map { name in
            name == "human" ? HumanSeat(interface: TerminalHuman(space: scenario.space)) : specs.make(name)
        }
        let result = options.protocolKind.mechanism(
            scenario,
            rankings: rankings,
            negotiators: seats,
            deadline: options.deadline,
            seed: options.seed,
            relayProbability: options.relay,
            suggestions: options.mediator == .nash ? ScenarioAnalysis(scenario).suggestions : nil
        ).run(timeLimit: options.negotiationTimeout)
        if json {
            print(
                NegotiationReport.json(
                    result,
                    scenario: scenario,
                    names: names,
                    protocolName: options.protocolKind.rawValue
                ),
                terminator: ""
            )
        } else {
            printSummary(result, scenario: scenario, names: names)
        }
        if let plot {
            try ScenarioFiles.write(offersPlot(result, scenario: scenario, names: names), to: plot)
            printError("wrote \(plot)")
        }
    }

    private func printSummary(_ result: NegotiationResult, scenario: Scenario, names: [String]) {
        let parties = scenario.parties.map(\.name)
        print("\(scenario.name): \(options.protocolKind.rawValue), \(names.joined(separator: " vs "))")
        for event in result.trace {
            let who: String
            switch event.actor {
            case .mediator: who = "mediator"
            case .seat(let seat): who = "\(names[seat]) (\(parties[seat]))"
            }
            var line = "  step \(event.step)  \(who): " + NegotiationReport.action(event.action, names: names)
            if let outcome = event.outcome, !isAnswer(event.action) {
                line += "  " + scenario.space.labels(of: outcome).joined(separator: ", ")
                line +=
                    "  u = "
                    + scenario.utilities(of: outcome).map { Issue.format(($0 * 1e4).rounded() / 1e4) }.joined(
                        separator: " / "
                    )
            }
            print(line)
        }
        let ending = NegotiationReport.ending(result.ending, names: names)
        if let agreement = result.agreement {
            print(
                "agreement after \(result.steps) step(s): "
                    + scenario.space.labels(of: agreement).joined(separator: ", ")
            )
            for (index, utility) in scenario.utilities(of: agreement).enumerated() {
                print("  \(parties[index]) (\(names[index])): \(Issue.format(utility))")
            }
        } else {
            print("no agreement (\(ending)) after \(result.steps) step(s)")
        }
    }

    private func isAnswer(_ action: NegotiationEvent.Action) -> Bool {
        switch action {
        case .accept, .reject, .vote: true
        default: false
        }
    }
}

/// One two-party negotiation's offers drawn over the utility space.
func offersPlot(_ result: NegotiationResult, scenario: Scenario, names: [String]) -> String {
    let analysis = ScenarioAnalysis(scenario)
    var paths: [[(Double, Double)]] = [[], []]
    for event in result.trace {
        guard case .seat(let seat) = event.actor, case .offer(let offer) = event.action else { continue }
        let utilities = scenario.utilities(of: offer)
        paths[seat].append((utilities[0], utilities[1]))
    }
    let agreement = result.agreement.map { scenario.utilities(of: $0) }.map { ($0[0], $0[1]) }
    return UtilityPlot.svg(
        scenario,
        analysis: analysis,
        offers: UtilityPlot.Offers(paths: paths, names: names, agreement: agreement)
    )
}

/// A person at the terminal: sees their own utility of each offer, answers accept, reject or
/// leave, and writes counter-offers as option labels separated by commas.
final class TerminalHuman: HumanInterface {
    private let space: OutcomeSpace
    private var seat: Seat?

    init(space: OutcomeSpace) { self.space = space }

    func begin(_ seat: Seat) {
        self.seat = seat
        printError("You are seat \(seat.index) (\(seat.party.name)). Issues and options:")
        for issue in space.issues {
            printError(
                "  \(issue.name): "
                    + (0..<(issue.optionCount ?? 0)).map { issue.label(ofOption: $0) }.joined(separator: " | ")
            )
        }
    }

    func propose(_ state: NegotiationState) -> Outcome? {
        while true {
            printError("step \(state.step): your offer (labels separated by commas, or 'leave'):")
            guard let line = readLine()?.trimmingCharacters(in: .whitespaces), line != "leave" else { return nil }
            let labels = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if let outcome = space.outcome(labels: labels) { return outcome }
            printError("  need one option per issue, in order (\(space.issues.map(\.name).joined(separator: ", ")))")
        }
    }

    func respond(to offer: Outcome, _ state: NegotiationState) -> Response {
        let utility = seat.map { Issue.format($0.utility(of: offer)) } ?? "?"
        printError(
            "step \(state.step): on the table: \(space.labels(of: offer).joined(separator: ", "))  (your utility \(utility))"
        )
        while true {
            printError("  accept, reject or leave?")
            switch readLine()?.trimmingCharacters(in: .whitespaces).lowercased() {
            case "accept", "a": return .accept
            case "reject", "r": return .reject
            case "leave", nil: return .end
            default: continue
            }
        }
    }

    func show(_ event: NegotiationEvent) {}
}
