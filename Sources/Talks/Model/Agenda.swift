/// An issue in scope and the options on the table for it.
public struct AgendaIssue: Hashable, Sendable, Codable {
    public var name: String
    public var options: [String]

    public init(name: String, options: [String]) {
        self.name = name
        self.options = options
    }
}

/// What a proposal offers: a package (an option for some or all agenda issues) or clause text.
///
/// As JSON: `{"package": {"issue": "option", …}}` or `{"text": "…", "clause": "C2"}`.
public enum ProposalContent: Hashable, Sendable, Codable {
    case package([String: String])
    case clauseText(clause: String?, text: String)

    private enum Key: String, CodingKey { case package, clause, text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let package = try container.decodeIfPresent([String: String].self, forKey: .package) {
            self = .package(package)
        } else {
            self = .clauseText(
                clause: try container.decodeIfPresent(String.self, forKey: .clause),
                text: try container.decode(String.self, forKey: .text)
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .package(let package): try container.encode(package, forKey: .package)
        case .clauseText(let clause, let text):
            try container.encodeIfPresent(clause, forKey: .clause)
            try container.encode(text, forKey: .text)
        }
    }
}

/// A party's answer to a proposal.
public enum Answer: String, Hashable, Sendable, Codable {
    case accept, reject, counter
}

/// How the mediator passes a party's message on.
public enum RelayMode: String, Hashable, Sendable, Codable {
    /// The words as written, shown as coming from the mediator.
    case verbatim
    /// The mediator's own wording; the original stays in the mediator's view.
    case paraphrase
    /// Not passed on.
    case withhold
}

/// The level a track works at.
public enum TrackLevel: String, Hashable, Sendable, Codable {
    case technical, principal
}

/// Where a clause of the framework text stands. Nothing is agreed until everything is agreed.
public enum ClauseStatus: String, Hashable, Sendable, Codable, Comparable {
    case bracketed
    case agreedAdReferendum = "agreed-ad-referendum"
    case agreed

    private var order: Int {
        switch self {
        case .bracketed: 0
        case .agreedAdReferendum: 1
        case .agreed: 2
        }
    }

    public static func < (lhs: ClauseStatus, rhs: ClauseStatus) -> Bool { lhs.order < rhs.order }
}

/// A scheduled meeting.
public struct Round: Hashable, Sendable, Codable {
    public enum Format: String, Hashable, Sendable, Codable { case indirect, direct }

    public var id: String
    /// The day, as `YYYY-MM-DD`.
    public var date: String
    public var venue: String
    public var level: TrackLevel
    public var format: Format

    public init(id: String, date: String, venue: String, level: TrackLevel, format: Format) {
        self.id = id
        self.date = date
        self.venue = venue
        self.level = level
        self.format = format
    }
}
