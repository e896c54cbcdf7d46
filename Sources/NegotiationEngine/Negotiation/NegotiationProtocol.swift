/// A protocol as a state machine: each ``step()`` runs one round; the result comes back once
/// the negotiation has ended. Randomness comes only from the seed, so a seed replays a run.
public protocol NegotiationMechanism: AnyObject {
    /// Runs one step; returns the result when the negotiation ended in (or before) it.
    func step() -> NegotiationResult?
    /// Ends the negotiation from outside, between steps, with `ending` (no agreement); the result
    /// it already had if it had ended.
    func stop(_ ending: NegotiationResult.Ending) -> NegotiationResult
}

extension NegotiationMechanism {
    /// Steps until the end; with `timeLimit`, ends it as ``NegotiationResult/Ending/timedOut(seconds:)``
    /// at the first step that ends past that many seconds of the wall clock (the protocol's own
    /// deadline, which negotiators see, is another thing: this is the tournament's guard against
    /// a negotiation that never ends, checked between steps).
    public func run(timeLimit: Double? = nil) -> NegotiationResult {
        let start = ContinuousClock.now
        let limit = timeLimit.map { Duration.milliseconds(Int64(($0 * 1000).rounded(.up))) }
        while true {
            if let result = step() { return result }
            if let limit, let timeLimit, ContinuousClock.now - start >= limit {
                return stop(.timedOut(seconds: timeLimit))
            }
        }
    }
}

/// The protocols the engine runs, by the names the command line uses.
public enum NegotiationProtocol: String, Sendable, Hashable, CaseIterable {
    /// Stacked alternating offers (NegMAS's SAO, GENIUS's SAOP).
    case alternatingOffers = "sao"
    /// The mediated single-text protocol.
    case singleText = "single-text"
    /// The talks' shuttle: offers go to the mediator only.
    case shuttle

    /// A ready-to-run negotiation of `negotiators` (seat k plays party k) on `scenario`.
    /// `relayProbability` is the shuttle mediator's (see ``ShuttleMediation``); with
    /// `suggestions` (``ScenarioAnalysis/suggestions`` of `scenario`) the shuttle's mediator is
    /// the informed one. Other protocols ignore both.
    public func mechanism(
        _ scenario: Scenario,
        rankings: [UtilityRanking],
        negotiators: [any Negotiator],
        deadline: Deadline,
        seed: UInt64,
        recordsTrace: Bool = true,
        relayProbability: Double = 0.5,
        suggestions: [UtilityPoint]? = nil
    ) -> any NegotiationMechanism {
        let table = NegotiationTable(
            scenario: scenario,
            rankings: rankings,
            negotiators: negotiators,
            deadline: deadline,
            seed: seed,
            recordsTrace: recordsTrace,
            negotiationProtocol: self
        )
        switch self {
        case .alternatingOffers: return AlternatingOffers(table)
        case .singleText: return SingleText(table)
        case .shuttle: return ShuttleMediation(table, relayProbability: relayProbability, suggestions: suggestions)
        }
    }
}

/// Stacked alternating offers, step for step as NegMAS's `SAOMechanism` runs it.
///
/// In each step every seat acts once, starting after the seat that acted last: with no offer on
/// the table it proposes; otherwise it accepts, leaves, or rejects and proposes. Proposing counts
/// as accepting, so an offer becomes the agreement when every other seat has accepted it in turn.
/// Every offer and answer is shown to every seat.
public final class AlternatingOffers: NegotiationMechanism {
    private let table: NegotiationTable
    private var offer: Outcome?
    private var proposer: Int?
    private var acceptances = 0
    private var lastActed = -1

    init(_ table: NegotiationTable) { self.table = table }

    public func stop(_ ending: NegotiationResult.Ending) -> NegotiationResult {
        table.finished ?? table.finish(ending, duringStep: false)
    }

    public func step() -> NegotiationResult? {
        if let finished = table.finished { return finished }
        if table.isPastDeadline { return table.finish(.deadline, duringStep: false) }
        let n = table.seatCount
        let everyone = Audience.everyone(n)
        let state = table.state
        for turn in 0..<n {
            let seat = (lastActed + 1 + turn) % n
            let negotiator = table.negotiators[seat]
            if seat == proposer { acceptances = 0 }
            if let current = offer {
                switch negotiator.respond(to: current, state) {
                case .accept:
                    table.publish(.seat(seat), .accept(current), to: everyone)
                    acceptances += 1
                    if acceptances == n {
                        table.publish(.mediator, .agreement(current), to: everyone)
                        lastActed = seat
                        return table.finish(agreement: current, .agreement, duringStep: true)
                    }
                    continue
                case .end:
                    table.publish(.seat(seat), .leave, to: everyone)
                    return table.finish(.left(seat: seat), duringStep: true)
                case .reject:
                    table.publish(.seat(seat), .reject(current), to: everyone)
                }
            }
            guard let proposal = negotiator.propose(state) else {
                table.publish(.seat(seat), .leave, to: everyone)
                return table.finish(.left(seat: seat), duringStep: true)
            }
            offer = proposal
            proposer = seat
            acceptances = 1
            table.publish(.seat(seat), .offer(proposal), to: everyone)
        }
        lastActed = (lastActed + n) % n
        table.step += 1
        return nil
    }
}
