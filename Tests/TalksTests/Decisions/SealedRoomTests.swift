import Crypto
import Foundation
import Talks
import TalksTesting
import Testing

/// Sealed rooms: the room takes only envelopes sealed with its current key, keys are handed
/// between one delegation's members only, and a member who leaves makes the room need a new key.
struct SealedRoomTests {
    let principal = Fixture.id("US", .principal)
    let expert = Fixture.id("US", .expert)
    let observer = Fixture.id("US", .observer)

    /// Sealed talks where the US principal and expert registered keys and the principal made the
    /// room's first key for both.
    func sealed() throws -> (Fixture, SealedRoomMember, SealedRoomMember) {
        var f = try Fixture(sealedRooms: true)
        var a = SealedRoomMember(id: principal, party: "US", talks: "t")
        var b = SealedRoomMember(id: expert, party: "US", talks: "t")
        try f.run(.registerSealingKey(publicKey: a.publicKey), by: principal)
        try f.run(.registerSealingKey(publicKey: b.publicKey), by: expert)
        let first = try a.newRoomKey(replacing: nil, for: [(principal, a.publicKey), (expert, b.publicKey)])
        let shared = try f.run(.shareRoomKey(first), by: principal)
        guard case .roomKeyShared(_, let from, let share) = shared[0].event else { throw Missing() }
        try b.receive(share, from: from)
        return (f, a, b)
    }

    struct Missing: Error {}

