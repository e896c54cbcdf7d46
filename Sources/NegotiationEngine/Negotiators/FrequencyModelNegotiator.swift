#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Learns what the other side wants from what it offers, and among the bids good enough for
/// itself offers the one the other side should like most.
///
/// The model is the frequency model of HardHeaded (ANAC 2011): an option the other side offers
/// often is worth more to it; an issue it rarely changes weighs more. Bidding follows a Boulware
/// aspiration (exponent 4 unless told otherwise): each step it looks at up to `candidateLimit`
/// outcomes whose utility lies between its aspiration and a band `window` above it and offers
/// the one with the highest predicted value to the other side. It accepts an offer that reaches
/// its aspiration or is at least as good as the bid it would make next.
public final class FrequencyModelNegotiator: Negotiator {
    public let name: String
    public let exponent: Double
    public let window: Double
    public let candidateLimit: Int
    private var seat: Seat!
    private var range: ConcessionRange!
    private var counts: [[Double]] = []
    /// Per issue, the largest count: kept as offers arrive rather than searched per candidate.
    private var mostOffered: [Double] = []
    private var weights: [Double] = []
    /// The last bid, for the relative time and model it was computed with: in alternating offers
    /// a seat answers and then proposes at the same moment, and both need the bid.
    private var lastBid: LastBid?
    private var lastSeen: Outcome?
    private var seen = 0
    /// HardHeaded's learning rate for issue weights.
    private let learningRate = 0.2

    public init(name: String = "frequency", exponent: Double = 4, window: Double = 0.05, candidateLimit: Int = 256) {
        self.name = name
        self.exponent = exponent
        self.window = window
        self.candidateLimit = candidateLimit
    }

    public func begin(_ seat: Seat) {
        self.seat = seat
        range = ConcessionRange(seat)
        counts = seat.space.optionCounts.map { [Double](repeating: 0, count: $0) }
        mostOffered = [Double](repeating: 0, count: counts.count)
        weights = [Double](repeating: 1 / Double(max(counts.count, 1)), count: counts.count)
    }

    /// Learns from every offer by another seat that the protocol shows (offers on the table and
    /// offers the mediator relays); the mediator's own packages say nothing about a side.
    public func observe(_ event: NegotiationEvent) {
        switch (event.actor, event.action) {
        case (.seat(let other), .offer(let offer)) where other != seat.index: learn(offer)
        case (.mediator, .relay(let offer, let from)) where from != seat.index: learn(offer)
        default: break
        }
    }

    private func learn(_ offer: Outcome) {
        if let lastSeen {
            var changed = false
            for issue in weights.indices where lastSeen[issue] == offer[issue] {
                weights[issue] += learningRate
                changed = true
            }
            if changed {
                let total = weights.reduce(0, +)
                for issue in weights.indices { weights[issue] /= total }
            }
        }
        for issue in counts.indices {
            counts[issue][offer[issue]] += 1
            mostOffered[issue] = max(mostOffered[issue], counts[issue][offer[issue]])
        }
        lastSeen = offer
        seen += 1
    }

    /// The model's estimate of the other side's utility of `outcome`, in [0, 1].
    public func predictedOpponentUtility(of outcome: Outcome) -> Double {
        predictedOpponentUtility { outcome[$0] }
    }

    /// The estimate for the package whose option on each issue is `option(issue)`.
    private func predictedOpponentUtility(_ option: (Int) -> Int) -> Double {
        guard seen > 0 else { return 0 }
        var total = 0.0
        for issue in counts.indices {
            total += weights[issue] * (counts[issue][option(issue)] + 1) / (mostOffered[issue] + 1)
        }
        return total
    }

    private func aspiration(at t: Double) -> Double {
        range.level(1 - pow(t, exponent), tolerance: 0)
    }

    private func bid(at t: Double) -> Outcome {
        if let lastBid, lastBid.time == t, lastBid.seen == seen { return lastBid.outcome }
        let outcome = freshBid(at: t)
        lastBid = LastBid(time: t, seen: seen, outcome: outcome)
        return outcome
    }

    private func freshBid(at t: Double) -> Outcome {
        let ranking = seat.ranking
        let least = aspiration(at: t)
        guard seen > 0 else { return ranking.best }
        let first = max(ranking.firstRank(atLeast: least), ranking.firstRational)
        guard first < ranking.count else { return ranking.best }
        let ceiling = least + window * (range.high - range.low)
        // Candidates are read as options, not built as outcomes: only the chosen one is built.
        var options = [Int](repeating: 0, count: counts.count)
        ranking.options(atRank: first, into: &options)
        var best = first
        var bestValue = predictedOpponentUtility { options[$0] }
        var rank = first + 1
        while rank < ranking.count, rank < first + candidateLimit, ranking.utilities[rank] <= ceiling {
            ranking.options(atRank: rank, into: &options)
            let value = predictedOpponentUtility { options[$0] }
            if value > bestValue {
                best = rank
                bestValue = value
            }
            rank += 1
        }
        return ranking.outcome(atRank: best)
    }

    public func propose(_ state: NegotiationState) -> Outcome? { bid(at: state.relativeTime) }

    public func respond(to offer: Outcome, _ state: NegotiationState) -> Response {
        guard seat.canAccept(offer) else { return .reject }
        let utility = seat.utility(of: offer)
        if utility >= aspiration(at: state.relativeTime) { return .accept }
        return utility >= seat.utility(of: bid(at: state.relativeTime)) ? .accept : .reject
    }

    public func vote(for candidate: Outcome, over current: Outcome, _ state: NegotiationState) -> Bool {
        seat.votesFor(candidate, over: current, threshold: aspiration(at: state.relativeTime))
    }
}

/// The bid last chosen, kept for the answer that follows it at the same time. A struct rather
/// than a tuple: an optional tuple's type is built at run time, and looking it up on every bid
/// took a lock that two threads contended for.
private struct LastBid {
    var time: Double
    var seen: Int
    var outcome: Outcome
}
