import NegotiationEngine
import Testing

/// A negotiator that stops working after `calls` requests, as a failed external agent does:
/// it says why in `failure` and leaves (or votes against).
final class Failing: Negotiator {
    let name = "failing"
    private let inner = TimeBasedNegotiator.boulware()
    private var calls: Int
    private(set) var failure: String?
    private(set) var endedWith: [Outcome?] = []

    init(after calls: Int) { self.calls = calls }

    func begin(_ seat: Seat) { inner.begin(seat) }

    private func working() -> Bool {
        if calls == 0 { failure = "broke down" }
        calls -= 1
        return failure == nil
    }

    func propose(_ state: NegotiationState) -> Outcome? { working() ? inner.propose(state) : nil }
    func respond(to offer: Outcome, _ state: NegotiationState) -> Response {
        working() ? inner.respond(to: offer, state) : .end
    }
    func vote(for candidate: Outcome, over current: Outcome, _ state: NegotiationState) -> Bool {
        working() ? inner.vote(for: candidate, over: current, state) : false
    }
    func negotiationEnded(agreement: Outcome?) { endedWith.append(agreement) }
}

/// Every protocol ends a negotiation whose seat has failed with that seat and the reason, and
/// tells every seat once that the negotiation is over.
struct FailureTests {
    static let scenario = ScenarioGenerator.linearAdditive(issues: 3, options: 4, parties: 3, seed: 8)

    static func run(_ kind: NegotiationProtocol, _ seats: [any Negotiator], steps: Int = 30) throws -> NegotiationResult
    {
        kind.mechanism(
            scenario,
            rankings: try UtilityRanking.rankings(for: scenario),
            negotiators: seats,
            deadline: .steps(steps),
            seed: 2
        ).run()
    }

    @Test(arguments: NegotiationProtocol.allCases, [0, 3])
    func aFailedSeatEndsTheNegotiationWithItsReason(kind: NegotiationProtocol, after: Int) throws {
        let failing = Failing(after: after)
        let others = [TimeBasedNegotiator.boulware(), TimeBasedNegotiator.boulware()]
        let result = try Self.run(kind, [others[0], failing, others[1]])
        #expect(result.ending == .failed(seat: 1, reason: "broke down"))
        #expect(result.agreement == nil)
        #expect(failing.endedWith.count == 1 && failing.endedWith[0] == nil)
    }

    /// Without failures the ending is the usual one and each seat hears of the agreement once.
    @Test(arguments: NegotiationProtocol.allCases)
    func everySeatHearsTheEndOnce(kind: NegotiationProtocol) throws {
        let seats = [Failing(after: .max), Failing(after: .max), Failing(after: .max)]
        let result = try Self.run(kind, seats, steps: 60)
        #expect(result.ending != .failed(seat: 0, reason: "broke down"))
        for seat in seats { #expect(seat.endedWith == [result.agreement]) }
    }
}
