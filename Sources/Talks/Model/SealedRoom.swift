import Crypto
import Foundation

/// A message sealed in a member's browser for their delegation's room: what the server stores
/// and relays in place of the text, and can read nothing of but which room key sealed it.
///
/// Its text is `sealed:v1:KEY:IV:CIPHERTEXT`: the room key's id (32 hex digits), the base64 of
/// the 12-byte AES-GCM nonce, and the base64 of the AES-256-GCM ciphertext with its 16-byte
/// tag. The plaintext is the message's UTF-8, then 0x80 and zeros to a multiple of 32 bytes,
/// so that its length shows only to 32 bytes. The associated data, which the pages bind and
/// the server neither sends nor checks, is `shuttle sealed room v1\nTALKS\nPARTY\nAUTHOR\nKEY`:
/// a ciphertext moved to another talks, room or author does not open.
public struct SealedEnvelope: Hashable, Sendable {
    /// The id of the room key that sealed it.
    public var key: String

    /// Reads `text` as an envelope, or says in words why it is not one.
    ///
    /// An envelope is held to a message's longest text, ``Talks/maximumTextLength`` characters
    /// (all ASCII here), so a sealed message holds up to 14,911 bytes of UTF-8 once padded.
    public init(parsing text: String) throws(TalksError) {
        guard text.utf8.count <= Talks.maximumTextLength else {
            throw .invalid("a sealed message is at most \(Talks.maximumTextLength) characters, envelope included")
        }
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0] == "sealed", fields[1] == "v1" else {
            throw .invalid(
                "this room is sealed: a message is an envelope sealed in the member's page (sealed:v1:KEY:IV:CIPHERTEXT); plain text is refused"
            )
        }
        guard RoomKeyShare.isKeyID(fields[2]) else { throw .invalid("a sealed message's key is 32 hex digits") }
        guard let nonce = Data(base64Encoded: String(fields[3])), nonce.count == 12 else {
            throw .invalid("a sealed message's IV is the base64 of 12 bytes")
        }
        guard let sealed = Data(base64Encoded: String(fields[4])), sealed.count >= 16 else {
            throw .invalid("a sealed message's ciphertext is base64, with its 16-byte tag")
        }
        key = String(fields[2])
    }
}

/// A room key, wrapped by one member of a delegation for each colleague's sealing key.
///
/// A wrap is the base64 of a 12-byte nonce and the AES-256-GCM sealing (60 bytes in all) of the
/// 32-byte room key, under a key derived by HKDF-SHA-256 from the P-256 agreement of the
/// sender's and the recipient's sealing keys.
public struct RoomKeyShare: Hashable, Sendable, Codable {
    /// One colleague's copy: for `member`, whose sealing key was `publicKey`.
    public struct Wrap: Hashable, Sendable, Codable {
        public var member: MemberID
        public var publicKey: String
        public var wrap: String

        public init(member: MemberID, publicKey: String, wrap: String) {
            self.member = member
            self.publicKey = publicKey
            self.wrap = wrap
        }
    }

    /// The room key's id: 32 hex digits its maker drew at random.
    public var key: String
    /// For a new room key, the one it replaces (`nil` for the room's first); `nil` when an
    /// existing key is shared with more members.
    public var replaces: String?
    /// The sender's sealing key, which the recipients' pages combine with their own.
    public var senderKey: String
    public var wrapped: [Wrap]

    public init(key: String, replaces: String?, senderKey: String, wrapped: [Wrap]) {
        self.key = key
        self.replaces = replaces
        self.senderKey = senderKey
        self.wrapped = wrapped
    }

    /// Whether `text` reads as a room key's id.
    static func isKeyID(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Whether `text` is the base64 of a P-256 public key, uncompressed (65 bytes), as WebCrypto
    /// exports it raw.
    static func isSealingKey(_ text: String) -> Bool {
        guard let bytes = Data(base64Encoded: text), bytes.count == 65 else { return false }
        return (try? P256.KeyAgreement.PublicKey(x963Representation: bytes)) != nil
    }

    /// Whether `text` is the base64 of a wrapped room key: nonce, key and tag.
    static func isWrap(_ text: String) -> Bool { Data(base64Encoded: text)?.count == 12 + 32 + 16 }
}
