/// Why a note, key or checkpoint was refused, in words that name what is wrong.
public struct NoteError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
