public import Crypto
import Foundation
public import Talks

/// One delegate's side of a sealed room, done in Swift exactly as the pages do it in WebCrypto
/// (`Web/sealing.js`): the reference the tests hold both to, and an example for an API client
/// in another language (the README gives the format).
public struct SealedRoomMember {
    public let id: MemberID
    public let party: String
    public let talks: String
    public let sealingKey: P256.KeyAgreement.PrivateKey
    /// The room keys this member holds, by id.
    public var roomKeys: [String: SymmetricKey] = [:]

    /// A member with a new sealing key, or with `sealingKey` (for fixed test vectors).
    public init(
        id: MemberID,
        party: String,
        talks: String,
        sealingKey: P256.KeyAgreement.PrivateKey = P256.KeyAgreement.PrivateKey()
    ) {
        self.id = id
        self.party = party
        self.talks = talks
        self.sealingKey = sealingKey
    }

    /// The public key to register: base64 of its 65 uncompressed bytes.
    public var publicKey: String { sealingKey.publicKey.x963Representation.base64EncodedString() }

    /// A new room key's id: 32 hex digits.
    public static func newKeyID() -> String {
        SymmetricKey(size: .bits128).withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
    }

    /// A new room key, kept, wrapped for `colleagues` (member and registered sealing key).
    public mutating func newRoomKey(
        replacing current: String?,
        for colleagues: [(MemberID, String)]
    ) throws
        -> RoomKeyShare
    {
        let id = Self.newKeyID()
        roomKeys[id] = SymmetricKey(size: .bits256)
        return try share(id, replacing: current, with: colleagues)
    }

    /// Room key `key`, which this member holds, wrapped for `colleagues`.
    public func share(
        _ key: String,
        replacing current: String? = nil,
        with colleagues: [(MemberID, String)]
    ) throws
        -> RoomKeyShare
    {
        let roomKey = try require(roomKeys[key])
        let wrapped = try colleagues.map { member, publicKey in
            let wrapKey = try wrappingKey(key: key, from: id, to: member, theirs: publicKey)
            let raw = roomKey.withUnsafeBytes { Data($0) }
            let sealed = try AES.GCM.seal(raw, using: wrapKey)
            return RoomKeyShare.Wrap(member: member, publicKey: publicKey, wrap: sealed.combined!.base64EncodedString())
        }
        return RoomKeyShare(key: key, replaces: current, senderKey: publicKey, wrapped: wrapped)
    }

    /// Takes the room key a `room-key-shared` event wrapped for this member, if there is one.
    public mutating func receive(_ share: RoomKeyShare, from sender: MemberID) throws {
        guard let mine = share.wrapped.first(where: { $0.member == id && $0.publicKey == publicKey }) else { return }
        let wrapKey = try wrappingKey(key: share.key, from: sender, to: id, theirs: share.senderKey)
        let box = try AES.GCM.SealedBox(combined: try require(Data(base64Encoded: mine.wrap)))
        roomKeys[share.key] = SymmetricKey(data: try AES.GCM.open(box, using: wrapKey))
    }

    /// `text` sealed with room key `key` as this member's message.
    public func seal(_ text: String, with key: String) throws -> String {
        var plain = Data(text.utf8)
        plain.append(0x80)
        while plain.count % 32 != 0 { plain.append(0) }
        let box = try AES.GCM.seal(plain, using: try require(roomKeys[key]), authenticating: associatedData(id, key))
        return
            "sealed:v1:\(key):\(Data(box.nonce).base64EncodedString()):\((box.ciphertext + box.tag).base64EncodedString())"
    }

    /// The text of `envelope`, written by `author`, or `nil` when this member cannot open it.
    public func open(_ envelope: String, by author: MemberID) -> String? {
        let fields = envelope.split(separator: ":").map(String.init)
        guard fields.count == 5, let key = roomKeys[fields[2]], let nonce = Data(base64Encoded: fields[3]),
            let sealed = Data(base64Encoded: fields[4]), sealed.count >= 16,
            let box = try? AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: nonce),
                ciphertext: sealed.dropLast(16),
                tag: sealed.suffix(16)
            ),
            var plain = try? AES.GCM.open(box, using: key, authenticating: associatedData(author, fields[2]))
        else { return nil }
        while plain.last == 0 { plain.removeLast() }
        guard plain.last == 0x80 else { return nil }
        return String(decoding: plain.dropLast(), as: UTF8.self)
    }

    private func associatedData(_ author: MemberID, _ key: String) -> Data {
        Data("shuttle sealed room v1\n\(talks)\n\(party)\n\(author)\n\(key)".utf8)
    }

    /// The AES key a room key is wrapped under between `from` and `to`: HKDF-SHA-256 over their
    /// P-256 agreement, bound to the talks, room, key and both members.
    private func wrappingKey(key: String, from: MemberID, to: MemberID, theirs: String) throws -> SymmetricKey {
        let other = try P256.KeyAgreement.PublicKey(x963Representation: try require(Data(base64Encoded: theirs)))
        let secret = try sealingKey.sharedSecretFromKeyAgreement(with: other)
        return secret.hkdfDerivedSymmetricKey(
            using: SHA256.self,
            salt: Data("shuttle sealed room v1".utf8),
            sharedInfo: Data("shuttle room key v1\n\(talks)\n\(party)\n\(key)\n\(from)\n\(to)".utf8),
            outputByteCount: 32
        )
    }
}

/// Thrown where a value the reference needs is missing.
struct Missing: Error {}

/// `value`, or ``Missing`` (`#require` is the test library's; this target stays out of it).
private func require<T>(_ value: T?) throws -> T {
    guard let value else { throw Missing() }
    return value
}
