import Crypto
import Foundation

/// A C2SP tlog-checkpoint: the body of a signed note that commits a log to its first `size`
/// entries: its origin (which log), its size, its root hash, and optional extension lines.
public struct Checkpoint: Hashable, Sendable {
    /// The log's name: unique to it, so that a checkpoint of one log never passes for another's.
    public var origin: String
    public var size: Int
    public var rootHash: [UInt8]
    public var extensions: [String]

    public init(origin: String, size: Int, rootHash: [UInt8], extensions: [String] = []) {
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensions = extensions
    }

    /// The checkpoint in a note's text.
    ///
    /// - Throws: ``NoteError`` naming the line that is not a checkpoint's.
    public init(parsing text: String) throws(NoteError) {
        guard text.hasSuffix("\n") else { throw NoteError("a checkpoint ends with a newline") }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3 else { throw NoteError("a checkpoint has an origin, a size and a root hash") }
        guard !lines[0].isEmpty else { throw NoteError("the checkpoint's origin line is empty") }
        let sizeLine = lines[1]
        guard let size = Int(sizeLine), size >= 0, String(size) == sizeLine else {
            throw NoteError("the checkpoint's size is a decimal number, not '\(sizeLine)'")
        }
        guard let root = Data(base64Encoded: String(lines[2])), root.count == MerkleHash.size else {
            throw NoteError("the checkpoint's root hash is \(MerkleHash.size) bytes in base64, not '\(lines[2])'")
        }
        guard !lines.dropFirst(3).contains(where: \.isEmpty) else {
            throw NoteError("a checkpoint has no empty line")
        }
        self.init(
            origin: String(lines[0]),
            size: size,
            rootHash: Array(root),
            extensions: lines.dropFirst(3).map(String.init)
        )
    }

    /// SHA-256 of the checkpoint's text, base64: what a statement that must not reveal the
    /// checkpoint's size (it counts events) names it by. Whoever holds the checkpoint shows it.
    public var commitment: String {
        Data(SHA256.hash(data: Array(text.utf8))).base64EncodedString()
    }

    /// The checkpoint as a note's text.
    public var text: String {
        ([origin, String(size), Data(rootHash).base64EncodedString()] + extensions).map { $0 + "\n" }.joined()
    }
}
