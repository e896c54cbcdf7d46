/// A line along which events travel. Every event is addressed to one or more channels, and a
/// member reads exactly the channels ``Visibility`` gives them.
public enum Channel: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// Everyone in the talks: the roster, the agenda, phases, rounds and readouts, clause statuses.
    case plenary
    /// A delegation's own room: its members only. Closed to the mediator too.
    case room(party: String)
    /// The private line between one party and the mediator.
    case shuttle(party: String)
    /// A direct meeting of the parties, with the mediator, once every party consents.
    case joint
    /// A working group: its members and the mediator.
    case track(String)
    /// The mediator alone: originals of paraphrased messages, relay decisions, suggestions.
    case mediator

    public var description: String {
        switch self {
        case .plenary: "plenary"
        case .room(let party): "room:\(party)"
        case .shuttle(let party): "shuttle:\(party)"
        case .joint: "joint"
        case .track(let name): "track:\(name)"
        case .mediator: "mediator"
        }
    }
}