    @Test func aSealedRoomRefusesPlainTextNamingWhy() throws {
        var f = try Fixture(sealedRooms: true)
        #expect(throws: TalksError.self) {
            try f.run(.post(channel: .room(party: "US"), text: "our red line"), by: principal)
        }
        do {
            try f.run(.post(channel: .room(party: "US"), text: "our red line"), by: principal)
        } catch {
            #expect(error.kind == .invalid)
            #expect(error.message.contains("this room is sealed"))
        }
        // The shuttle channel, the framework text and the rest are not sealed.
        try f.run(.post(channel: .shuttle(party: "US"), text: "to the mediator"), by: principal)
    }

    @Test func aColleagueOpensWhatAMemberSealed() throws {
        var (f, a, b) = try sealed()
        let key = try #require(f.talks.state.roomKeys["US"]?.current)
        let posted = try f.run(
            .post(channel: .room(party: "US"), text: try a.seal("our red line is 3.67%", with: key)),
            by: principal
        )
        guard case .messagePosted(_, let author, let envelope) = posted[0].event else { throw Missing() }
        #expect(!envelope.contains("3.67%"))
        #expect(!envelope.contains(Data("our red line".utf8).base64EncodedString().dropLast(4)))
        #expect(b.open(envelope, by: author) == "our red line is 3.67%")
        // Bound to its author: the same bytes said to come from another member do not open.
        #expect(b.open(envelope, by: expert) == nil)
        a.roomKeys = [:]
        #expect(a.open(envelope, by: author) == nil)
    }

    @Test func theRoomTakesNoMessageBeforeItHasAKeyOrWithAnOldOne() throws {
        var f = try Fixture(sealedRooms: true)
        var a = SealedRoomMember(id: principal, party: "US", talks: "t")
        let envelope = try { () throws -> String in
            a.roomKeys["0123456789abcdef0123456789abcdef"] = .init(size: .bits256)
            return try a.seal("x", with: "0123456789abcdef0123456789abcdef")
        }()
        #expect(throws: TalksError.rule("US's room has no key yet; a member's page makes one when it opens the room")) {
            try f.run(.post(channel: .room(party: "US"), text: envelope), by: principal)
        }
        try f.run(.registerSealingKey(publicKey: a.publicKey), by: principal)
        let share = try a.newRoomKey(replacing: nil, for: [(principal, a.publicKey)])
        try f.run(.shareRoomKey(share), by: principal)
        #expect(throws: TalksError.rule("the room's key is now \(share.key); seal the message with it")) {
            try f.run(.post(channel: .room(party: "US"), text: envelope), by: principal)
        }
    }

    @Test func aMemberWhoLeavesMakesTheRoomNeedANewKeyTheyCannotOpen() throws {
        var (f, a, b) = try sealed()
        let old = try #require(f.talks.state.roomKeys["US"]?.current)
        try f.run(.removeMember(expert), by: f.mediator)
        #expect(f.talks.state.roomKeys["US"]?.needsNewKey == true)
        #expect(f.talks.state.sealingKeys[expert] == nil)
        #expect(throws: TalksError.self) {
            try f.run(.post(channel: .room(party: "US"), text: try a.seal("after", with: old)), by: principal)
        }
        // A new key must replace the current one, and goes to members who remain.
        let stale = try a.newRoomKey(replacing: nil, for: [(principal, a.publicKey)])
        #expect(throws: TalksError.rule("the room's key is now \(old); a new key replaces it")) {
            try f.run(.shareRoomKey(stale), by: principal)
        }
        #expect(throws: TalksError.rule("\(expert) is not a member of US's delegation")) {
            try f.run(.shareRoomKey(try a.newRoomKey(replacing: old, for: [(expert, b.publicKey)])), by: principal)
        }
        let fresh = try a.newRoomKey(replacing: old, for: [(principal, a.publicKey)])
        try f.run(.shareRoomKey(fresh), by: principal)
        let posted = try f.run(
            .post(channel: .room(party: "US"), text: try a.seal("after", with: fresh.key)),
            by: principal
        )
        guard case .messagePosted(_, _, let envelope) = posted[0].event else { throw Missing() }
        #expect(b.open(envelope, by: principal) == nil)
        #expect(a.open(envelope, by: principal) == "after")
    }

    @Test func aReplacedLinkDropsTheMembersKeyAndTheRoomsKey() throws {
        var (f, a, b) = try sealed()
        try f.run(.replaceLink(member: expert), by: f.mediator)
        #expect(f.talks.state.sealingKeys[expert] == nil)
        #expect(f.talks.state.roomKeys["US"]?.needsNewKey == true)
        // Wrapping to the key the old link registered is refused; the new link registers anew.
        let old = try #require(f.talks.state.roomKeys["US"]?.current)
        #expect(throws: TalksError.rule("\(expert)'s sealing key has changed; wrap to the registered one")) {
            try f.run(.shareRoomKey(try a.newRoomKey(replacing: old, for: [(expert, b.publicKey)])), by: principal)
        }
        let renewed = SealedRoomMember(id: expert, party: "US", talks: "t")
        try f.run(.registerSealingKey(publicKey: renewed.publicKey), by: expert)
        let fresh = try a.newRoomKey(replacing: old, for: [(principal, a.publicKey), (expert, renewed.publicKey)])
        try f.run(.shareRoomKey(fresh), by: principal)
        #expect(f.talks.state.roomKeys["US"]?.needsNewKey == false)
        // The old key, shared again with the renewed member, lets them read the history.
        try f.run(.shareRoomKey(try a.share(old, with: [(expert, renewed.publicKey)])), by: principal)
        #expect(throws: TalksError.rule("\(expert) already holds room key \(old)")) {
            try f.run(.shareRoomKey(try a.share(old, with: [(expert, renewed.publicKey)])), by: principal)
        }
    }

    @Test func keysAreHandedWithinTheDelegationAndNeverByTheMediator() throws {
        var (f, a, _) = try sealed()
        let iran = SealedRoomMember(id: Fixture.id("Iran", .principal), party: "Iran", talks: "t")
        try f.run(.registerSealingKey(publicKey: iran.publicKey), by: iran.id)
        let key = try #require(f.talks.state.roomKeys["US"]?.current)
        #expect(throws: TalksError.rule("\(iran.id) is not a member of US's delegation")) {
            try f.run(.shareRoomKey(try a.share(key, with: [(iran.id, iran.publicKey)])), by: principal)
        }
        #expect(throws: TalksError.forbidden("the mediator has no room; only a delegate may register a sealing key")) {
            try f.run(.registerSealingKey(publicKey: a.publicKey), by: f.mediator)
        }
        var forged = try a.share(key, with: [(observer, a.publicKey)])
        forged.senderKey = iran.publicKey
        #expect(throws: TalksError.rule("'senderKey' is not your registered sealing key; register it first")) {
            try f.run(.shareRoomKey(forged), by: principal)
        }
        // An observer writes nothing, but holds keys to read the room.
        let reader = SealedRoomMember(id: observer, party: "US", talks: "t")
        try f.run(.registerSealingKey(publicKey: reader.publicKey), by: observer)
        #expect(throws: TalksError.forbidden("observers read; they do not write")) {
            try f.run(.post(channel: .room(party: "US"), text: try a.seal("x", with: key)), by: observer)
        }
        // Every key event reaches the delegation's room alone.
        let keyEvents = f.record.filter { [.sealingKeyRegistered, .roomKeyShared].contains($0.event.kind) }
        #expect(keyEvents.count == 5)
        #expect(keyEvents.allSatisfy { $0.audience == [.room(party: "US")] || $0.audience == [.room(party: "Iran")] })
    }

    @Test func malformedKeysAndEnvelopesAreRefusedAsSuch() throws {
        var (f, a, _) = try sealed()
        let key = try #require(f.talks.state.roomKeys["US"]?.current)
        for bad in ["", "abc", Data(repeating: 4, count: 65).base64EncodedString()] {
            #expect(
                throws: TalksError.invalid("a sealing key is the base64 of a 65-byte uncompressed P-256 public key")
            ) {
                try f.run(.registerSealingKey(publicKey: bad), by: principal)
            }
        }
        let good = try a.seal("x", with: key).split(separator: ":").map(String.init)
        let broken = [
            "sealed:v2:\(key):\(good[3]):\(good[4])", "sealed:v1:XYZ:\(good[3]):\(good[4])",
            "sealed:v1:\(key):AAAA:\(good[4])", "sealed:v1:\(key):\(good[3]):AAAA",
            "sealed:v1:\(key):\(good[3]):\(String(repeating: "A", count: 20_000))",
        ]
        for envelope in broken {
            #expect(throws: TalksError.self) {
                try f.run(.post(channel: .room(party: "US"), text: envelope), by: principal)
            }
            do { try f.run(.post(channel: .room(party: "US"), text: envelope), by: principal) } catch {
                #expect(error.kind == .invalid, "\(envelope.prefix(60)): \(error)")
            }
        }
        var share = try a.share(key, with: [(principal, a.publicKey)])
        share.wrapped[0].wrap = "AAAA"
        #expect(throws: TalksError.invalid("a wrap is the base64 of 60 bytes: nonce, room key and tag")) {
            try f.run(.shareRoomKey(share), by: principal)
        }
    }

    @Test func unsealedTalksTakeNoKeys() throws {
        var f = try Fixture()
        let a = SealedRoomMember(id: principal, party: "US", talks: "t")
        #expect(throws: TalksError.rule("the rooms of these talks are not sealed")) {
            try f.run(.registerSealingKey(publicKey: a.publicKey), by: principal)
        }
        try f.run(.post(channel: .room(party: "US"), text: "plain, as before"), by: principal)
    }
}
