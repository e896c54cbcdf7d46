/// Who acts or watches in a negotiation.
public enum Participant: Sendable, Hashable {
    case seat(Int)
    case mediator
}

/// Who is shown an event. Every protocol states it on every event, and ``NegotiationTable``
/// delivers an event to exactly these negotiators: the one place that decides who sees what.
public struct Audience: Sendable, Hashable {
    /// Bit k set: seat k sees the event.
    public var seats: UInt64
    public var mediator: Bool

    public init(seats: UInt64, mediator: Bool) {
        self.seats = seats
        self.mediator = mediator
    }

    /// Every seat (and the mediator, where there is one).
    public static func everyone(_ seatCount: Int) -> Audience {
        Audience(seats: seatCount >= 64 ? .max : (1 << UInt64(seatCount)) - 1, mediator: true)
    }

    /// One seat and the mediator: the shuttle's private channel.
    public static func privately(_ seat: Int) -> Audience {
        Audience(seats: 1 << UInt64(seat), mediator: true)
    }

    public func includes(_ participant: Participant) -> Bool {
        switch participant {
        case .mediator: mediator
        case .seat(let index): seats & (1 << UInt64(index)) != 0
        }
    }
}

/// One thing that happened in a negotiation, with who saw it.
public struct NegotiationEvent: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// A seat's offer: on the table (alternating offers) or to the mediator (shuttle).
        case offer(Outcome)
        case accept(Outcome)
        case reject(Outcome)
        /// A seat left the table.
        case leave
        /// A text the mediator put forward: its own package or a single-text candidate.
        case text(Outcome)
        /// The mediator passed on a seat's offer unchanged.
        case relay(Outcome, from: Int)
        case vote(Outcome, inFavour: Bool)
        case agreement(Outcome)

        /// The action's name where it is written out (agents, rehearsals): `offer`, `relay`, …
        public var name: String {
            switch self {
            case .offer: "offer"
            case .accept: "accept"
            case .reject: "reject"
            case .leave: "leave"
            case .text: "text"
            case .relay: "relay"
            case .vote: "vote"
            case .agreement: "agreement"
            }
        }
    }

    public var step: Int
    public var actor: Participant
    public var action: Action
    public var audience: Audience
    /// Words the seat sent with its move (an external agent's optional `text`), shown to the
    /// event's audience and nobody else.
    public var text: String?

    public init(step: Int, actor: Participant, action: Action, audience: Audience, text: String? = nil) {
        self.step = step
        self.actor = actor
        self.action = action
        self.audience = audience
        self.text = text
    }

    /// The package the event is about, if any.
    public var outcome: Outcome? {
        switch action {
        case .offer(let o), .accept(let o), .reject(let o), .text(let o), .relay(let o, _), .vote(let o, _),
            .agreement(let o):
            o
        case .leave: nil
        }
    }
}

/// How a negotiation went.
public struct NegotiationResult: Sendable {
    public enum Ending: Sendable, Hashable {
        case agreement
        case deadline
        /// A seat left or would not propose.
        case left(seat: Int)
        /// A seat's negotiator failed (an external agent that crashed, hung or answered
        /// nonsense), and why.
        case failed(seat: Int, reason: String)
        /// The negotiation ran past its time limit (``NegotiationMechanism/run(timeLimit:)``).
        case timedOut(seconds: Double)
    }

    public var agreement: Outcome?
    public var ending: Ending
    /// Steps begun (a step in which agreement came counts).
    public var steps: Int
    /// Relative time when it ended.
    public var relativeTime: Double
    /// Every event, when the trace was recorded.
    public var trace: [NegotiationEvent]
}
