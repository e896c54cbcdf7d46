#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What every protocol shares: the seats, the clock, the trace, and the one path by which a
/// negotiator learns anything (``publish(_:)``).
final class NegotiationTable {
    let scenario: Scenario
    let negotiators: [any Negotiator]
    let deadline: Deadline
    let recordsTrace: Bool
    private(set) var trace: [NegotiationEvent] = []
    var step = 0
    private let start = ContinuousClock.now
    /// The mediator's own random source.
    var mediatorRandom: SeededGenerator

    init(
        scenario: Scenario,
        rankings: [UtilityRanking],
        negotiators: [any Negotiator],
        deadline: Deadline,
        seed: UInt64,
        recordsTrace: Bool,
        negotiationProtocol: NegotiationProtocol
    ) {
        precondition(negotiators.count == scenario.parties.count, "one negotiator per party")
        precondition((2...64).contains(negotiators.count), "2 to 64 seats")
        precondition(rankings.count == scenario.parties.count, "one ranking per party")
        self.scenario = scenario
        self.negotiators = negotiators
        self.deadline = deadline
        self.recordsTrace = recordsTrace
        mediatorRandom = SeededGenerator(seed: Self.derive(seed, 0))
        for (index, negotiator) in negotiators.enumerated() {
            negotiator.begin(
                Seat(
                    index: index,
                    partyCount: negotiators.count,
                    space: scenario.space,
                    party: scenario.parties[index],
                    ranking: rankings[index],
                    deadline: deadline,
                    seed: Self.derive(seed, UInt64(index) + 1),
                    negotiationProtocol: negotiationProtocol
                )
            )
        }
    }

    /// Independent seeds for the mediator and each seat from one negotiation seed.
    static func derive(_ seed: UInt64, _ stream: UInt64) -> UInt64 {
        var generator = SeededGenerator(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        return generator.next()
    }

    var seatCount: Int { negotiators.count }

    /// Seconds since the start; 0 without a time limit, so step-only runs never read the clock.
    private var elapsed: Double {
        guard deadline.seconds != nil else { return 0 }
        let duration = ContinuousClock.now - start
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    var state: NegotiationState {
        NegotiationState(step: step, relativeTime: deadline.relativeTime(step: step, elapsed: elapsed))
    }

    /// Whether the deadline has passed before the current step begins.
    var isPastDeadline: Bool { deadline.isOver(completedSteps: step, elapsed: elapsed) }

    /// Whether the deadline passes once the current step is complete.
    var isLastStep: Bool { deadline.isOver(completedSteps: step + 1, elapsed: elapsed) }

    /// Records `event` and shows it to exactly the negotiators in its audience.
    func publish(_ actor: Participant, _ action: NegotiationEvent.Action, to audience: Audience) {
        var event = NegotiationEvent(step: step, actor: actor, action: action, audience: audience)
        if case .seat(let seat) = actor { event.text = negotiators[seat].takeText() }
        if recordsTrace { trace.append(event) }
        for (index, negotiator) in negotiators.enumerated() where audience.includes(.seat(index)) {
            negotiator.observe(event)
        }
    }

    /// The result once the negotiation has ended, which every later ``NegotiationMechanism/step()``
    /// returns again.
    private(set) var finished: NegotiationResult?

    /// Ends the negotiation; `duringStep` when it ended inside the current step rather than before it.
    func finish(agreement: Outcome? = nil, _ ending: NegotiationResult.Ending, duringStep: Bool) -> NegotiationResult {
        var ending = ending
        // A seat that failed is named: where it left, and where the clock ran out on it.
        if case .left(let seat) = ending, let reason = negotiators[seat].failure {
            ending = .failed(seat: seat, reason: reason)
        }
        if ending == .deadline, let failed = failedSeat() { ending = failed }
        let result = NegotiationResult(
            agreement: agreement,
            ending: ending,
            steps: step + (duringStep ? 1 : 0),
            relativeTime: state.relativeTime,
            trace: trace
        )
        finished = result
        for negotiator in negotiators { negotiator.negotiationEnded(agreement: agreement) }
        return result
    }

    /// The ending for the first seat whose negotiator has failed, if any has.
    private func failedSeat() -> NegotiationResult.Ending? {
        for (seat, negotiator) in negotiators.enumerated() {
            if let reason = negotiator.failure { return .failed(seat: seat, reason: reason) }
        }
        return nil
    }
}
