import CommandTesting
import Foundation
import Logging
import NIOWebSocket
import Testing
import WSClient

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Stops `shuttle serve` with SIGKILL or SIGTERM while clients write, starts it again on the
/// same database, and finds every acknowledged event with the chain intact.
@Suite(.serialized)
struct DurabilityTests {
    final class Server {
        let process = Process()
        let port: Int

        init(database: String, port: Int) throws {
            self.port = port
            process.executableURL = ShuttleCommandTests.binary
            process.arguments = ["serve", "--database", database, "--port", String(port)]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        /// Sends `signal` and waits for the server to end, on a thread outside the tests' pool: a
        /// server shutting down gracefully waits for its clients, and they run on that pool.
        func stop(with signal: Int32) async {
            Foundation.kill(process.processIdentifier, signal)
            await withCheckedContinuation { ended in
                DispatchQueue.global().async { [process] in
                    process.waitUntilExit()
                    ended.resume()
                }
            }
        }

        /// For a `defer`: SIGKILL needs nothing of the clients, so the wait may block.
        func kill() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    actor Progress {
        var count = 0
        func add() { count += 1 }
    }

    static func request(
        _ method: String,
        _ url: String,
        token: String? = nil,
        json: [String: Any]? = nil
    ) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.timeoutInterval = 5
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let object = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        return ((response as! HTTPURLResponse).statusCode, object)
    }

    static func waitUntilUp(_ base: String) async throws {
        for _ in 0..<100 {
            if let (status, _) = try? await request("GET", base + "/openapi.json"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the server did not start")
    }

    @Test(.timeLimit(.minutes(2)))
    func acknowledgedEventsSurviveSIGKILL() async throws {
        let (database, _) = try await writeWhileStopping(with: SIGKILL)
        let verify = try await ShuttleCommandTests.shuttle("verify", "--database", database)
        #expect(verify.status == 0)
        #expect(verify.output.contains("intact"))
    }

    /// SIGTERM: the server finishes the writes under way, closes the streams with a close code,
    /// and exits 0; nothing acknowledged is lost.
    @Test(.timeLimit(.minutes(2)))
    func sigtermFinishesWritesAndClosesStreams() async throws {
        let (_, stopped) = try await writeWhileStopping(with: SIGTERM)
        #expect(stopped.status == 0 && stopped.reason == .exit, "a graceful shutdown exits 0")
        let code = try #require(stopped.streamClosed, "the stream was closed with a close frame, not dropped")
        #expect([WebSocketErrorCode.normalClosure, .goingAway].contains(code))
    }

    struct Stopped {
        var status: Int32
        var reason: Process.TerminationReason
        var streamClosed: WebSocketErrorCode?
    }

    /// Two delegates post while the mediator streams; the server gets `signal` once they have
    /// had some answers. Restarted on the same database, every acknowledged event is there,
    /// under the number its writer was given.
    func writeWhileStopping(with signal: Int32) async throws -> (database: String, stopped: Stopped) {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent(
            "shuttle-stop-\(UUID().uuidString).sqlite"
        ).path
        let port = Int.random(in: 20_000...32_000)
        let base = "http://127.0.0.1:\(port)"
        let added = try await ShuttleCommandTests.shuttle("operator", "add", "durability", "--database", database)
        let operatorToken = try #require(added.output.split(separator: "\n").last.map(String.init))
        let server = try Server(database: database, port: port)
        try await Self.waitUntilUp(base)
        let (_, opened) = try await Self.request(
            "POST",
            base + "/talks",
            token: operatorToken,
            json: ["title": "Durable", "parties": ["A", "B"]]
        )
        let id = try #require(opened["id"] as? String)
        let mediator = try #require(opened["mediatorToken"] as? String)
        var tokens: [String] = []
        for party in ["A", "B"] {
            let (_, invited) = try await Self.request(
                "POST",
                "\(base)/talks/\(id)/members",
                token: mediator,
                json: ["party": party, "name": party, "role": "principal"]
            )
            tokens.append(try #require(invited["token"] as? String))
        }
        let stream = Task { try await Self.listen(to: "ws://127.0.0.1:\(port)/talks/\(id)/stream", token: mediator) }
        // Writers post until the server stops; each remembers what was acknowledged, by its own
        // numbers. The signal comes once they have had some answers, however slow the machine is.
        let progress = Progress()
        let acknowledged = try await withThrowingTaskGroup(of: (Int, [Int: String]).self) { group in
            for (index, token) in tokens.enumerated() {
                group.addTask {
                    var mine: [Int: String] = [:]
                    for count in 0..<10_000 {
                        let text = "writer \(index) message \(count)"
                        guard
                            let (status, reply) = try? await Self.request(
                                "POST",
                                "\(base)/talks/\(id)/messages",
                                token: token,
                                json: ["channel": "shuttle", "text": text]
                            ),
                            status == 201, let seq = reply["seq"] as? Int
                        else { break }
                        mine[seq] = text
                        await progress.add()
                    }
                    return (index, mine)
                }
            }
            let started = ContinuousClock.now
            while await progress.count < 40, ContinuousClock.now - started < .seconds(30) {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...50)))
            await server.stop(with: signal)
            var all: [Int: [Int: String]] = [:]
            for try await (index, part) in group { all[index] = part }
            return all
        }
        #expect(acknowledged.values.map(\.count).reduce(0, +) > 5, "writers got going before the signal")
        let stopped = Stopped(
            status: server.process.terminationStatus,
            reason: server.process.terminationReason,
            streamClosed: try? await stream.value
        )

        let restarted = try Server(database: database, port: port)
        defer { restarted.kill() }
        try await Self.waitUntilUp(base)
        for (index, token) in tokens.enumerated() {
            let stored = try await Self.storedTexts(base: base, talks: id, token: token)
            for (seq, text) in acknowledged[index] ?? [:] {
                #expect(stored[seq] == text, "writer \(index)'s acknowledged event \(seq) lost")
            }
        }
        return (database, stopped)
    }

    /// Every event `token`'s member can read, by their number, read page by page.
    static func storedTexts(base: String, talks id: String, token: String) async throws -> [Int: String] {
        var stored: [Int: String] = [:]
        while true {
            var request = URLRequest(url: URL(string: "\(base)/talks/\(id)/events?after=\(stored.count)")!)
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            let (data, _) = try await URLSession.shared.data(for: request)
            let page = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let events = try #require(page["events"] as? [[String: Any]])
            for event in events { if let seq = event["seq"] as? Int { stored[seq] = event["text"] as? String ?? "" } }
            if page["more"] as? Bool != true || events.isEmpty { return stored }
        }
    }

    /// Reads the stream until the server closes it; returns the close code, if one came.
    static func listen(to url: String, token: String) async throws -> WebSocketErrorCode? {
        // The token in the first message, as the pages send it.
        let frame = try await WebSocketClient.connect(url: url, logger: Logger(label: "test")) { inbound, outbound, _ in
            try await outbound.write(.text("{\"token\": \"\(token)\"}"))
            for try await _ in inbound.messages(maxSize: 1 << 20) {}
        }
        return frame?.closeCode
    }
}
