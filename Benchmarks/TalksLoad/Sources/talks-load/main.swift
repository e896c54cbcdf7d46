// Load on the talks service, with a load generator light enough to leave the machine to the server.
//
// Starts `shuttle serve` (release) on a fresh SQLite database on 127.0.0.1, opens TALKS talks, and
// in each one delegate posts MESSAGES messages on its shuttle channel, one at a time, while the
// mediator listens on the WebSocket stream. Reports durable events per second (201 answers: each
// committed to disk first), the latency from sending a request to receiving the event on the
// mediator's stream, and the server's CPU time per durable event. Loopback only; bounded in
// messages and time; stops by itself.
//
// With SHUTTLE_LOAD_DATABASE=postgres://… the servers use that PostgreSQL database instead, and
// with SHUTTLE_LOAD_INSTANCES=2 two instances serve it: half the writers post to each, and each
// talks' mediator listens on the instance its writer does not use, so every delivery crosses
// from one instance to the other. Server CPU is then the sum over the instances.
//
// With SHUTTLE_LOAD_FLOOR=1 the server is talks-floor (built beside this program): the same routes
// on the same HTTP and WebSocket stack with nothing behind them, the floor under Shuttle's figures.
//
// Usage: swift run -c release --package-path Benchmarks/TalksLoad talks-load [TALKS] [MESSAGES] [PORT]
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
import WSClient

let arguments = CommandLine.arguments
let talksCount = arguments.count > 1 ? Int(arguments[1]) ?? 100 : 100
let messages = arguments.count > 2 ? Int(arguments[2]) ?? 100 : 100
let port = arguments.count > 3 ? Int(arguments[3]) ?? 18098 : 18098
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let floor = ProcessInfo.processInfo.environment["SHUTTLE_LOAD_FLOOR"] == "1"
let shuttle = floor
    ? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("talks-floor").path
    : ProcessInfo.processInfo.environment["SHUTTLE"] ?? root.appendingPathComponent(".build/release/shuttle").path

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func json(_ response: TestClient.Response) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(response.body?.readableBytesView ?? ByteBuffer().readableBytesView)) as? [String: Any]) ?? [:]
}

func cpuSeconds(_ pid: Int32) -> Double {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else { return .nan }
    let fields = text[text.index(after: close)...].split(separator: " ")
    return (Double(fields[11])! + Double(fields[12])!) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

func selfCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

/// One talks: a writer posting in turn, the mediator's stream timing each arrival.
final class Latencies: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    func add(_ value: Double) { lock.lock(); values.append(value); lock.unlock() }
    var all: [Double] { lock.lock(); defer { lock.unlock() }; return values }
}

let environment = ProcessInfo.processInfo.environment
let database = environment["SHUTTLE_LOAD_DATABASE"]
    ?? FileManager.default.temporaryDirectory.appendingPathComponent("talks-load-\(UUID().uuidString).sqlite").path
let instances = max(1, Int(environment["SHUTTLE_LOAD_INSTANCES"] ?? "1") ?? 1)
let ports = (0..<instances).map { port + $0 }
// An operator opens the talks: `shuttle operator add` prints the token on its last line.
func addOperator() throws -> String {
    let adding = Process()
    adding.executableURL = URL(fileURLWithPath: shuttle)
    adding.arguments = ["operator", "add", "load-\(UUID().uuidString.prefix(8).lowercased())", "--database", database]
    let output = Pipe()
    adding.standardOutput = output
    try adding.run()
    adding.waitUntilExit()
    return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
}
let operatorToken = floor ? "none" : try addOperator()

let servers = try ports.map { port in
    let server = Process()
    server.executableURL = URL(fileURLWithPath: shuttle)
    server.arguments = ["serve", "--database", database, "--port", String(port)]
    server.standardOutput = FileHandle.nullDevice
    server.standardError = FileHandle.nullDevice
    try server.run()
    return server
}
defer { for server in servers { kill(server.processIdentifier, SIGKILL) } }

let headers: HTTPFields = [.contentType: "application/json"]
func client(_ port: Int) async throws -> TestClient {
    let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(30)), eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton))
    client.connect()
    return client
}

// Wait for the servers.
for port in ports {
    var up = false
    for _ in 0..<100 where !up {
        if let probe = try? await client(port), let response = try? await probe.get("/openapi.json"), response.status == .ok { up = true }
        if !up { try await Task.sleep(for: .milliseconds(100)) }
    }
    guard up else { fatalError("the server on port \(port) did not start") }
}

