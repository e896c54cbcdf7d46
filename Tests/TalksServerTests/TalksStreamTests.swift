import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import NIOWebSocket
import TalksServer
import TalksStore
import Testing
import WSClient

struct TalksStreamTests {
    /// Reads `count` text messages as JSON objects.
    static func read(_ count: Int, from inbound: WebSocketInboundStream) async throws -> [[String: Any]] {
        var result: [[String: Any]] = []
        var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
        while result.count < count, let message = try await iterator.next() {
            guard case .text(let text) = message else { continue }
            result.append(try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any])
        }
        return result
    }

    @Test(.timeLimit(.minutes(1)))
    func streamsTheBacklogThenLiveEventsTheCallerMaySee() async throws {
        try await withAPI(.live) { api in
            let client = api.client
            let s = try await api.openTalks()
            let before = try await api.call(.get, s.path("/events"), token: s["ir-principal"]).events.count
            var configuration = WebSocketClientConfiguration()
            configuration.additionalHeaders[.authorization] = "Bearer \(s["ir-principal"])"
            try await client.ws(s.path("/stream?after=0"), configuration: configuration) { inbound, outbound, _ in
                // Writes from another member while the stream is open: one visible, one not.
                Task {
                    _ = try await api.call(
                        .post,
                        s.path("/messages"),
                        token: s["us-principal"],
                        json: ["channel": "room", "text": "US-only words"]
                    )
                    _ = try await api.call(
                        .post,
                        s.path("/messages"),
                        token: s.mediator,
                        json: ["channel": "shuttle", "party": "Iran", "text": "for Iran"]
                    )
                }
                let events = try await Self.read(before + 1, from: inbound)
                #expect(events.map { $0["seq"] as! Int } == events.map { $0["seq"] as! Int }.sorted())
                #expect(Set(events.map { $0["seq"] as! Int }).count == events.count, "no event twice")
                #expect(events.last?["text"] as? String == "for Iran")
                #expect(!events.contains { ($0["text"] as? String) == "US-only words" })
                try await outbound.close(.normalClosure, reason: nil)
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func browsersSendTheTokenAsTheFirstMessageAndResumeAfterADrop() async throws {
        try await withAPI(.live) { api in
            let client = api.client
            let s = try await api.openTalks()
            let all = try await api.call(.get, s.path("/events"), token: s["us-observer"]).events.map {
                $0["seq"] as! Int
            }
            let resumeAfter = all[all.count - 3]
            try await client.ws(s.path("/stream?after=\(resumeAfter)")) { inbound, outbound, _ in
                try await outbound.write(.text("{\"token\": \"\(s["us-observer"])\"}"))
                let events = try await Self.read(2, from: inbound)
                #expect(events.map { $0["seq"] as! Int } == Array(all.suffix(2)))
                try await outbound.close(.normalClosure, reason: nil)
            }
            // A wrong first message closes the connection without a single event.
            let frame = try await client.ws(s.path("/stream")) { inbound, outbound, _ in
                try await outbound.write(.text("{\"token\": \"wrong\"}"))
                #expect(try await Self.read(1, from: inbound).isEmpty)
            }
            #expect(frame?.closeCode == .policyViolation)
            // A wrong Authorization header is refused at the upgrade.
            var configuration = WebSocketClientConfiguration()
            configuration.additionalHeaders[.authorization] = "Bearer wrong"
            await #expect(throws: WebSocketClientError.webSocketUpgradeFailed) {
                try await client.ws(s.path("/stream"), configuration: configuration) { _, _, _ in }
            }
        }
    }
}
