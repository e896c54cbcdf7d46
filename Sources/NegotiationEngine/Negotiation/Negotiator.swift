/// When a negotiation ends: after a number of steps, after a time, or at whichever comes first.
///
/// Relative time follows NegMAS, so that time-based strategies concede at the same pace in both:
/// during step s of n it is (s + 1) / (n + 1); with a time limit it is the elapsed fraction; with
/// both it is the larger. A step is one round: every seat acts once.
public struct Deadline: Sendable, Hashable {
    public var steps: Int?
    public var seconds: Double?

    public init(steps: Int? = nil, seconds: Double? = nil) {
        precondition(steps != nil || seconds != nil, "a deadline needs steps, seconds or both")
        self.steps = steps
        self.seconds = seconds
    }

    public static func steps(_ steps: Int) -> Deadline { Deadline(steps: steps) }

    /// Relative time in [0, 1] during `step` after `elapsed` seconds.
    public func relativeTime(step: Int, elapsed: Double) -> Double {
        var time = 0.0
        if let steps { time = Double(step + 1) / Double(steps + 1) }
        if let seconds, seconds > 0 { time = max(time, elapsed / seconds) }
        return min(1, time)
    }

    /// Whether a negotiation that has completed `step` steps after `elapsed` seconds is over.
    public func isOver(completedSteps step: Int, elapsed: Double) -> Bool {
        if let steps, step >= steps { return true }
        if let seconds, elapsed >= seconds { return true }
        return false
    }
}

/// The moment a negotiator is asked to act.
public struct NegotiationState: Sendable, Hashable {
    /// The current step, from 0.
    public var step: Int
    /// Relative time in [0, 1] (see ``Deadline``).
    public var relativeTime: Double

    public init(step: Int, relativeTime: Double) {
        self.step = step
        self.relativeTime = relativeTime
    }
}

/// What a protocol tells one seat when the negotiation begins. It holds the seat's own
/// preferences, and nobody else's: the protocol gives each negotiator only its own seat.
public final class Seat: Sendable {
    /// This seat's position (0 moves first in alternating offers).
    public let index: Int
    public let partyCount: Int
    public let space: OutcomeSpace
    /// The seat's own preferences and red lines.
    public let party: Party
    /// The seat's outcomes sorted by its utility, shared across negotiations.
    public let ranking: UtilityRanking
    public let deadline: Deadline
    /// A seed for the negotiator's own random choices, derived from the negotiation's.
    public let seed: UInt64
    /// The protocol this seat sits in: its rules are public, so every seat may know them (an
    /// external agent needs them to tell what its requests mean).
    public let negotiationProtocol: NegotiationProtocol

    public init(
        index: Int,
        partyCount: Int,
        space: OutcomeSpace,
        party: Party,
        ranking: UtilityRanking,
        deadline: Deadline,
        seed: UInt64,
        negotiationProtocol: NegotiationProtocol = .alternatingOffers
    ) {
        self.index = index
        self.partyCount = partyCount
        self.space = space
        self.party = party
        self.ranking = ranking
        self.deadline = deadline
        self.seed = seed
        self.negotiationProtocol = negotiationProtocol
    }

    /// The seat's utility of `outcome`, ignoring discount.
    public func utility(of outcome: Outcome) -> Double { ranking.utility(of: outcome) }

    /// Whether the seat may agree to `outcome` at all: inside its red lines and at least its
    /// reservation value.
    public func canAccept(_ outcome: Outcome) -> Bool {
        party.allows(outcome) && utility(of: outcome) >= party.reservationValue
    }

    /// A hill-climbing vote: for a candidate inside the red lines that is no worse than the
    /// current text, or that reaches `threshold`.
    func votesFor(_ candidate: Outcome, over current: Outcome, threshold: Double) -> Bool {
        guard party.allows(candidate) || !party.allows(current) else { return false }
        let utility = utility(of: candidate)
        return utility >= threshold || utility >= self.utility(of: current)
    }
}

/// An answer to an offer.
public enum Response: Sendable, Hashable {
    case accept
    case reject
    /// Leave the table; the negotiation ends without agreement.
    case end
}

/// An automated (or human) participant. Write your own by conforming a class to it.
///
/// A protocol calls ``begin(_:)`` once, then ``propose(_:)``, ``respond(to:_:)`` and, in the
/// single-text protocol, ``vote(for:over:_:)`` as its rules say; ``observe(_:)`` receives every
/// event the protocol shows this seat and nothing else. Negotiators run on one thread at a time
/// and are never shared between negotiations, so they need not be `Sendable`.
public protocol Negotiator: AnyObject {
    /// A short name for tables and traces.
    var name: String { get }
    func begin(_ seat: Seat)
    /// The offer to make now; `nil` leaves the table.
    func propose(_ state: NegotiationState) -> Outcome?
    /// The answer to an offer the protocol has put to this seat.
    func respond(to offer: Outcome, _ state: NegotiationState) -> Response
    /// Single-text protocol: whether `candidate` should replace the text on the table.
    func vote(for candidate: Outcome, over current: Outcome, _ state: NegotiationState) -> Bool
    /// An event the protocol showed this seat (its own moves included).
    func observe(_ event: NegotiationEvent)
    /// The negotiation is over, with `agreement` or without one (the one thing every seat is told).
    func negotiationEnded(agreement: Outcome?)
    /// Words to go with the move just made, taken once: the protocol puts them on that move's
    /// event, so they reach exactly its audience.
    func takeText() -> String?
    /// Why this negotiator can no longer take part, once it cannot. A protocol that gets `nil`
    /// for an offer or `.end` for an answer from a failed negotiator ends the negotiation with
    /// ``NegotiationResult/Ending/failed(seat:reason:)`` rather than as a seat leaving.
    var failure: String? { get }
}

extension Negotiator {
    public func observe(_ event: NegotiationEvent) {}

    public func negotiationEnded(agreement: Outcome?) {}

    public var failure: String? { nil }

    public func takeText() -> String? { nil }

    /// By default a seat votes for a candidate it would accept as an offer.
    public func vote(for candidate: Outcome, over current: Outcome, _ state: NegotiationState) -> Bool {
        respond(to: candidate, state) == .accept
    }
}
