/// A name for one kind of thing (`Tag`), kept apart from names of other kinds by the type system
/// and written as a plain JSON string.
///
/// ```swift
/// let member: MemberID = Identifier("a1b2")   // Identifier<Member>
/// ```
public struct Identifier<Tag>: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: Identifier, rhs: Identifier) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
}
