import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import Logging
import NIOWebSocket
import Synchronization
import Testing
import WSClient

/// What an operator watches — metrics and logs — says how the service runs and nothing about
/// any talks: no talks id, member, token or text.
struct ServerMetricsTests {
    /// Log lines, kept in memory.
    final class Lines: Sendable {
        let all = Mutex<[String]>([])
        func append(_ line: String) { all.withLock { $0.append(line) } }
        var text: String { all.withLock { $0.joined(separator: "\n") } }
    }

    struct CapturingHandler: LogHandler {
        let lines: Lines
        var logLevel = Logger.Level.trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(
            level: Logger.Level,
            message: Logger.Message,
            metadata: Logger.Metadata?,
            source: String,
            file: String,
            function: String,
            line: UInt
        ) {
            lines.append("\(level) \(message) \(self.metadata.merging(metadata ?? [:]) { $1 })")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func metricsAndLogsCarryNoTalksTokenOrText() async throws {
        let lines = Lines()
        var logger = Logger(label: "shuttle") { _ in CapturingHandler(lines: lines) }
        // The most an operator turns on (`shuttle serve` logs from notice). At trace, the
        // WebSocket library dumps the first bytes of each frame, as hex.
        logger.logLevel = .debug
        let (metrics, secrets) = try await withAPI(.live, logger: logger) { api in
            let s = try await api.openTalks()
            for n in 1...3 {
                let posted = try await api.call(
                    .post,
                    s.path("/messages"),
                    token: s["us-principal"],
                    json: ["channel": "room", "text": "secret-text-\(n)"]
                )
                #expect(posted.status == .created)
            }
            // Refusals and bad input too: what was sent must not be echoed into the logs.
            _ = try await api.call(
                .post,
                s.path("/messages"),
                token: s["us-observer"],
                json: ["channel": "room", "text": "secret-text-refused"]
            )
            _ = try await api.call(
                .post,
                s.path("/messages"),
                token: s["us-principal"],
                raw: "{\"channel\": \"room\", \"text\": secret-text-malformed"
            )
            _ = try await api.call(.get, s.path("/events"), token: "secret-token-unknown")
            var configuration = WebSocketClientConfiguration()
            configuration.additionalHeaders[.authorization] = "Bearer \(s.mediator)"
            try await api.client.ws(s.path("/stream"), configuration: configuration) { inbound, outbound, _ in
                _ = try await TalksStreamTests.read(1, from: inbound)
                try await outbound.close(.normalClosure, reason: nil)
            }
            #expect(try await api.call(.get, "/metrics").status == .unauthorized)
            #expect(
                try await api.call(.get, "/metrics", token: s.mediator).status == .unauthorized,
                "a member may not read service-wide counts"
            )
            let metrics = try await api.call(.get, "/metrics", token: api.operatorToken)
            #expect(metrics.status == .ok)
            let hex = "secret-text".utf8.map { String(format: "%02x", $0) }.joined(separator: " ")
            let secrets =
                [s.id, s.mediator, api.operatorToken, "secret-text", "secret-token", "us principal", hex]
                + s.tokens.values + s.ids.values
            return (metrics.text, secrets)
        }
        #expect(metrics.contains("shuttle_events_appended_total"))
        #expect(metrics.contains("shuttle_command_duration") && metrics.contains("command=\"post\""))
        #expect(
            metrics.contains("http_requests_total{") && metrics.contains("route=\"/talks/{id}/messages\"")
                && metrics.contains("status=\"403\"")
        )

        #expect(metrics.contains("shuttle_loaded_talks") && metrics.contains("shuttle_open_streams"))
        let logs = lines.text
        #expect(!logs.isEmpty, "the server logged something to check")
        #expect(logs.contains("/talks/{id}/messages"), "at debug, each request's route is logged")
        for secret in secrets {
            #expect(!metrics.contains(secret), "metrics carry \(secret)")
            #expect(!logs.contains(secret), "logs carry \(secret)")
        }
    }
}
