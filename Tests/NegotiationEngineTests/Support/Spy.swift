import NegotiationEngine

/// Wraps a negotiator and writes down everything the protocol gave it: each event shown, each
/// offer it was asked to answer or vote on, and its answers.
final class Spy: Negotiator {
    let inner: any Negotiator
    var seat: Seat?
    var observed: [NegotiationEvent] = []
    var askedAbout: [Outcome] = []
    var answers: [(Outcome, Response)] = []

    init(_ inner: any Negotiator) { self.inner = inner }

    var name: String { inner.name }

    func begin(_ seat: Seat) {
        self.seat = seat
        inner.begin(seat)
    }

    func propose(_ state: NegotiationState) -> Outcome? { inner.propose(state) }

    func respond(to offer: Outcome, _ state: NegotiationState) -> Response {
        askedAbout.append(offer)
        let answer = inner.respond(to: offer, state)
        answers.append((offer, answer))
        return answer
    }

    func vote(for candidate: Outcome, over current: Outcome, _ state: NegotiationState) -> Bool {
        askedAbout.append(candidate)
        return inner.vote(for: candidate, over: current, state)
    }

    func observe(_ event: NegotiationEvent) {
        observed.append(event)
        inner.observe(event)
    }
}

/// Scenarios, rankings and negotiator line-ups for protocol tests.
enum Negotiations {
    static func scenario(seed: UInt64) -> Scenario {
        var generator = SeededGenerator(seed: seed)
        return ScenarioGenerator.linearAdditive(
            issues: Int.random(in: 1...4, using: &generator),
            options: Int.random(in: 2...6, using: &generator),
            parties: Int.random(in: 2...3, using: &generator),
            seed: seed,
            reservationValue: Double.random(in: 0...0.4, using: &generator)
        )
    }

    static func lineup(seed: UInt64, count: Int) -> [any Negotiator] {
        var generator = SeededGenerator(seed: seed &+ 99)
        return (0..<count).map { _ in NegotiatorCatalog.make(NegotiatorCatalog.names.randomElement(using: &generator)!)!
        }
    }

    static func run(
        _ kind: NegotiationProtocol,
        _ scenario: Scenario,
        _ negotiators: [any Negotiator],
        steps: Int = 30,
        seed: UInt64 = 7
    ) throws -> NegotiationResult {
        let rankings = try UtilityRanking.rankings(for: scenario)
        return kind.mechanism(
            scenario,
            rankings: rankings,
            negotiators: negotiators,
            deadline: .steps(steps),
            seed: seed
        )
        .run()
    }
}
