import Crypto
import Foundation

/// The keys of C2SP signed notes: a name, a 32-bit key ID, and an Ed25519 key, written
/// `NAME+HASH+BASE64` (verifier) or `PRIVATE+KEY+NAME+HASH+BASE64` (signer), as Go's
/// checksum database writes them.
///
/// The key ID is the first four bytes of SHA-256(name || 0x0A || 0x01 || public key): a reader
/// finds a signature's key by name and ID, and a key whose text was changed no longer matches.
public struct NoteVerifier: Hashable, Sendable {
    /// The key's name: what signature lines call it.
    public let name: String
    public let keyID: UInt32
    /// The Ed25519 public key.
    public let publicKey: [UInt8]

    /// The Ed25519 signature algorithm's byte in encoded keys.
    static let ed25519: UInt8 = 0x01

    /// The verifier key written `NAME+HASH+BASE64`.
    ///
    /// - Throws: ``NoteError`` naming what is wrong: its form, its algorithm, its key's length,
    ///   or a hash that is not the key's.
    public init(parsing text: String) throws(NoteError) {
        // Split as Go does, at the first two '+': base64 has '+' of its own.
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw NoteError("a verifier key is NAME+HASH+BASE64, not '\(text)'") }
        let name = String(parts[0])
        try Self.checkName(name)
        let key = try Self.decodeKey(parts[2], hash: parts[1], of: name)
        guard Self.keyID(name: name, publicKey: key) == UInt32(parts[1], radix: 16) else {
            throw NoteError("the key hash \(parts[1]) is not the hash of the key named \(name)")
        }
        self.init(name: name, publicKey: key)
    }

    init(name: String, publicKey: [UInt8]) {
        self.name = name
        self.publicKey = publicKey
        self.keyID = Self.keyID(name: name, publicKey: publicKey)
    }

    /// The key as `NAME+HASH+BASE64`.
    public var text: String {
        "\(name)+\(Self.hex(keyID))+\(Data([Self.ed25519] + publicKey).base64EncodedString())"
    }

    /// A short fingerprint for people to compare aloud: SHA-256 of the key's text, first 16
    /// bytes, in four-digit groups.
    public var fingerprint: String {
        let digest = Array(SHA256.hash(data: Array(text.utf8)).prefix(16))
        let hex = digest.map { String(format: "%02x", $0) }.joined()
        return stride(from: 0, to: hex.count, by: 4).map { offset in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return String(hex[start..<hex.index(start, offsetBy: 4)])
        }.joined(separator: " ")
    }

    /// Whether `signature` is this key's Ed25519 signature of `message`.
    public func isValidSignature(_ signature: [UInt8], of message: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }

    static func keyID(name: String, publicKey: [UInt8]) -> UInt32 {
        let digest = SHA256.hash(data: Array(name.utf8) + [0x0A, ed25519] + publicKey)
        return digest.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// A key name: not empty, without `+` or any kind of space (C2SP signed-note).
    static func checkName(_ name: String) throws(NoteError) {
        guard !name.isEmpty, !name.unicodeScalars.contains(where: { $0 == "+" || $0.properties.isWhitespace }) else {
            throw NoteError("a key name is not empty and has no '+' or spaces: '\(name)'")
        }
    }

    /// The Ed25519 key in `base64` (its algorithm byte first).
    static func decodeKey(_ base64: Substring, hash: Substring, of name: String) throws(NoteError) -> [UInt8] {
        guard hash.count == 8, UInt32(hash, radix: 16) != nil else {
            throw NoteError("the key hash of \(name) is 8 hexadecimal digits, not '\(hash)'")
        }
        guard let bytes = Data(base64Encoded: String(base64)).map(Array.init), let algorithm = bytes.first else {
            throw NoteError("the key of \(name) is not base64")
        }
        guard algorithm == ed25519 else {
            throw NoteError("the key of \(name) is not Ed25519 (algorithm \(algorithm))")
        }
        guard bytes.count == 33 else {
            throw NoteError("the Ed25519 key of \(name) has \(bytes.count - 1) bytes, not 32")
        }
        return Array(bytes.dropFirst())
    }

    static func hex(_ id: UInt32) -> String {
        let digits = String(id, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// The private half: signs notes as ``NoteVerifier`` checks them.
public struct NoteSigner: Sendable {
    public let verifier: NoteVerifier
    private let key: PrivateKey

    /// A new key named `name`.
    public init(generatingNamed name: String) throws(NoteError) {
        try NoteVerifier.checkName(name)
        key = PrivateKey(Curve25519.Signing.PrivateKey())
        verifier = NoteVerifier(name: name, publicKey: key.publicKey)
    }

    /// The signer key written `PRIVATE+KEY+NAME+HASH+BASE64`.
    public init(parsing text: String) throws(NoteError) {
        let parts = text.split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY" else {
            throw NoteError("a signer key is PRIVATE+KEY+NAME+HASH+BASE64")
        }
        let name = String(parts[2])
        try NoteVerifier.checkName(name)
        let seed = try NoteVerifier.decodeKey(parts[4], hash: parts[3], of: name)
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw NoteError("the key of \(name) is not an Ed25519 private key")
        }
        self.key = PrivateKey(key)
        verifier = NoteVerifier(name: name, publicKey: self.key.publicKey)
        guard NoteVerifier.hex(verifier.keyID) == parts[3] else {
            throw NoteError("the key hash \(parts[3]) is not the hash of the key named \(name)")
        }
    }

    /// The key as `PRIVATE+KEY+NAME+HASH+BASE64`: a secret.
    public var text: String {
        "PRIVATE+KEY+\(verifier.name)+\(NoteVerifier.hex(verifier.keyID))+"
            + Data([NoteVerifier.ed25519] + key.key.rawRepresentation).base64EncodedString()
    }

    /// The Ed25519 signature of `message`.
    public func signature(of message: [UInt8]) -> [UInt8] {
        // Signing with a valid key cannot fail.
        Array(try! key.key.signature(for: message))
    }
}

/// swift-crypto's private key, which is immutable but not marked `Sendable`.
private final class PrivateKey: @unchecked Sendable {
    let key: Curve25519.Signing.PrivateKey

    init(_ key: Curve25519.Signing.PrivateKey) { self.key = key }

    var publicKey: [UInt8] { Array(key.publicKey.rawRepresentation) }
}
