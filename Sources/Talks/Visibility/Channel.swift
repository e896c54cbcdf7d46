/// A line along which events travel. Every event is addressed to one or more channels, and a
/// member reads exactly the channels ``Visibility`` gives them.
public enum Channel: Hashable, Sendable, Comparable, CustomStringConvertible {
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

extension Channel: Codable {
    /// Reads a channel from its text: `plenary`, `room:PARTY`, `shuttle:PARTY`, `joint`,
    /// `track:NAME`, `mediator`.
    public init?(_ text: String) {
        if text == "plenary" {
            self = .plenary
            return
        }
        if text == "joint" {
            self = .joint
            return
        }
        if text == "mediator" {
            self = .mediator
            return
        }
        // By Unicode scalars, not characters: a name may begin with a mark that would join the
        // colon into one character.
        let scalars = text.unicodeScalars
        guard let colon = scalars.firstIndex(of: ":") else { return nil }
        let name = String(scalars[scalars.index(after: colon)...])
        guard !name.isEmpty else { return nil }
        switch String(scalars[..<colon]) {
        case "room": self = .room(party: name)
        case "shuttle": self = .shuttle(party: name)
        case "track": self = .track(name)
        default: return nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let channel = Channel(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a channel")
            )
        }
        self = channel
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
