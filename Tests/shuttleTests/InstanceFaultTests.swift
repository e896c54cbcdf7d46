import CommandTesting
import Foundation
import Logging
import NIOWebSocket
import Testing
import WSClient

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The PostgreSQL the tests may use, and the folder of the one that scripts/postgres-for-tests.sh
/// started (which means this machine can start another).
enum TestPostgres {
    static let url = ProcessInfo.processInfo.environment["SHUTTLE_TEST_POSTGRES"]
    static let folder = ProcessInfo.processInfo.environment["SHUTTLE_TEST_POSTGRES_DIR"]
}

/// Faults with several `shuttle serve` processes on one PostgreSQL database: one instance
/// killed under write load, and PostgreSQL itself stopped and started again.
@Suite(
    .serialized,
    .enabled(
        if: TestPostgres.url != nil,
        "set SHUTTLE_TEST_POSTGRES (and SHUTTLE_TEST_POSTGRES_DIR, from scripts/postgres-for-tests.sh) to run the fault tests on PostgreSQL (CI does)"
    )
)
struct InstanceFaultTests {
    static var url: String? { TestPostgres.url }

    /// An answer, with the headers that matter here.
    struct Answer {
        var status: Int
        var json: [String: Any]
        var retryAfter: String?
    }

    static func request(
        _ method: String,
        _ url: String,
        token: String? = nil,
        json: [String: Any]? = nil
    ) async throws -> Answer {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.timeoutInterval = 20
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        let object = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        return Answer(status: http.statusCode, json: object, retryAfter: http.value(forHTTPHeaderField: "Retry-After"))
    }

    /// What a stream received: each event's number (the member's own) and text.
    actor Heard {
        var events: [(seq: Int, text: String)] = []
        var closed = false
        func add(_ seq: Int, _ text: String) { events.append((seq, text)) }
        func close() { closed = true }
        var last: Int { events.last?.seq ?? 0 }
    }

