import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import NIOWebSocket
import NegotiationEngine
import Talks
import TalksServer
import TalksStore
import TalksTesting
import Testing
import WSClient

/// Random commands from random members through the HTTP API (rehearsals and guesses among them);
/// then, for every member, what the events route, the export and the stream give is exactly what
/// the glossary's rules allow.
struct VisibilityThroughTheAPITests {
    /// Seeds 2 and 3 seal the rooms: every delegate registers a key, each principal shares the
    /// room's key, and room messages are envelopes.
    @Test(.timeLimit(.minutes(2)), arguments: 0..<4)
    func everyPathOutGivesExactlyTheAllowedEvents(seed: Int) async throws {
        try await withAPI(.live) { api in
            let client = api.client
            let sealed = seed >= 2
            let s = try await api.openTalks(sealedRooms: sealed)
            let sealers = sealed ? try await Self.sealRooms(of: s, api: api) : [:]
            var generator = SeededGenerator(seed: UInt64(seed))
            let members = ["mediator"] + s.tokens.keys.sorted()
            func token(_ name: String) -> String { name == "mediator" ? s.mediator : s[name] }
            _ = try await api.call(
                .post,
                s.path("/tracks"),
                token: s.mediator,
                json: ["name": "experts", "level": "technical", "members": [s.ids["us-expert"]!, s.ids["ir-expert"]!]]
            )
            _ = try await api.call(
                .post,
                s.path("/clauses"),
                token: s.mediator,
                json: ["title": "Scope", "text": "[nuclear only]"]
            )
            // Each delegation's preferences and its guess of the other's, so that rehearsals run.
            let preferences: [String: Any] = [
                "weights": ["enrichment": 0.5, "relief": 0.5], "forbidden": [String: [String]](),
                "reservationValue": 0.25,
                "values": [
                    "enrichment": ["none": 0, "3.67%": 0.5, "20%": 1], "relief": ["full": 1, "phased": 0.5, "none": 0],
                ],
            ]
            for (member, other) in [("us-principal", "Iran"), ("ir-principal", "United States")] {
                _ = try await api.call(.put, s.path("/preferences"), token: s[member], json: preferences)
                _ = try await api.call(
                    .put,
                    s.path("/guesses/\(other.replacingOccurrences(of: " ", with: "%20"))"),
                    token: s[member],
                    json: preferences
                )
            }
            for step in 0..<120 {
                let actor = members.randomElement(using: &generator)!
                let party = ["United States", "Iran"].randomElement(using: &generator)!
                let text = "<\(seed)-\(step)>"
                let reply: Reply
                switch Int.random(in: 0..<12, using: &generator) {
                case 0:
                    let sealer = sealers[actor]
                    reply = try await api.call(
                        .post,
                        s.path("/messages"),
                        token: token(actor),
                        json: ["channel": "room", "text": try sealer.map { try $0.seal(text, with: $1) } ?? text]
                    )
                case 1, 2:
                    reply = try await api.call(
                        .post,
                        s.path("/messages"),
                        token: token(actor),
                        json: ["channel": "shuttle", "party": party, "text": text]
                    )
                case 3:
                    reply = try await api.call(
                        .post,
                        s.path("/messages"),
                        token: token(actor),
                        json: ["channel": "track:experts", "text": text]
                    )
                case 4:
                    // A party's shuttle message, by the mediator's own number for it.
                    let seen = try await api.call(.get, s.path("/events"), token: s.mediator).events
                    let messages = seen.filter {
                        $0["type"] as? String == "message-posted"
                            && ($0["channel"] as? String)?.hasPrefix("shuttle:") == true
                    }
                    let message = messages.randomElement(using: &generator)?["seq"] as? Int ?? 1
                    let mode = ["verbatim", "paraphrase", "withhold"].randomElement(using: &generator)!
                    reply = try await api.call(
                        .post,
                        s.path("/relays"),
                        token: s.mediator,
                        json: ["message": message, "party": party, "mode": mode, "text": text]
                    )
                case 5:
                    reply = try await api.call(
                        .post,
                        s.path("/proposals"),
                        token: token(actor),
                        json: ["package": ["enrichment": "3.67%"], "parties": [party]]
                    )
                case 6:
                    reply = try await api.call(
                        .post,
                        s.path("/proposals/P\(Int.random(in: 1...5, using: &generator))/forward"),
                        token: s.mediator,
                        json: ["party": party]
                    )
                case 7:
                    reply = try await api.call(
                        .post,
                        s.path("/clauses/C1/alternatives"),
                        token: token(actor),
                        json: ["text": text]
                    )
                case 8:
                    // A rehearsal, watched or played one move in: in the actor's room, or refused.
                    let moves: [[String: Any]] =
                        Bool.random(using: &generator)
                        ? [] : [["type": "offer", "package": ["enrichment": "none", "relief": "full"]]]
                    reply = try await api.call(
                        .post,
                        s.path("/rehearsals"),
                        token: token(actor),
                        json: [
                            "counterpart": "conceder",
                            "protocol": ["sao", "shuttle", "single-text"].randomElement(using: &generator)!,
                            "steps": 10,
                            "seed": step, "moves": moves,
                        ].merging(moves.isEmpty ? ["player": "linear"] : [:]) { $1 }
                    )
                case 9:
                    reply = try await api.call(
                        .put,
                        s.path("/guesses/\(party.replacingOccurrences(of: " ", with: "%20"))"),
                        token: token(actor),
                        json: preferences
                    )
                case 10:
                    // Elicitation answers, stored in the actor's room or refused; read back there alone.
                    // A random order of relief: some conflict with the actor's room's earlier ones.
                    let order = ["none", "phased", "full"].shuffled(using: &generator).map { [$0] }
                    reply = try await api.call(
                        .post,
                        s.path("/elicitation/answers"),
                        token: token(actor),
                        json: ["answer": ["kind": "order", "issue": "relief", "levels": order]]
                    )
                default:
                    reply = try await api.call(.put, s.path("/preferences"), token: token(actor), json: preferences)
                }
                #expect([200, 201, 403, 404, 409, 422].contains(Int(reply.status.code)), "\(reply.text)")
            }

            // The god's-eye view: the whole record, straight from the store.
            let record = try await api.store.load(TalksID(s.id))
            let state = record.talks.state
            #expect(record.events.count > 40)
            for name in members {
                let memberID = name == "mediator" ? state.mediator!.id : MemberID(s.ids[name]!)
                let member = state.members[memberID]!
                // Each member's own numbers, 1, 2, 3…, over exactly the events the rules allow.
                let allowed = record.events.filter { VisibilityOracle.shouldSee(member, $0.event, state: state) }
                let expected = allowed.enumerated().map {
                    Self.signature(
                        seq: $0.offset + 1,
                        type: $0.element.event.type,
                        text: Self.text(of: $0.element.event)
                    )
                }
                let events = try await api.call(.get, s.path("/events"), token: token(name)).events.map(Self.signature)
                #expect(events == expected, "\(name): events")
                let export = try await api.call(.get, s.path("/export"), token: token(name)).text.split(separator: "\n")
                    .map {
                        Self.signature(try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])
                    }
                #expect(export == expected, "\(name): export")
                if ["mediator", "us-observer", "ir-expert"].contains(name) {
                    var configuration = WebSocketClientConfiguration()
                    configuration.additionalHeaders[.authorization] = "Bearer \(token(name))"
                    let count = expected.count
                    try await client.ws(s.path("/stream"), configuration: configuration) { inbound, outbound, _ in
                        let streamed = try await TalksStreamTests.read(count, from: inbound).map(Self.signature)
                        #expect(streamed == expected, "\(name): stream")
                        try await outbound.close(.normalClosure, reason: nil)
                    }
                }
            }
        }
    }

    /// Every delegate's sealing key registered, and each room's key made by its principal for
    /// all: each delegate's sealer and the room key's id.
    static func sealRooms(of s: Session, api: API) async throws -> [String: (SealedRoomMember, String)] {
        var sealers: [String: (SealedRoomMember, String)] = [:]
        for prefix in ["us", "ir"] {
            let party = prefix == "us" ? "United States" : "Iran"
            var members = s.ids.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }.map {
                ($0.key, SealedRoomMember(id: MemberID($0.value), party: party, talks: s.id))
            }
            for (name, member) in members {
                let key = ["publicKey": member.publicKey]
                let registered = try await api.call(.post, s.path("/sealing-key"), token: s[name], json: key)
                #expect(registered.status == .created, "\(registered.text)")
            }
            let principal = try #require(members.firstIndex { $0.0 == "\(prefix)-principal" })
            let share = try members[principal].1.newRoomKey(
                replacing: nil,
                for: members.map { ($0.1.id, $0.1.publicKey) }
            )
            let body = try JSONSerialization.jsonObject(with: JSONEncoder().encode(share))
            let shared = try await api.call(.post, s.path("/room-keys"), token: s["\(prefix)-principal"], json: body)
            #expect(shared.status == .created, "\(shared.text)")
            for index in members.indices {
                try members[index].1.receive(share, from: members[principal].1.id)
                sealers[members[index].0] = (members[index].1, share.key)
            }
        }
        return sealers
    }

    static func signature(seq: Int, type: String, text: String?) -> String { "\(seq) \(type) \(text ?? "")" }

    static func signature(_ event: [String: Any]) -> String {
        signature(seq: event["seq"] as! Int, type: event["type"] as! String, text: event["text"] as? String)
    }

    /// The text an event carries, as clients read it in `text`.
    static func text(of event: TalksEvent) -> String? {
        switch event {
        case .messagePosted(_, _, let text), .messageRelayed(_, let text), .alternativeProposed(_, _, let text),
            .clauseAdded(_, _, let text),
            .clauseSettled(_, _, let text, _), .readoutPublished(_, _, let text), .jointStatementPublished(_, let text):
            text
        default: nil
        }
    }
}
