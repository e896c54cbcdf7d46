import Foundation

/// Checks, with no server, that a member's export is exactly the log a signed checkpoint
/// commits to, and that receipts saved along the way belong to it: what `shuttle verify-view`
/// and the tests run.
///
/// Each line of the export (without its newline) is a leaf, in order (RFC 9162): a changed,
/// missing, extra or reordered line gives another root.
public struct LogAudit {
    /// Why the export and the checkpoint (or a receipt) do not match.
    public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        public let description: String

        init(_ description: String) { self.description = description }
    }

    /// A receipt as a write answered it.
    public struct Receipt: Hashable, Sendable, Decodable {
        public var index: Int
        public var checkpoint: String
        public var proof: [String]

        public init(index: Int, checkpoint: String, proof: [String]) {
            self.index = index
            self.checkpoint = checkpoint
            self.proof = proof
        }
    }

    public let key: NoteVerifier
    private let lines: [[UInt8]]
    private let tree: MerkleTree

    /// An audit of `lines`, an export's lines without their newlines, against checkpoints
    /// signed by `key`.
    public init(lines: [[UInt8]], key: NoteVerifier) {
        self.key = key
        self.lines = lines
        var tree = MerkleTree()
        for line in lines { tree.append(leaf: line) }
        self.tree = tree
    }

    /// The lines of an export file: one per newline; a last line without one counts too.
    public static func lines(ofExport bytes: [UInt8]) -> [[UInt8]] {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// Checks that the export is exactly the log `note` commits to, signed by the key, for the
    /// log named `origin` when it is given; returns the checkpoint.
    ///
    /// - Throws: ``Failure`` naming what does not match.
    @discardableResult
    public func verify(checkpoint note: String, origin: String? = nil) throws(Failure) -> Checkpoint {
        let checkpoint = try signed(note, origin: origin)
        let gap = numberingGap().map { "; \($0)" } ?? ""
        guard checkpoint.size <= lines.count else {
            let missing = checkpoint.size - lines.count
            throw Failure(
                "the checkpoint counts \(checkpoint.size) events; the export has \(lines.count): \(missing) missing\(gap)"
            )
        }
        guard checkpoint.size == lines.count else {
            let extra = lines.count - checkpoint.size
            throw Failure(
                "the export has \(lines.count) lines; the checkpoint counts \(checkpoint.size): \(extra) extra\(gap)"
            )
        }
        guard tree.root(size: checkpoint.size) == checkpoint.rootHash else {
            throw Failure(
                "the export's lines do not hash to the checkpoint's root: \(numberingGap() ?? "a line was changed")"
            )
        }
        return checkpoint
    }

    /// Checks that `receipt` proves that line `index` of the export is the event the server
    /// acknowledged, in a checkpoint that this export extends (or equals), from the same log as
    /// `checkpoint`.
    ///
    /// - Throws: ``Failure`` naming what does not match.
    public func verify(receipt: Receipt, against checkpoint: Checkpoint) throws(Failure) {
        let signed = try signed(receipt.checkpoint, origin: checkpoint.origin)
        let name = "the receipt for line \(receipt.index + 1)"
        guard signed.size <= lines.count, receipt.index >= 0, receipt.index < signed.size else {
            throw Failure("\(name) is for a log of \(signed.size) events; the export has \(lines.count)")
        }
        let proof = try receipt.proof.map { (hash) throws(Failure) -> [UInt8] in
            guard let bytes = Data(base64Encoded: hash) else {
                throw Failure("\(name) has a proof hash that is not base64")
            }
            return Array(bytes)
        }
        do {
            try MerkleProof.verifyInclusion(
                index: UInt64(receipt.index),
                size: UInt64(signed.size),
                leafHash: MerkleHash.leaf(lines[receipt.index]),
                proof: proof,
                root: signed.rootHash
            )
        } catch {
            throw Failure(
                "\(name): the export's line \(receipt.index + 1) is not the event the server acknowledged (\(error))"
            )
        }
        guard tree.root(size: signed.size) == signed.rootHash else {
            throw Failure(
                "\(name): the export's first \(signed.size) lines are not the log the receipt's checkpoint signed"
            )
        }
    }

    /// Whether `commitment` (``Checkpoint/commitment``) is that of this log's checkpoint at one
    /// of its first `size` sizes, for the log named `origin`: how a statement that names a
    /// checkpoint only by its commitment is tied to the log it was signed on.
    public func holdsCheckpoint(committedTo commitment: String, origin: String, upTo size: Int) -> Bool {
        guard size >= 1, !lines.isEmpty else { return false }
        // Newest first: a statement names the checkpoint its page verified last.
        return (1...min(size, lines.count)).reversed().contains { held in
            Checkpoint(origin: origin, size: held, rootHash: tree.root(size: held)).commitment == commitment
        }
    }

    /// The checkpoint in `note`, its signature checked and its origin compared.
    private func signed(_ note: String, origin: String?) throws(Failure) -> Checkpoint {
        let checkpoint: Checkpoint
        do {
            let parsed = try SignedNote(parsing: note)
            try parsed.verified(by: [key])
            checkpoint = try Checkpoint(parsing: parsed.text)
        } catch {
            throw Failure("the checkpoint is not signed by \(key.name)'s key: \(error)")
        }
        if let origin, checkpoint.origin != origin {
            throw Failure("the checkpoint is for \(checkpoint.origin), not \(origin)")
        }
        return checkpoint
    }

    /// Where the lines' own numbers (`"seq":N`) first skip or repeat, if they do.
    private func numberingGap() -> String? {
        for (index, line) in lines.enumerated() {
            if let number = Self.seq(in: String(decoding: line, as: UTF8.self)), number != index + 1 {
                return "line \(index + 1) is numbered \(number): a line is missing, added or moved before it"
            }
        }
        return nil
    }

    private static func seq(in line: String) -> Int? {
        // The last: the event's own keys come before it (sorted), and only "time" after.
        guard let range = line.range(of: "\"seq\":", options: .backwards) else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }
}