    /// Reads the stream at `url` after the member's event `after` into `heard`, until the
    /// connection ends (the server dies or closes it).
    static func listen(_ url: String, token: String, after: Int, into heard: Heard) async {
        _ = try? await WebSocketClient.connect(url: "\(url)?after=\(after)", logger: Logger(label: "test")) {
            inbound,
            outbound,
            _ in
            try await outbound.write(.text("{\"token\": \"\(token)\"}"))
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = message,
                    let event = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                else { continue }
                await heard.add(event["seq"] as? Int ?? -1, event["text"] as? String ?? "")
            }
        }
        await heard.close()
    }

    /// Talks opened on `base` with two delegates; their tokens.
    static func openTalks(
        on base: String,
        operatorToken: String
    ) async throws -> (id: String, mediator: String, delegates: [String]) {
        let opened = try await request(
            "POST",
            base + "/talks",
            token: operatorToken,
            json: ["title": "Faults", "parties": ["A", "B"]]
        )
        let id = try #require(opened.json["id"] as? String)
        let mediator = try #require(opened.json["mediatorToken"] as? String)
        var delegates: [String] = []
        for party in ["A", "B"] {
            let invited = try await request(
                "POST",
                "\(base)/talks/\(id)/members",
                token: mediator,
                json: ["party": party, "name": party, "role": "principal"]
            )
            delegates.append(try #require(invited.json["token"] as? String))
        }
        return (id, mediator, delegates)
    }

    static func addOperator(_ url: String) async throws -> String {
        let added = try await ShuttleCommandTests.shuttle(
            in: ShuttleCommandTests.root,
            ["operator", "add", "faults-" + UUID().uuidString.prefix(8).lowercased()],
            environment: ["SHUTTLE_DATABASE": url]
        )
        #expect(added.status == 0, "\(added.error)")
        return try #require(added.output.split(separator: "\n").last.map(String.init))
    }

    /// Waits until `condition` holds, for at most `limit`.
    static func eventually(_ limit: Duration = .seconds(30), _ condition: () async -> Bool) async throws -> Bool {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < limit {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return await condition()
    }

    @Test(.timeLimit(.minutes(3)))
    func killingOneInstanceLosesNothingAndItsClientsResumeOnAnother() async throws {
        let url = try #require(Self.url)
        let operatorToken = try await Self.addOperator(url)
        let ports = (Int.random(in: 20_000...25_999), Int.random(in: 26_000...32_000))
        let (baseA, baseB) = ("http://127.0.0.1:\(ports.0)", "http://127.0.0.1:\(ports.1)")
        let a = try DurabilityTests.Server(database: url, port: ports.0)
        let b = try DurabilityTests.Server(database: url, port: ports.1)
        defer { b.kill() }
        try await DurabilityTests.waitUntilUp(baseA)
        try await DurabilityTests.waitUntilUp(baseB)
        let talks = try await Self.openTalks(on: baseA, operatorToken: operatorToken)
        let path = "/talks/\(talks.id)"
        // Delegate A listens on the instance that will die; the mediator on the one that lives.
        let onA = Heard()
        let onB = Heard()
        let listeningA = Task {
            await Self.listen("ws://127.0.0.1:\(ports.0)\(path)/stream", token: talks.delegates[0], after: 0, into: onA)
        }
        let listeningB = Task {
            await Self.listen("ws://127.0.0.1:\(ports.1)\(path)/stream", token: talks.mediator, after: 0, into: onB)
        }

        // Each writer posts through A until it fails, then goes on through B.
        let progress = DurabilityTests.Progress()
        let acknowledged = try await withThrowingTaskGroup(of: (Int, [Int: String]).self) { group in
            for (index, token) in talks.delegates.enumerated() {
                group.addTask {
                    var mine: [Int: String] = [:]
                    var base = baseA
                    var afterKill = 0
                    for count in 0..<10_000 where afterKill < 20 {
                        let text = "writer \(index) message \(count)"
                        let answer = try? await Self.request(
                            "POST",
                            "\(base)\(path)/messages",
                            token: token,
                            json: ["channel": "shuttle", "text": text]
                        )
                        if let answer, answer.status == 201, let seq = answer.json["seq"] as? Int {
                            mine[seq] = text
                            await progress.add()
                            if base == baseB { afterKill += 1 }
                        } else {
                            base = baseB  // reconnect elsewhere
                        }
                    }
                    return (index, mine)
                }
            }
            _ = try await Self.eventually { await progress.count >= 40 }
            await a.stop(with: SIGKILL)
            return try await group.reduce(into: [Int: [Int: String]]()) { $0[$1.0] = $1.1 }
        }
        #expect(a.process.terminationReason == .uncaughtSignal)

        // Every acknowledged event is stored, under the number its writer was given.
        for (index, token) in talks.delegates.enumerated() {
            let stored = try await DurabilityTests.storedTexts(base: baseB, talks: talks.id, token: token)
            #expect((acknowledged[index] ?? [:]).count > 20)
            for (seq, text) in acknowledged[index] ?? [:] {
                #expect(stored[seq] == text, "writer \(index)'s acknowledged event \(seq) lost")
            }
        }
        // Delegate A's stream died with A; resumed on B from the last number it had, it
        // misses nothing and repeats nothing.
        _ = await listeningA.value
        let resumedFrom = await onA.last
        let resumed = Heard()
        let listeningAgain = Task {
            await Self.listen(
                "ws://127.0.0.1:\(ports.1)\(path)/stream",
                token: talks.delegates[0],
                after: resumedFrom,
                into: resumed
            )
        }
        let storedA = try await DurabilityTests.storedTexts(base: baseB, talks: talks.id, token: talks.delegates[0])
        #expect(try await Self.eventually { await resumed.events.count + resumedFrom >= storedA.count })
        listeningAgain.cancel()
        let heardOnA = await onA.events
        let heardOnB = await resumed.events
        #expect(resumedFrom > 0 && !heardOnB.isEmpty, "heard on A before the kill, and on B after it")
        let joined = heardOnA + heardOnB
        #expect(joined.map(\.seq) == Array(1...storedA.count), "delegate A's numbers, once each, in order")
        #expect(joined.allSatisfy { storedA[$0.seq] == $0.text })
        // The mediator's stream on B went on through the kill, every event in order.
        let storedMediator = try await DurabilityTests.storedTexts(base: baseB, talks: talks.id, token: talks.mediator)
        #expect(try await Self.eventually { await onB.events.count >= storedMediator.count })
        listeningB.cancel()
        #expect(await onB.events.map(\.seq) == Array(1...storedMediator.count))

        let verify = try await ShuttleCommandTests.shuttle("verify", "--database", url)
        #expect(verify.status == 0 && verify.output.contains("\(talks.id): intact"), "\(verify.output)")
    }

    /// A PostgreSQL of the test's own (it is stopped and started), on a free port.
    final class OwnPostgres {
        let url: String
        let folder: String

        private init(url: String, folder: String) {
            self.url = url
            self.folder = folder
        }

        /// Starts one, runs `body` with it, and stops it whatever `body` does.
        static func with(_ body: (OwnPostgres) async throws -> Void) async throws {
            let started = try await run(script, ["start"], port: Int.random(in: 32_100...32_700))
            let lines = started.split(separator: "\n").map { String($0.dropFirst("export ".count)) }
            let url = try #require(
                lines.first { $0.hasPrefix("SHUTTLE_TEST_POSTGRES=") }.map {
                    String($0.dropFirst("SHUTTLE_TEST_POSTGRES=".count))
                }
            )
            let folder = try #require(
                lines.first { $0.hasPrefix("SHUTTLE_TEST_POSTGRES_DIR=") }.map {
                    String($0.dropFirst("SHUTTLE_TEST_POSTGRES_DIR=".count))
                }
            )
            let database = OwnPostgres(url: url, folder: folder)
            do {
                try await body(database)
            } catch {
                try? await database.stop()
                throw error
            }
            try await database.stop()
        }

        func stop() async throws { _ = try await Self.run(Self.script, ["stop", folder]) }
        func start() async throws { _ = try await Self.run(Self.script, ["up", folder]) }

        static var script: String {
            ShuttleCommandTests.root.appendingPathComponent("scripts/postgres-for-tests.sh").path
        }

        static func run(_ script: String, _ arguments: [String], port: Int? = nil) async throws -> String {
            let run = try await CommandRun.run(
                URL(fileURLWithPath: "/bin/bash"),
                [script] + arguments,
                environment: port.map { ["SHUTTLE_TEST_POSTGRES_PORT": String($0)] } ?? [:]
            )
            #expect(run.succeeded, "postgres-for-tests.sh \(arguments)")
            return run.output
        }
    }

    /// What the writers were answered.
    actor Answers {
        var statuses: [Int: Int] = [:]
        var unavailableWithoutRetryAfter = 0
        /// By writer (each writes through an instance of its own).
        var acknowledgedBy: [Int: Int] = [:]
        var acknowledged: Int { acknowledgedBy.values.reduce(0, +) }
        /// Whether the writers should stop after the request they are making.
        private(set) var stopped = false
        func stop() { stopped = true }
        /// What the answers other than 201 and 503 said, to name them when the test fails.
        var otherDetails: Set<String> = []
        func add(status: Int, retryAfter: String?, writer: Int, detail: String? = nil) {
            statuses[status, default: 0] += 1
            if status != 201, status != 503 { otherDetails.insert("\(status): \(detail ?? "")") }
            if status == 503, retryAfter == nil { unavailableWithoutRetryAfter += 1 }
            if status == 201 { acknowledgedBy[writer, default: 0] += 1 }
        }
    }

    /// PostgreSQL stopped and started again under write load on two instances: while it is
    /// down writes get 503 with Retry-After, nothing acknowledged is lost, and both instances
    /// serve again by themselves.
    @Test(
        .timeLimit(.minutes(3)),
        .enabled(
            if: TestPostgres.folder != nil,
            "needs scripts/postgres-for-tests.sh to have started the test's PostgreSQL (CI does)"
        )
    )
    func restartingPostgresGives503ThenRecoversWithNothingLost() async throws {
        try await OwnPostgres.with { database in
            let operatorToken = try await Self.addOperator(database.url)
            let ports = (Int.random(in: 20_000...25_999), Int.random(in: 26_000...32_000))
            let bases = ["http://127.0.0.1:\(ports.0)", "http://127.0.0.1:\(ports.1)"]
            let servers = [
                try DurabilityTests.Server(database: database.url, port: ports.0),
                try DurabilityTests.Server(database: database.url, port: ports.1),
            ]
            defer { for server in servers { server.kill() } }
            for base in bases { try await DurabilityTests.waitUntilUp(base) }
            let talks = try await Self.openTalks(on: bases[0], operatorToken: operatorToken)
            let path = "/talks/\(talks.id)"

            let answers = Answers()
            let writing = Task {
                try await withThrowingTaskGroup(of: (Int, [Int: String]).self) { group in
                    // Writer i through instance i, until told to stop. Not by cancelling the
                    // task: cancelling a URLSession request races its own completion inside
                    // FoundationNetworking and can deadlock the test process (seen here: the
                    // cancel holds the task's status lock while it waits for URLSession's queue,
                    // which waits for that lock to resume the request's continuation).
                    for (index, token) in talks.delegates.enumerated() {
                        group.addTask {
                            var mine: [Int: String] = [:]
                            var count = 0
                            while await !answers.stopped {
                                count += 1
                                let text = "writer \(index) message \(count)"
                                guard
                                    let answer = try? await Self.request(
                                        "POST",
                                        "\(bases[index])\(path)/messages",
                                        token: token,
                                        json: ["channel": "shuttle", "text": text]
                                    )
                                else { continue }
                                await answers.add(
                                    status: answer.status,
                                    retryAfter: answer.retryAfter,
                                    writer: index,
                                    detail: answer.json["detail"] as? String
                                )
                                if answer.status == 201, let seq = answer.json["seq"] as? Int { mine[seq] = text }
                                if answer.status != 201 { try? await Task.sleep(for: .milliseconds(50)) }
                            }
                            return (index, mine)
                        }
                    }
                    return try await group.reduce(into: [Int: [Int: String]]()) { $0[$1.0] = $1.1 }
                }
            }
            #expect(try await Self.eventually { await answers.acknowledged >= 40 }, "writers got going")
            try await database.stop()
            #expect(
                try await Self.eventually { await answers.statuses[503, default: 0] >= 4 },
                "writes are refused while the database is down"
            )
            try await Task.sleep(for: .seconds(1))
            let before = await answers.acknowledgedBy
            try await database.start()
            #expect(
                try await Self.eventually(.seconds(60)) {
                    let now = await answers.acknowledgedBy
                    return (0..<2).allSatisfy { now[$0, default: 0] >= before[$0, default: 0] + 20 }
                },
                "both instances write again by themselves"
            )
            await answers.stop()
            let acknowledged = try await writing.value

            let statuses = await answers.statuses
            let otherDetails = await answers.otherDetails
            #expect(
                Set(statuses.keys).isSubset(of: [201, 503]),
                "only acknowledgements and 503s: \(statuses), \(otherDetails)"
            )
            #expect(await answers.unavailableWithoutRetryAfter == 0, "every 503 says when to try again")
            for (index, token) in talks.delegates.enumerated() {
                for base in bases {
                    let stored = try await DurabilityTests.storedTexts(base: base, talks: talks.id, token: token)
                    for (seq, text) in acknowledged[index] ?? [:] {
                        #expect(stored[seq] == text, "writer \(index)'s acknowledged event \(seq) lost")
                    }
                }
            }
            let verify = try await ShuttleCommandTests.shuttle("verify", "--database", database.url)
            #expect(verify.status == 0 && verify.output.contains("\(talks.id): intact"), "\(verify.output)")
        }
    }
}
