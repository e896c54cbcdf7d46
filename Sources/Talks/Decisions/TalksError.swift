/// Why a command was refused. The kind decides the HTTP status; the message says what rule
/// was broken, in words, and never carries a party's private numbers.
public struct TalksError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// The member may not do this (an observer writing, a delegate relaying): 403.
        case forbidden
        /// Something named does not exist: 404.
        case notFound
        /// A rule of the talks (off-agenda, bracketed clauses left, no consent): 409.
        case rule
        /// The command itself is malformed: 422.
        case invalid
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public static func forbidden(_ message: String) -> TalksError { TalksError(.forbidden, message) }
    public static func notFound(_ message: String) -> TalksError { TalksError(.notFound, message) }
    public static func rule(_ message: String) -> TalksError { TalksError(.rule, message) }
    public static func invalid(_ message: String) -> TalksError { TalksError(.invalid, message) }

    public var description: String { "\(kind.rawValue): \(message)" }
}
