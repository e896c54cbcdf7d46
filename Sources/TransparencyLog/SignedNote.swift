import Foundation

/// A C2SP signed note: a text, a blank line, then signature lines `— NAME BASE64`, where the
/// base64 holds the signer's 4-byte key ID and its signature of the text.
///
/// Read as Go's sumdb/note reads it: a signature by a key the reader does not know is carried
/// but proves nothing; one by a key it knows must verify, or the note is refused.
public struct SignedNote: Hashable, Sendable {
    /// A signature line.
    public struct Signature: Hashable, Sendable {
        public var name: String
        public var keyID: UInt32
        public var signature: [UInt8]

        /// The line, with its newline.
        public var line: String {
            let bytes = withUnsafeBytes(of: keyID.bigEndian, Array.init) + signature
            return "— \(name) \(Data(bytes).base64EncodedString())\n"
        }
    }

    /// The text signed, ending with a newline.
    public var text: String
    public var signatures: [Signature]

    /// Most signature lines a note may carry.
    static let maximumSignatures = 100

    /// `text` signed by `signers`.
    ///
    /// - Throws: ``NoteError`` for a text that is not a note's (empty, not ending with a
    ///   newline, or with control characters).
    public init(signing text: String, with signers: [NoteSigner]) throws(NoteError) {
        try Self.checkText(text)
        self.text = text
        signatures = signers.map {
            Signature(name: $0.verifier.name, keyID: $0.verifier.keyID, signature: $0.signature(of: Array(text.utf8)))
        }
    }

    /// The signed note written as `note`.
    ///
    /// - Throws: ``NoteError`` naming what is malformed.
    public init(parsing note: String) throws(NoteError) {
        let bytes = Array(note.utf8)
        guard let split = Self.lastBlankLine(in: bytes) else {
            throw NoteError("a signed note has a blank line between its text and its signatures")
        }
        text = String(decoding: bytes[...split], as: UTF8.self)
        try Self.checkText(text)
        let lines = String(decoding: bytes[(split + 2)...], as: UTF8.self)
        guard lines.hasSuffix("\n") else { throw NoteError("the note's last signature line has no newline") }
        signatures = try lines.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(Self.signature)
        guard !signatures.isEmpty else { throw NoteError("the note has no signature") }
        guard signatures.count <= Self.maximumSignatures else { throw NoteError("the note has too many signatures") }
    }

    /// The note as text: the text, a blank line, its signature lines.
    public var formatted: String {
        text + "\n" + signatures.map(\.line).joined()
    }

    /// The keys among `verifiers` that signed the note; at least one.
    ///
    /// - Throws: ``NoteError`` when a known key's signature does not verify (a forgery or a
    ///   changed text), or when no known key signed.
    @discardableResult
    public func verified(by verifiers: [NoteVerifier]) throws(NoteError) -> [NoteVerifier] {
        var signers: [NoteVerifier] = []
        let message = Array(text.utf8)
        for signature in signatures {
            guard let key = verifiers.first(where: { $0.name == signature.name && $0.keyID == signature.keyID }) else {
                continue
            }
            guard key.isValidSignature(signature.signature, of: message) else {
                throw NoteError("the signature of \(key.name) does not verify: the note is not what it signed")
            }
            if !signers.contains(key) { signers.append(key) }
        }
        guard !signers.isEmpty else {
            let names = signatures.map(\.name).joined(separator: ", ")
            throw NoteError("the note is not signed by a known key (it is signed by \(names))")
        }
        return signers
    }

    /// Text is UTF-8 ending with a newline, with no control character but newlines.
    private static func checkText(_ text: String) throws(NoteError) {
        guard text.hasSuffix("\n") else { throw NoteError("a note's text ends with a newline") }
        // The control characters (Unicode's Cc) are U+0000–U+001F, U+007F and U+0080–U+009F,
        // the last written 0xC2 0x80–0x9F in UTF-8: found in the bytes, which every checkpoint
        // a server signs passes through.
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if (byte < 0x20 && byte != 0x0A) || byte == 0x7F || (previous == 0xC2 && (0x80...0x9F).contains(byte)) {
                throw NoteError("a note's text has a control character")
            }
            previous = byte
        }
    }

    private static func signature(_ line: Substring) throws(NoteError) -> Signature {
        guard line.hasPrefix("— ") else { throw NoteError("a signature line starts with '— ': '\(line)'") }
        let parts = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, let bytes = Data(base64Encoded: String(parts[1])), bytes.count > 4 else {
            throw NoteError("a signature line is '— NAME BASE64': '\(line)'")
        }
        let name = String(parts[0])
        try NoteVerifier.checkName(name)
        let keyID = bytes.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return Signature(name: name, keyID: keyID, signature: Array(bytes.dropFirst(4)))
    }

    /// The index of the first newline of the note's last "\n\n".
    private static func lastBlankLine(in bytes: [UInt8]) -> Int? {
        var index = bytes.count - 2
        while index >= 0 {
            if bytes[index] == 0x0A, bytes[index + 1] == 0x0A { return index }
            index -= 1
        }
        return nil
    }
}
