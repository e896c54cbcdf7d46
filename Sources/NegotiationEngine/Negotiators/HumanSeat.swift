/// What a person at a ``HumanSeat`` is asked, and how they answer. The command line answers at a
/// terminal; the talks service can answer from a delegation's page.
public protocol HumanInterface: AnyObject {
    func begin(_ seat: Seat)
    /// The person's offer, or `nil` to leave.
    func propose(_ state: NegotiationState) -> Outcome?
    func respond(to offer: Outcome, _ state: NegotiationState) -> Response
    /// Something the protocol showed the seat.
    func show(_ event: NegotiationEvent)
}

/// A seat taken by a person. It relays the protocol's questions to a ``HumanInterface`` and
/// guards the protocol from the answers: an offer outside the outcome space is asked again, and
/// after `attempts` unusable answers the seat leaves rather than stall the table.
public final class HumanSeat: Negotiator {
    public let name: String
    public let attempts: Int
    private let interface: any HumanInterface
    private var seat: Seat!

    public init(name: String = "human", interface: any HumanInterface, attempts: Int = 3) {
        self.name = name
        self.interface = interface
        self.attempts = attempts
    }

    public func begin(_ seat: Seat) {
        self.seat = seat
        interface.begin(seat)
    }

    public func propose(_ state: NegotiationState) -> Outcome? {
        let counts = seat.space.optionCounts
        for _ in 0..<attempts {
            guard let offer = interface.propose(state) else { return nil }
            if offer.optionIndices.count == counts.count,
                zip(offer.optionIndices, counts).allSatisfy({ Int($0) < $1 })
            {
                return offer
            }
        }
        return nil
    }

    public func respond(to offer: Outcome, _ state: NegotiationState) -> Response {
        interface.respond(to: offer, state)
    }

    public func observe(_ event: NegotiationEvent) { interface.show(event) }
}
