/// The talks' shuttle format as a protocol: seats never address each other. Each sends its offers
/// to the mediator alone; the mediator decides what each seat is shown.
///
/// In each step the mediator visits every seat in turn. A seat with nothing to answer yet makes an
/// opening offer. Otherwise the mediator puts a text to it: with probability
/// `relayProbability` the latest offer of the seat that offered most recently (a relay, which
/// the trace marks as such), otherwise a package of its own that takes each issue from the latest
/// offer of a seat drawn at random (all seats' latest offers, the visited seat's own included).
/// A seat that rejects sends a counter-offer to the mediator. A seat that accepts makes the
/// mediator carry the same text to every other seat in turn; the text is agreed when all have
/// accepted it (a seat's own latest offer counts as accepted by it). `relayProbability` 0 gives a
/// mediator that only ever shows its own packages, 1 one that passes every offer on as it is.
///
/// **The informed mediator** holds every seat's preferences in confidence, as the talks service
/// does, and puts to the seats only the packages the talks' suggestions are made of
/// (``ScenarioAnalysis/suggestions``: inside every red line, efficient). For the first
/// ``informedApproach`` of the time it shows each seat the suggestions in the order that seat
/// gains by, from the one worst for it up to the Nash point, so that every seat sees the mediator
/// concede to it; an acceptance on the way is noted, and only the Nash point is carried round.
/// From then on it puts one text to every seat, starting at the Nash point, and moves it only on
/// the seats' answers: once ``informedPatience`` of the time has passed, when in a step some
/// seats accepted the text and others refused it, the next text is the nearest suggestion that
/// every refusing seat prefers. An acceptance is carried round the other seats. It never relays
/// an offer and never shows a number.
public final class ShuttleMediation: NegotiationMechanism {
    /// The fraction of the time the informed mediator takes to bring each seat up to the Nash
    /// point, before it puts one text to all.
    public static let informedApproach = 0.05
    /// The fraction of the time until which the informed mediator holds the Nash point, however
    /// the seats answer: most seats concede with time, and moving early moves away for nothing.
    public static let informedPatience = 0.85

    private let table: NegotiationTable
    private let relayProbability: Double
    /// For the informed mediator: per seat, the suggestions at or below the Nash point's utility
    /// for that seat, that seat's worst first (the Nash point last).
    private let approach: [[Outcome]]?
    /// For the informed mediator: the suggestions, nearest the Nash point first.
    private let suggestions: [UtilityPoint]
    /// For the informed mediator: the text it puts to every seat after the approach, an index
    /// into ``suggestions`` (0, the Nash point, to begin with).
    private var common = 0
    /// The seats that accepted and refused the text put to them in this step.
    private var accepted: Set<Int> = []
    private var refused: Set<Int> = []
    /// The least gain, for each refusing seat, of the informed mediator's next move: doubled
    /// while the same seats keep refusing, halved when other seats refuse (or on the first move),
    /// so that the text reaches the packages every seat accepts in a few steps and then settles
    /// near them.
    private var stride = 0.01
    private var lastRefused: Set<Int> = []
    /// The relative time of the first step, from which the approach is timed.
    private var startTime: Double?
    private var latest: [Outcome?]
    /// Seats in the order of their most recent offers, the most recent last.
    private var offerOrder: [Int] = []

    init(_ table: NegotiationTable, relayProbability: Double, suggestions: [UtilityPoint]?) {
        self.table = table
        self.relayProbability = relayProbability
        latest = Array(repeating: nil, count: table.seatCount)
        self.suggestions = suggestions ?? []
        if let suggestions, let nash = suggestions.first {
            approach = (0..<table.seatCount).map { seat in
                suggestions.filter { $0.utilities[seat] <= nash.utilities[seat] }
                    .sorted { $0.utilities[seat] < $1.utilities[seat] }.map(\.outcome)
            }
        } else {
            approach = nil
        }
    }

    /// Whether the informed mediator is still bringing the seats up to the Nash point at `time`.
    private func isApproaching(at time: Double) -> Bool { approach != nil && time < Self.informedApproach }

    public func stop(_ ending: NegotiationResult.Ending) -> NegotiationResult {
        table.finished ?? table.finish(ending, duringStep: false)
    }

