import Foundation
import Hummingbird
import HummingbirdTesting
import Talks
import TalksTesting
import Testing

/// Sealed rooms through the API: plain text refused with the reason, keys reaching the
/// delegation alone, and a sealed message that a colleague opens and nobody else reads.
struct SealedRoomsAPITests {
    @Test func unsealedRoomsWorkAsBeforeAndTakeNoKeys() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            #expect(
                try await api.call(.get, s.path("/me"), token: s["us-principal"]).object["sealedRooms"] as? Bool
                    == false
            )
            let posted = try await api.call(
                .post,
                s.path("/messages"),
                token: s["us-principal"],
                json: ["channel": "room", "text": "plain, as before"]
            )
            #expect(posted.status == .created)
            let member = SealedRoomMember(id: MemberID(s.ids["us-principal"]!), party: "United States", talks: s.id)
            let key = try await api.call(
                .post,
                s.path("/sealing-key"),
                token: s["us-principal"],
                json: ["publicKey": member.publicKey]
            )
            #expect(key.status == .conflict && key.text.contains("not sealed"), "\(key.text)")
        }
    }

    @Test func aSealedRoomCarriesOnlyCiphertextThatAColleagueOpens() async throws {
        try await withAPI { api in
            let s = try await api.openTalks(sealedRooms: true)
            let (a, b) = ("us-principal", "us-expert")
            #expect(try await api.call(.get, s.path("/me"), token: s[a]).object["sealedRooms"] as? Bool == true)
            let plain = try await api.call(
                .post,
                s.path("/messages"),
                token: s[a],
                json: ["channel": "room", "text": "our red line"]
            )
            #expect(
                plain.status == .unprocessableContent && plain.text.contains("this room is sealed"),
                "\(plain.text)"
            )

            var alice = SealedRoomMember(id: MemberID(s.ids[a]!), party: "United States", talks: s.id)
            var bob = SealedRoomMember(id: MemberID(s.ids[b]!), party: "United States", talks: s.id)
            for (token, member) in [(a, alice), (b, bob)] {
                let registered = try await api.call(
                    .post,
                    s.path("/sealing-key"),
                    token: s[token],
                    json: ["publicKey": member.publicKey]
                )
                #expect(registered.status == .created, "\(registered.text)")
            }
            let share = try alice.newRoomKey(
                replacing: nil,
                for: [(alice.id, alice.publicKey), (bob.id, bob.publicKey)]
            )
            let shared = try await api.call(.post, s.path("/room-keys"), token: s[a], json: json(share))
            #expect(shared.status == .created, "\(shared.text)")
            let again = try await api.call(.post, s.path("/room-keys"), token: s[a], json: json(share))
            #expect(again.status == .conflict && again.text.contains("already holds"), "\(again.text)")

            let secret = "We could accept 3.67% if relief is phased"
            let sealed = try await api.call(
                .post,
                s.path("/messages"),
                token: s[a],
                json: ["channel": "room", "text": try alice.seal(secret, with: share.key)]
            )
            #expect(sealed.status == .created, "\(sealed.text)")

            // The colleague takes the room key from their own events and opens the message.
            let events = try await api.call(.get, s.path("/events"), token: s[b]).events
            let keyEvent = try #require(events.first { $0["type"] as? String == "room-key-shared" })
            let received = try JSONDecoder().decode(
                TalksEvent.self,
                from: JSONSerialization.data(withJSONObject: keyEvent)
            )
            guard case .roomKeyShared(_, let from, let wrappedShare) = received else { throw Unexpected() }
            try bob.receive(wrappedShare, from: from)
            let message = try #require(events.first { $0["type"] as? String == "message-posted" })
            #expect(bob.open(message["text"] as! String, by: alice.id) == secret)

            // Nobody else is told of the keys, and no reply or export holds the text.
            for token in [s.mediator, s["ir-principal"]] {
                let theirs = try await api.call(.get, s.path("/events"), token: token).text
                #expect(!theirs.contains("sealing-key-registered") && !theirs.contains("room-key-shared"))
            }
            let export = try await api.call(.get, s.path("/export"), token: s[b]).text
            #expect(export.contains("sealed:v1:") && !export.contains("3.67% if relief"))
            #expect(!export.contains(Data(secret.utf8).base64EncodedString().prefix(24)))
        }
    }

    @Test func aMalformedShareIsRefusedNamingTheField() async throws {
        try await withAPI { api in
            let s = try await api.openTalks(sealedRooms: true)
            let missing = try await api.call(
                .post,
                s.path("/room-keys"),
                token: s["us-principal"],
                json: ["key": "0123456789abcdef0123456789abcdef"]
            )
            #expect(missing.status == .unprocessableContent && missing.text.contains("senderKey"), "\(missing.text)")
        }
    }

    struct Unexpected: Error {}

    func json(_ share: RoomKeyShare) throws -> Any {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(share))
    }
}
