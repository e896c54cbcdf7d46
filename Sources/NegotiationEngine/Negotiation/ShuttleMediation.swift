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
/// does, and puts to each seat only the packages the talks' suggestions are made of
/// (``ScenarioAnalysis/suggestions``: inside every red line, efficient). Until
/// ``informedReach`` of the time it shows each seat the suggestions in the order that seat gains
/// by, from the one worst for it up to the Nash point, so that every seat sees the mediator
/// concede to it; an acceptance on the way is noted, and only the Nash point is carried round
/// for agreement. After that, if no agreement has come, it widens its search around the Nash
/// point towards the deadline — the circle of suggestions nearest the Nash point grows with the
/// square of the remaining time's fraction used — and shows each seat the best for it inside the
/// circle, carrying any acceptance round. It never relays an offer and never shows a number.
public final class ShuttleMediation: NegotiationMechanism {
    /// The fraction of the time at which the informed mediator reaches the Nash point and
    /// starts to widen its search around it.
    public static let informedReach = 0.7

    private let table: NegotiationTable
    private let relayProbability: Double
    /// For the informed mediator: per seat, the suggestions at or below the Nash point's utility
    /// for that seat, that seat's worst first (the Nash point last).
    private let approach: [[Outcome]]?
    /// For the informed mediator: the suggestions, nearest the Nash point first.
    private let suggestions: [UtilityPoint]
    /// For the informed mediator: the Nash point, the one package it carries round for agreement
    /// until ``informedReach``.
    private var nash: Outcome? { suggestions.first?.outcome }
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

    public func step() -> NegotiationResult? {
        if let finished = table.finished { return finished }
        if table.isPastDeadline { return table.finish(.deadline, duringStep: false) }
        let state = table.state
        for seat in 0..<table.seatCount {
            guard let (text, author) = textFor(seat) else {
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
                if let ended = takeOffer(from: seat, state) { return ended }
            case .accept:
                table.publish(.seat(seat), .accept(text), to: .privately(seat))
                // The informed mediator sounds out packages on the way and carries only the Nash point.
                if let nash, text != nash, state.relativeTime < Self.informedReach { continue }
                if let ended = carry(text, author: author, acceptedBy: seat, state) { return ended }
            }
        }
        table.step += 1
        return nil
    }

    /// What the mediator puts to `seat`, and whose offer it is if it is a relay; `nil` while no
    /// other seat has offered.
    private func textFor(_ seat: Int) -> (Outcome, Int?)? {
        if let approach {
            let time = table.state.relativeTime
            guard time >= Self.informedReach else {
                let steps = approach[seat]
                return (steps[Int((Double(steps.count - 1) * time / Self.informedReach).rounded(.down))], nil)
            }
            // Past the Nash point: the best for this seat among the suggestions nearest it, the
            // circle widening towards the deadline.
            let widening = (time - Self.informedReach) / (1 - Self.informedReach)
            let circle = suggestions.prefix(1 + Int(Double(suggestions.count - 1) * widening * widening))
            let best = circle.indices.max { a, b in
                let (x, y) = (circle[a].utilities[seat], circle[b].utilities[seat])
                return x != y ? x < y : a > b
            }!
            return (circle[best].outcome, nil)
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
    private func carry(_ text: Outcome, author: Int?, acceptedBy first: Int, _ state: NegotiationState)
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