    public func step() -> NegotiationResult? {
        if let finished = table.finished { return finished }
        if table.isPastDeadline { return table.finish(.deadline, duringStep: false) }
        let state = table.state
        (accepted, refused) = ([], [])
        for seat in 0..<table.seatCount {
            guard let (text, author) = textFor(seat, at: state.relativeTime) else {
                if let ended = takeOffer(from: seat, state) { return ended }
                continue
            }
            show(text, author: author, to: seat)
            switch table.negotiators[seat].respond(to: text, state) {
            case .end:
                table.publish(.seat(seat), .leave, to: .privately(seat))
                return table.finish(.left(seat: seat), duringStep: true)
            case .reject:
                table.publish(.seat(seat), .reject(text), to: .privately(seat))
                refused.insert(seat)
                if let ended = takeOffer(from: seat, state) { return ended }
            case .accept:
                table.publish(.seat(seat), .accept(text), to: .privately(seat))
                accepted.insert(seat)
                // While approaching, the informed mediator sounds out packages and carries only the Nash point.
                if isApproaching(at: state.relativeTime), text != suggestions.first?.outcome { continue }
                if let ended = carry(text, author: author, acceptedBy: seat, state) { return ended }
            }
        }
        if approach != nil, !isApproaching(at: state.relativeTime) { moveTowardsTheRefusing(at: state.relativeTime) }
        table.step += 1
        return nil
    }

    /// When some seats accepted the common text and others refused it, after
    /// ``informedPatience``, the next text is the suggestion nearest it that gives every refusing
    /// seat at least ``stride`` more, or failing that any more (none: it stays).
    private func moveTowardsTheRefusing(at time: Double) {
        guard !accepted.isEmpty, !refused.isEmpty, time >= Self.informedPatience else { return }
        stride = refused == lastRefused ? stride * 2 : max(stride / 2, 0.001)
        lastRefused = refused
        let current = suggestions[common].utilities
        func distance(_ index: Int) -> Double {
            zip(suggestions[index].utilities, current).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        func gaining(atLeast gain: Double) -> Int? {
            suggestions.indices.filter { index in
                refused.allSatisfy { suggestions[index].utilities[$0] >= current[$0] + gain }
            }
            .min { distance($0) < distance($1) }
        }
        if let next = gaining(atLeast: stride) ?? gaining(atLeast: .ulpOfOne) { common = next }
    }

    /// What the mediator puts to `seat` at `time`, and whose offer it is if it is a relay; `nil`
    /// while no other seat has offered.
    private func textFor(_ seat: Int, at time: Double) -> (Outcome, Int?)? {
        if let approach {
            guard isApproaching(at: time) else { return (suggestions[common].outcome, nil) }
            let steps = approach[seat]
            let start = startTime ?? time
            startTime = start
            let progress = start < Self.informedApproach ? (time - start) / (Self.informedApproach - start) : 1
            return (steps[min(steps.count - 1, Int((Double(steps.count - 1) * progress).rounded(.down)))], nil)
        }
        guard let author = offerOrder.last(where: { $0 != seat }), let offer = latest[author] else { return nil }
        if Double.random(in: 0..<1, using: &table.mediatorRandom) < relayProbability {
            return (offer, author)
        }
        let sources = latest.compactMap { $0 }
        var package = offer
        for issue in package.optionIndices.indices {
            package.optionIndices[issue] = sources.randomElement(using: &table.mediatorRandom)!.optionIndices[issue]
        }
        return (package, nil)
    }

    private func show(_ text: Outcome, author: Int?, to seat: Int) {
        if let author {
            table.publish(.mediator, .relay(text, from: author), to: .privately(seat))
        } else {
            table.publish(.mediator, .text(text), to: .privately(seat))
        }
    }

    /// Asks `seat` for an offer to the mediator; the result if it would not make one.
    private func takeOffer(from seat: Int, _ state: NegotiationState) -> NegotiationResult? {
        guard let offer = table.negotiators[seat].propose(state) else {
            table.publish(.seat(seat), .leave, to: .privately(seat))
            return table.finish(.left(seat: seat), duringStep: true)
        }
        latest[seat] = offer
        offerOrder.removeAll { $0 == seat }
        offerOrder.append(seat)
        table.publish(.seat(seat), .offer(offer), to: .privately(seat))
        return nil
    }

    /// Takes an accepted text round the other seats; the result if it was agreed or someone left.
    private func carry(
        _ text: Outcome,
        author: Int?,
        acceptedBy first: Int,
        _ state: NegotiationState
    )
        -> NegotiationResult?
    {
        let n = table.seatCount
        for offset in 1..<n {
            let seat = (first + offset) % n
            if latest[seat] == text { continue }
            show(text, author: author, to: seat)
            switch table.negotiators[seat].respond(to: text, state) {
            case .accept:
                table.publish(.seat(seat), .accept(text), to: .privately(seat))
            case .reject:
                table.publish(.seat(seat), .reject(text), to: .privately(seat))
                refused.insert(seat)
                return takeOffer(from: seat, state)
            case .end:
                table.publish(.seat(seat), .leave, to: .privately(seat))
                return table.finish(.left(seat: seat), duringStep: true)
            }
        }
        table.publish(.mediator, .agreement(text), to: .everyone(n))
        return table.finish(agreement: text, .agreement, duringStep: true)
    }
}
