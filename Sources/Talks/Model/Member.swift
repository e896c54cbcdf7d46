/// Names a member of a talks.
public typealias MemberID = Identifier<Member>

/// A delegate's role, as the April 2025 delegations were staffed.
public enum Role: String, Hashable, Sendable, Codable, CaseIterable {
    /// Leads the delegation; reviews and concludes in the principals' track.
    case principal
    /// Leads the delegation's experts in a technical track.
    case technicalLead = "technical-lead"
    /// Works out details in a technical track.
    case expert
    /// Reads; never writes.
    case observer

    /// Whether the role may post, propose or answer.
    public var canWrite: Bool { self != .observer }
}

/// A person in the talks.
///
/// As JSON: `{"id", "name", "role", "party", "affiliation"}`, with role `mediator` (and no party)
/// for the mediator.
public struct Member: Hashable, Sendable, Codable {
    /// Where the member sits.
    public enum Seat: Hashable, Sendable {
        case mediator
        case delegate(party: String, role: Role)
    }

    public var id: MemberID
    public var name: String
    public var seat: Seat
    /// The member's home institution ("State", "Treasury", "Foreign Ministry").
    public var affiliation: String?

    public init(id: MemberID, name: String, seat: Seat, affiliation: String? = nil) {
        self.id = id
        self.name = name
        self.seat = seat
        self.affiliation = affiliation
    }

    /// The party the member belongs to, or `nil` for the mediator.
    public var party: String? {
        if case .delegate(let party, _) = seat { return party }
        return nil
    }

    public var role: Role? {
        if case .delegate(_, let role) = seat { return role }
        return nil
    }

    public var isMediator: Bool { seat == .mediator }

    private enum Key: String, CodingKey { case id, name, role, party, affiliation }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        id = try container.decode(MemberID.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        affiliation = try container.decodeIfPresent(String.self, forKey: .affiliation)
        let role = try container.decode(String.self, forKey: .role)
        if role == "mediator" {
            seat = .mediator
        } else {
            guard let delegateRole = Role(rawValue: role) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .role,
                    in: container,
                    debugDescription: "unknown role '\(role)'"
                )
            }
            seat = .delegate(party: try container.decode(String.self, forKey: .party), role: delegateRole)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(role?.rawValue ?? "mediator", forKey: .role)
        try container.encodeIfPresent(party, forKey: .party)
        try container.encodeIfPresent(affiliation, forKey: .affiliation)
    }
}
