import Crypto
import Foundation
import Talks
import TalksTesting
import Testing

/// A fixed vector of a sealed room (`Tests/TalksTests/Fixtures/sealed-room-vector.json`): a room
/// key wrapped by member `a` for member `b`, and a message `a` sealed with it. Swift opens it
/// here; the browser test has the pages' `sealing.js` open the same file, which holds the two
/// implementations to one format. It was made with `SealedRoomMember` (`newRoomKey`, then `seal`
/// of a Persian and English text) for a recipient whose private key the file gives as a JWK.
struct SealedRoomVectorTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/sealed-room-vector.json")

    struct Vector: Codable {
        var talks: String
        var party: String
        var author: String
        var recipient: String
        /// The recipient's private key as a JWK (`d`, `x`, `y` in base64url), as WebCrypto imports it.
        var recipientKey: [String: String]
        var share: RoomKeyShare
        var envelope: String
        var text: String
    }

    @Test func swiftOpensTheVector() throws {
        let vector = try JSONDecoder().decode(Vector.self, from: Data(contentsOf: Self.file))
        let encoded = try #require(vector.recipientKey["d"])
        let d = try #require(Data(base64URL: encoded))
        var b = SealedRoomMember(
            id: MemberID(vector.recipient),
            party: vector.party,
            talks: vector.talks,
            sealingKey: try P256.KeyAgreement.PrivateKey(rawRepresentation: d)
        )
        #expect(vector.share.wrapped.first?.publicKey == b.publicKey)
        try b.receive(vector.share, from: MemberID(vector.author))
        #expect(b.open(vector.envelope, by: MemberID(vector.author)) == vector.text)
        #expect(b.open(vector.envelope, by: MemberID(vector.recipient)) == nil)
        #expect(throws: Never.self) { try SealedEnvelope(parsing: vector.envelope) }
    }
}

extension Data {
    init?(base64URL text: String) {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        self.init(base64Encoded: standard)
    }
}