let latencies = Latencies()
let started = now()
let acknowledged = try await withThrowingTaskGroup(of: Int.self) { group in
    for index in 0..<talksCount {
        // The writer's instance, and the listener's: the other one when there are two.
        let writePort = ports[index % ports.count]
        let listenPort = ports[(index + 1) % ports.count]
        group.addTask {
            let http = try await client(writePort)
            defer { Task { try? await http.shutdown() } }
            var operatorHeaders = headers
            operatorHeaders[.authorization] = "Bearer \(operatorToken)"
            let opened = json(try await http.post("/talks", headers: operatorHeaders, body: ByteBuffer(string: #"{"title":"load \#(index)","parties":["A","B"]}"#)))
            let id = opened["id"] as! String
            let mediator = opened["mediatorToken"] as! String
            var auth = headers
            auth[.authorization] = "Bearer \(mediator)"
            let invited = json(try await http.post("/talks/\(id)/members", headers: auth, body: ByteBuffer(string: #"{"party":"A","name":"a","role":"principal"}"#)))
            var writer = headers
            writer[.authorization] = "Bearer \(invited["token"] as! String)"
            let sent = Latencies()  // send times, by message number
            var configuration = WebSocketClientConfiguration()
            configuration.additionalHeaders[.authorization] = "Bearer \(mediator)"
            async let listening: Void = {
                // After the mediator's two events so far (the opening, the invitation): live events only.
                _ = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(listenPort)/talks/\(id)/stream?after=2", configuration: configuration, logger: Logger(label: "load")) { inbound, _, _ in
                    var received = 0
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message, let range = text.range(of: "\"text\":\"m") else { continue }
                        let number = Int(text[range.upperBound...].prefix { $0.isNumber })!
                        latencies.add(now() - sent.all[number])
                        received += 1
                        if received == messages { return }
                    }
                }
            }()
            try await Task.sleep(for: .milliseconds(200))  // let the stream connect first
            var acknowledged = 0
            for number in 0..<messages {
                sent.add(now())
                let response = try await http.post("/talks/\(id)/messages", headers: writer, body: ByteBuffer(string: #"{"channel":"shuttle","text":"m\#(number)"}"#))
                if response.status == .created { acknowledged += 1 }
            }
            try await listening
            return acknowledged
        }
    }
    var total = 0
    for try await count in group { total += count }
    return total
}
let elapsed = now() - started - 0.2
let serverCPU = servers.map { cpuSeconds($0.processIdentifier) }.reduce(0, +)
for server in servers {
    kill(server.processIdentifier, SIGKILL)
    server.waitUntilExit()
}
/// Whether `shuttle verify` finds every record intact (the floor keeps none).
func recordIsIntact() throws -> Bool {
    guard !floor else { return true }
    let verify = Process()
    verify.executableURL = URL(fileURLWithPath: shuttle)
    verify.arguments = ["verify", "--database", database]
    verify.standardOutput = FileHandle.nullDevice
    try verify.run()
    verify.waitUntilExit()
    return verify.terminationStatus == 0
}
let intact = try recordIsIntact()

let sorted = latencies.all.sorted()
let p50 = sorted[sorted.count / 2] * 1000
let p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))] * 1000
let store = floor ? "Floor (no talks, no store)" : database.hasPrefix("postgres") ? "PostgreSQL" : "SQLite"
print("\(store), \(instances) instance\(instances == 1 ? "" : "s"): \(talksCount) talks, \(acknowledged) durable events in \(String(format: "%.2f", elapsed)) s: \(Int(Double(acknowledged) / elapsed)) events/s")
print("request -> delivery on the mediator's stream: p50 \(String(format: "%.1f", p50)) ms, p99 \(String(format: "%.1f", p99)) ms (\(sorted.count) delivered)")
print("server CPU per durable event: \(Int((serverCPU / Double(acknowledged) * 1e6).rounded())) µs")
print("CPU used: server \(String(format: "%.1f", serverCPU)) s, load generator \(String(format: "%.1f", selfCPUSeconds())) s, on \(ProcessInfo.processInfo.activeProcessorCount) cores")
print("record after the run: \(floor ? "none kept" : intact ? "intact" : "BROKEN")")
exit(intact && sorted.count == acknowledged ? 0 : 1)
