import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import NIOWebSocket
import Talks
import TalksTesting
import Testing
import TransparencyLog
import WSClient

/// Nothing a member receives counts what they cannot see: the same script gives the US
/// principal the same bytes whether or not Iran is busy in between.
struct ViewNumbersTests {
    /// Everything the US principal is given over the script: the answers to their writes,
    /// their events, a later page, their export and their stream.
    ///
    /// With `sealed`, the rooms are sealed: Iran's busy room then also registers keys and shares
    /// its room key, and the US, which does not write in its room there, must see none of it.
    func usTranscript(iranBusy: Bool, sealed: Bool = false) async throws -> [String] {
        let clock: @Sendable () -> Double = { 1_764_000_000 }
        return try await withAPI(.live, clock: clock) { api in
            let s = try await api.openTalks(sealedRooms: sealed)
            var given: [String] = []
            var iran = SealedRoomMember(id: MemberID(s.ids["ir-principal"]!), party: "Iran", talks: s.id)
            var roomKey: String?
            func iranRoom(_ text: String) async throws -> String {
                guard sealed else { return text }
                if roomKey == nil {
                    let key = ["publicKey": iran.publicKey]
                    _ = try await api.call(.post, s.path("/sealing-key"), token: s["ir-principal"], json: key)
                    let share = try iran.newRoomKey(replacing: nil, for: [(iran.id, iran.publicKey)])
                    let body = try JSONSerialization.jsonObject(with: JSONEncoder().encode(share))
                    let shared = try await api.call(.post, s.path("/room-keys"), token: s["ir-principal"], json: body)
                    #expect(shared.status == .created, "\(shared.text)")
                    roomKey = share.key
                }
                return try iran.seal(text, with: roomKey!)
            }
            func busy() async throws {
                guard iranBusy else { return }
                for n in 1...3 {
                    let posted = try await api.call(
                        .post,
                        s.path("/messages"),
                        token: s["ir-principal"],
                        json: ["channel": "room", "text": try await iranRoom("Iran room \(n)")]
                    )
                    #expect(posted.status == .created, "\(posted.text)")
                }
                _ = try await api.call(
                    .post,
                    s.path("/messages"),
                    token: s["ir-expert"],
                    json: ["channel": "shuttle", "text": "Iran to the mediator"]
                )
                _ = try await api.call(
                    .post,
                    s.path("/proposals"),
                    token: s["ir-principal"],
                    json: ["package": ["enrichment": "20%", "relief": "full"]]
                )
                let answer = try await api.call(
                    .post,
                    s.path("/messages"),
                    token: s.mediator,
                    json: ["channel": "shuttle", "party": "Iran", "text": "noted"]
                )
                #expect(answer.status == .created)
            }
            func us(_ method: HTTPRequest.Method, _ path: String, _ json: [String: Any]) async throws {
                let reply = try await api.call(method, s.path(path), token: s["us-principal"], json: json)
                #expect(reply.status == .created, "\(reply.text)")
                given.append(reply.text)
            }
            try await busy()
            if !sealed { try await us(.post, "/messages", ["channel": "room", "text": "our floor"]) }
            try await busy()
            try await us(.post, "/messages", ["channel": "shuttle", "text": "US to the mediator"])
            try await busy()
            let made = try await api.call(
                .post,
                s.path("/proposals"),
                token: s.mediator,
                json: ["package": ["enrichment": "3.67%"], "parties": ["United States"]]
            )
            #expect(made.status == .created)
            try await busy()
            try await us(
                .post,
                "/proposals/P1/answer",
                ["answer": "counter", "counter": ["package": ["enrichment": "3.67%", "relief": "full"]]]
            )
            try await busy()
            try await us(.post, "/proposals", ["package": ["enrichment": "none", "relief": "full"]])
            try await busy()
            given.append(try await api.call(.get, s.path("/events"), token: s["us-principal"]).text)
            given.append(try await api.call(.get, s.path("/events?after=12&limit=3"), token: s["us-principal"]).text)
            given.append(try await api.call(.get, s.path("/export"), token: s["us-principal"]).text)
            let count = try await api.call(.get, s.path("/events"), token: s["us-principal"]).events.count
            var configuration = WebSocketClientConfiguration()
            configuration.additionalHeaders[.authorization] = "Bearer \(s["us-principal"])"
            let streamed = Texts()
            try await api.client.ws(s.path("/stream?after=10"), configuration: configuration) { inbound, outbound, _ in
                var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                while await streamed.count < count - 10, let message = try await iterator.next() {
                    if case .text(let text) = message { await streamed.append(text) }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            given += await streamed.all
            given = try await Self.checkedReceipts(in: given, for: s["us-principal"], of: s, api: api)
            // Member ids are random per run; everything else must match byte for byte.
            return given.map { text in s.ids.reduce(text) { $0.replacingOccurrences(of: $1.value, with: "<\($1.key)>") }
            }
        }
    }

    /// `given`, with each receipt checked against the member's export and checkpoint (signed by
    /// the server's key), then written as its index and size, and the checkpoint's size added:
    /// their hashes and signatures cover member ids, which are random per run, and are checked
    /// here instead; their sizes must match from run to run.
    static func checkedReceipts(
        in given: [String],
        for token: String,
        of s: Session,
        api: API
    ) async throws -> [String] {
        let seen = try await CheckpointsAndProofsTests.seen(by: token, in: s, api: api)
        let audit = LogAudit(lines: seen.lines, key: seen.key)
        return try given.map { text in
            let reply = Reply(status: .ok, text: text)
            guard reply.object["receipt"] != nil else { return text }
            let receipt = try CheckpointsAndProofsTests.receipt(in: reply)
            try audit.verify(receipt: receipt, against: seen.checkpoint)
            let size = try Checkpoint(parsing: try SignedNote(parsing: receipt.checkpoint).text).size
            return text.replacingOccurrences(
                of: text[text.range(of: ",\"receipt\":")!.lowerBound...].dropLast(),
                with: ",\"receipt\":{\"index\":\(receipt.index),\"size\":\(size)}"
            )
        } + ["checkpoint of \(seen.checkpoint.size)"]
    }

    actor Texts {
        var all: [String] = []
        var count: Int { all.count }
        func append(_ text: String) { all.append(text) }
    }

    @Test(.timeLimit(.minutes(1)))
    func theSameScriptGivesTheSameBytesWhetherOrNotTheOtherSideIsBusy() async throws {
        let quiet = try await usTranscript(iranBusy: false)
        let busy = try await usTranscript(iranBusy: true)
        #expect(busy == quiet)
        #expect(quiet.count > 8 && quiet.contains { $0.contains("\"id\":\"P2\"") }, "the US's counter is its own P2")
        #expect(!quiet.joined().contains("\"hash\""))
    }

    @Test(.timeLimit(.minutes(1)))
    func sealedRoomsNeitherShowNorCountTheOtherSidesKeysOrMessages() async throws {
        let quiet = try await usTranscript(iranBusy: false, sealed: true)
        let busy = try await usTranscript(iranBusy: true, sealed: true)
        #expect(busy == quiet)
        #expect(quiet.count > 8 && !quiet.joined().contains("sealing-key") && !quiet.joined().contains("room-key"))
    }

    @Test func aCursorNeverGivenIsRefused() async throws {
        try await withAPI { api in
            let s = try await api.openTalks()
            let count = try await api.call(.get, s.path("/events"), token: s["us-expert"]).events.count
            let next = try await api.call(.get, s.path("/events?after=\(count)"), token: s["us-expert"])
            #expect(next.status == .ok && next.events.isEmpty && next.object["more"] as? Bool == false)
            for bad in ["-1", "-2.2e-16", "x", "", "99999999999999999999"] {
                let reply = try await api.call(.get, s.path("/events?after=\(bad)"), token: s["us-expert"])
                #expect(reply.status == .unprocessableContent, "after=\(bad): \(reply.text)")
            }
            // Well formed, but not a number this member was given.
            let beyond = try await api.call(.get, s.path("/events?after=\(count + 1)"), token: s["us-expert"])
            #expect(
                beyond.status == .notFound
                    && (beyond.object["detail"] as? String)?.contains("not an event you were given") == true
            )
            let page = try await api.call(.get, s.path("/events?after=0&limit=2"), token: s["us-expert"])
            #expect(page.events.map { $0["seq"] as? Int } == [1, 2] && page.object["more"] as? Bool == true)
            for bad in ["0", "1001", "two"] {
                #expect(
                    try await api.call(.get, s.path("/events?limit=\(bad)"), token: s["us-expert"]).status
                        == .unprocessableContent
                )
            }
        }
    }
}
