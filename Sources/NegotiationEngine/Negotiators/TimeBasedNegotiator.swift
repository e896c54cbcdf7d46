#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A seat's own utility range: from the better of its worst outcome and its reservation value to
/// its best outcome. Time-based strategies concede inside it.
struct ConcessionRange {
    let low: Double
    let high: Double

    init(_ seat: Seat) {
        let ranking = seat.ranking
        high = ranking.bestUtility
        low = min(high, max(ranking.worstUtility, seat.party.reservationValue))
    }

    /// The utility at `aspiration` (1 = best, 0 = low), widened down by `tolerance` and clamped.
    func level(_ aspiration: Double, tolerance: Double) -> Double {
        min(high, max(low, (high - low) * aspiration + low - tolerance))
    }
}

/// Concedes with time alone: its aspiration is 1 − tᵉ of its range at relative time t; it offers
/// the worst outcome at that level and accepts any offer reaching it.
///
/// With the same exponent and tolerance this is NegMAS's `TimeBasedConcedingNegotiator` with
/// `stochastic=False` (`BoulwareTBNegotiator`, `LinearTBNegotiator`, `ConcederTBNegotiator`):
/// the same range (worst outcome or reservation value up to the best), the same widening of the
/// level by the tolerance, the same choice of outcome. Ties between outcomes of equal utility go
/// to the first in the space's order (NegMAS's order there depends on numpy's unstable sort).
public final class TimeBasedNegotiator: Negotiator {
    public let name: String
    /// 4 Boulware (concedes late), 1 linear, 0.25 conceder (concedes early).
    public let exponent: Double
    public let tolerance: Double
    private var seat: Seat!
    private var range: ConcessionRange!
    /// The seat's ranking, read every step without a retain: it is shared by every negotiation
    /// on the scenario, and retaining it from several threads at once was most of the 40% of a
    /// 2-core tournament's CPU spent on reference counts (the seat, held above, keeps it alive).
    private var ranking: Unmanaged<UtilityRanking>?
    /// Whether the seat has red lines to check offers against.
    private var hasRedLines = false

    public init(name: String, exponent: Double, tolerance: Double = 1e-4) {
        self.name = name
        self.exponent = exponent
        self.tolerance = tolerance
    }

    public static func boulware() -> TimeBasedNegotiator { TimeBasedNegotiator(name: "boulware", exponent: 4) }
    public static func linear() -> TimeBasedNegotiator { TimeBasedNegotiator(name: "linear", exponent: 1) }
    public static func conceder() -> TimeBasedNegotiator { TimeBasedNegotiator(name: "conceder", exponent: 0.25) }

    public func begin(_ seat: Seat) {
        self.seat = seat
        range = ConcessionRange(seat)
        ranking = Unmanaged.passUnretained(seat.ranking)
        hasRedLines = !seat.party.forbiddenOptions.isEmpty
    }

    /// The least utility it offers or accepts at relative time `t`.
    public func threshold(at t: Double) -> Double {
        range.level(1 - pow(t, exponent), tolerance: tolerance)
    }

    public func propose(_ state: NegotiationState) -> Outcome? {
        let least = threshold(at: state.relativeTime)
        return ranking!._withUnsafeGuaranteedRef { $0.worstOutcome(atLeast: least) }
    }

    public func respond(to offer: Outcome, _ state: NegotiationState) -> Response {
        guard !hasRedLines || seat.party.allows(offer) else { return .reject }
        let utility = ranking!._withUnsafeGuaranteedRef { $0.utility(of: offer) }
        return utility >= threshold(at: state.relativeTime) ? .accept : .reject
    }

    public func vote(for candidate: Outcome, over current: Outcome, _ state: NegotiationState) -> Bool {
        seat.votesFor(candidate, over: current, threshold: threshold(at: state.relativeTime))
    }
}

/// Offers its best outcome every time and accepts only an offer as good.
public final class Hardliner: Negotiator {
    public let name = "hardliner"
    private var seat: Seat!

    public init() {}

    public func begin(_ seat: Seat) { self.seat = seat }

    public func propose(_ state: NegotiationState) -> Outcome? { seat.ranking.best }

    public func respond(to offer: Outcome, _ state: NegotiationState) -> Response {
        seat.party.allows(offer) && seat.utility(of: offer) >= seat.ranking.bestUtility ? .accept : .reject
    }

    public func vote(for candidate: Outcome, over current: Outcome, _ state: NegotiationState) -> Bool {
        seat.votesFor(candidate, over: current, threshold: seat.ranking.bestUtility)
    }
}

/// Naive tit-for-tat: concedes, in its own utility, as much as the other side's last offer
/// conceded to it (and hardens as much when the other side hardens). Starts at its best.
public final class NaiveTitForTat: Negotiator {
    public let name = "tit-for-tat"
    private var seat: Seat!
    private var range: ConcessionRange!
    private var target = 0.0
    private var previousReceived: Double?

    public init() {}

    public func begin(_ seat: Seat) {
        self.seat = seat
        range = ConcessionRange(seat)
        target = range.high
    }

    public func propose(_ state: NegotiationState) -> Outcome? {
        seat.ranking.worstOutcome(atLeast: target)
    }

    public func respond(to offer: Outcome, _ state: NegotiationState) -> Response {
        let received = seat.utility(of: offer)
        if let previous = previousReceived {
            target = min(range.high, max(range.low, target - (received - previous)))
        }
        previousReceived = received
        return seat.party.allows(offer) && received >= target ? .accept : .reject
    }

    public func vote(for candidate: Outcome, over current: Outcome, _ state: NegotiationState) -> Bool {
        seat.votesFor(candidate, over: current, threshold: target)
    }
}

/// Offers rational outcomes drawn at random and accepts a rational offer with a fixed
/// probability: a baseline, and noise for testing protocols.
public final class RandomNegotiator: Negotiator {
    public let name = "random"
    public let acceptanceProbability: Double
    private var seat: Seat!
    private var random = SeededGenerator(seed: 0)

    public init(acceptanceProbability: Double = 0.25) {
        self.acceptanceProbability = acceptanceProbability
    }

    public func begin(_ seat: Seat) {
        self.seat = seat
        random = SeededGenerator(seed: seat.seed)
    }

    public func propose(_ state: NegotiationState) -> Outcome? {
        let ranking = seat.ranking
        let first = ranking.hasRationalOutcome ? ranking.firstRational : 0
        return ranking.outcome(atRank: Int.random(in: first..<ranking.count, using: &random))
    }

    public func respond(to offer: Outcome, _ state: NegotiationState) -> Response {
        guard seat.canAccept(offer) else { return .reject }
        return Double.random(in: 0..<1, using: &random) < acceptanceProbability ? .accept : .reject
    }

    public func vote(for candidate: Outcome, over current: Outcome, _ state: NegotiationState) -> Bool {
        seat.canAccept(candidate) && Double.random(in: 0..<1, using: &random) < 0.5
    }
}
