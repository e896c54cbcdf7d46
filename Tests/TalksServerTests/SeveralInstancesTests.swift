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
import TalksStorePostgres
import TalksTesting
import Testing
import TransparencyLog
import WSClient

/// The PostgreSQL server the tests may use (CI starts one from Debian's packages).
enum SharedDatabase {
    static let url = ProcessInfo.processInfo.environment["SHUTTLE_TEST_POSTGRES"]
    static let reason: Comment =
        "set SHUTTLE_TEST_POSTGRES=postgres://USER:PASSWORD@HOST:PORT/DB to run two instances on one PostgreSQL database (CI does)"

    /// A schema of the test's own, so that tests share the server and nothing else.
    static func schema() -> String {
        "test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// Time limits for a test that does not test them: the test process runs many tests at once
    /// on two cores and may not get to run for seconds, which a service's 5 s limit would take
    /// for the database being unavailable (`InstanceFaultTests` tests the limits, on processes
    /// of their own).
    static let patient = PostgresTalksStore.TimeLimits(
        opening: .seconds(60),
        operation: .seconds(60),
        afterOutage: .seconds(1)
    )
}

/// Two server instances, each with its own connections, on one PostgreSQL database: members on
/// both send random commands at once, and a listener on one hears what the other wrote.
@Suite(.enabled(if: SharedDatabase.url != nil, SharedDatabase.reason))
struct SeveralInstancesTests {
    /// A command the API accepted: who sent it, in their own numbers, and the numbers they were
    /// given for its events.
    struct Accepted: Sendable {
        var member: String
        var command: TalksCommand
        var numbers: [Int]
    }

    /// What one stream received.
    actor Received {
        var events: [[String: Any]] = []
        func add(_ event: [String: Any]) { events.append(event) }
        var count: Int { events.count }
        var signatures: [String] { events.map(VisibilityThroughTheAPITests.signature) }
    }

    static let time: Double = 1_000
    static let listeners = ["mediator", "us-observer", "ir-expert"]

    @Test(.timeLimit(.minutes(3)), arguments: 0..<2)
    func membersOnTwoInstancesShareOneRecordAndEachSeesExactlyTheirShare(seed: Int) async throws {
        let url = try #require(SharedDatabase.url)
        let schema = SharedDatabase.schema()
        let storeA = try await PostgresTalksStore(url: url, schema: schema, limits: SharedDatabase.patient)
        let storeB = try await PostgresTalksStore(url: url, schema: schema, limits: SharedDatabase.patient)
        let operatorToken = try await Operators.add("two-instances", to: storeA)
        let appA = buildApplication(store: storeA, port: 0, clock: { Self.time })
        let appB = buildApplication(store: storeB, port: 0, clock: { Self.time })
        try await appA.test(.live) { a in
            try await appB.test(.live) { b in
                let apis = [
                    API(client: a, operatorToken: operatorToken, store: storeA),
                    API(client: b, operatorToken: operatorToken, store: storeB),
                ]
                let s = try await apis[0].openTalks()
                let track = try await apis[1].call(
                    .post,
                    s.path("/tracks"),
                    token: s.mediator,
                    json: [
                        "name": "experts", "level": "technical", "members": [s.ids["us-expert"]!, s.ids["ir-expert"]!],
                    ]
                )
                #expect(track.status == .created)
                // Listeners on B, from the start: everything written through A reaches them.
                var streams: [String: (Received, Task<Void, any Error>)] = [:]
                for name in Self.listeners {
                    let received = Received()
                    let task = Task {
                        try await Self.listen(b, s.path("/stream"), token: Self.token(name, s), into: received)
                    }
                    streams[name] = (received, task)
                }
                let accepted = try await withThrowingTaskGroup(of: [Accepted].self) { group in
                    for worker in 0..<3 {
                        group.addTask { try await Self.sendRandomCommands(seed: seed * 10 + worker, to: apis, in: s) }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                #expect(accepted.count > 30, "most commands went through")

                // Last, commands through A alone: nothing asks B, so only its listening for
                // other instances' appends can bring them to B's streams.
                var last: [Accepted] = []
                for step in 0..<5 {
                    let text = "through A alone \(step)"
                    let reply = try await apis[0].call(
                        .post,
                        s.path("/messages"),
                        token: s["ir-expert"],
                        json: ["channel": "track:experts", "text": text]
                    )
                    #expect(reply.status == .created)
                    last.append(
                        Accepted(
                            member: "ir-expert",
                            command: .post(channel: .track("experts"), text: text),
                            numbers: reply.object["events"] as? [Int] ?? []
                        )
                    )
                }
                let record = try await storeB.load(TalksID(s.id))
                let state = record.talks.state
                func expected(_ name: String) -> [String] {
                    let member = state.members[Self.memberID(name, s, state)]!
                    let allowed = record.events.filter { VisibilityOracle.shouldSee(member, $0.event, state: state) }
                    return allowed.enumerated().map {
                        VisibilityThroughTheAPITests.signature(
                            seq: $0.offset + 1,
                            type: $0.element.event.type,
                            text: VisibilityThroughTheAPITests.text(of: $0.element.event)
                        )
                    }
                }
                for (name, (received, task)) in streams {
                    let started = ContinuousClock.now
                    while await received.count < expected(name).count, ContinuousClock.now - started < .seconds(20) {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    task.cancel()
                    #expect(
                        await received.signatures == expected(name),
                        "\(name): the stream on the other instance, in order, without gaps or repeats"
                    )
                }

                let links = try await storeB.links(of: TalksID(s.id), after: 0)
                #expect(
                    RecordChain.verify(links) == .intact(events: links.count, head: links.last!.hash),
                    "one hash chain"
                )
                try Self.checkSerial(record.events, accepted: accepted + last, session: s)
                for name in ["mediator"] + s.tokens.keys.sorted() {
                    for (index, api) in apis.enumerated() {
                        let events = try await api.call(.get, s.path("/events?limit=1000"), token: Self.token(name, s))
                            .events
                        #expect(
                            events.map(VisibilityThroughTheAPITests.signature) == expected(name),
                            "\(name): events through instance \(index)"
                        )
                        let export = try await api.call(.get, s.path("/export"), token: Self.token(name, s)).text.split(
                            separator: "\n"
                        ).map {
                            VisibilityThroughTheAPITests.signature(
                                try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
                            )
                        }
                        #expect(export == expected(name), "\(name): export through instance \(index)")
                    }
                    // One key in the shared store, one log per view: the same signed bytes from
                    // both instances, committing to the member's export.
                    var notes: [String] = []
                    for api in apis {
                        notes.append(try await api.call(.get, s.path("/checkpoint"), token: Self.token(name, s)).text)
                    }
                    #expect(notes[0] == notes[1], "\(name): the same checkpoint from both instances")
                    let seen = try await CheckpointsAndProofsTests.seen(by: Self.token(name, s), in: s, api: apis[1])
                    #expect(seen.note == notes[1] && seen.checkpoint.size == expected(name).count)
                }
            }
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aLinkReplacedOrAMemberRemovedThroughOneInstanceOpensNothingOnTheOther() async throws {
        let url = try #require(SharedDatabase.url)
        let schema = SharedDatabase.schema()
        let storeA = try await PostgresTalksStore(url: url, schema: schema, limits: SharedDatabase.patient)
        let storeB = try await PostgresTalksStore(url: url, schema: schema, limits: SharedDatabase.patient)
        let operatorToken = try await Operators.add("two-instances", to: storeA)
        try await buildApplication(store: storeA, port: 0).test(.live) { a in
            try await buildApplication(store: storeB, port: 0).test(.live) { b in
                let (apiA, apiB) = (
                    API(client: a, operatorToken: operatorToken, store: storeA),
                    API(client: b, operatorToken: operatorToken, store: storeB)
                )
                let s = try await apiA.openTalks()
                let member = s.ids["us-principal"]!
                let post = ["channel": "room", "text": "from B"]
                // B holds the talks, with the member's link as it was.
                #expect(
                    try await apiB.call(.post, s.path("/messages"), token: s["us-principal"], json: post).status
                        == .created
                )
                let replaced = try await apiA.call(.post, s.path("/members/\(member)/link"), token: s.mediator)
                let newToken = try #require(replaced.object["token"] as? String)
                // At once on B: the old link writes and reads nothing, the new one both.
                let old = try await apiB.call(.post, s.path("/messages"), token: s["us-principal"], json: post)
                #expect(old.status == .unauthorized && old.text.contains("replaced by a newer one"), "\(old.text)")
                #expect(try await apiB.call(.get, s.path("/events"), token: s["us-principal"]).status == .unauthorized)
                #expect(try await apiB.call(.post, s.path("/messages"), token: newToken, json: post).status == .created)
                #expect(try await apiB.call(.get, s.path("/events"), token: newToken).status == .ok)
                #expect(try await apiA.call(.delete, s.path("/members/\(member)"), token: s.mediator).status == .ok)
                let removed = try await apiB.call(.post, s.path("/messages"), token: newToken, json: post)
                #expect(
                    removed.status == .unauthorized && removed.text.contains("removed from the talks"),
                    "\(removed.text)"
                )
                #expect(try await apiB.call(.get, s.path("/events"), token: newToken).status == .unauthorized)
                // A new member invited through A writes through B at once.
                let invited = try await apiA.call(
                    .post,
                    s.path("/members"),
                    token: s.mediator,
                    json: ["party": "United States", "name": "new", "role": "expert"]
                )
                let invitedToken = try #require(invited.object["token"] as? String)
                #expect(
                    try await apiB.call(.post, s.path("/messages"), token: invitedToken, json: post).status == .created
                )
                let links = try await storeA.links(of: TalksID(s.id), after: 0)
                #expect(RecordChain.verify(links) == .intact(events: links.count, head: links.last!.hash))
            }
        }
    }

    static func token(_ name: String, _ s: Session) -> String {
        name == "mediator" ? s.mediator : s[name]
    }

    static func memberID(_ name: String, _ s: Session, _ state: TalksState) -> MemberID {
        name == "mediator" ? state.mediator!.id : MemberID(s.ids[name]!)
    }

    /// Reads the stream into `received` until cancelled.
    static func listen(
        _ client: any TestClientProtocol,
        _ path: String,
        token: String,
        into received: Received
    ) async throws {
        var configuration = WebSocketClientConfiguration()
        configuration.additionalHeaders[.authorization] = "Bearer \(token)"
        try await client.ws(path, configuration: configuration) { inbound, outbound, _ in
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = message else { continue }
                await received.add(try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any])
                if Task.isCancelled { break }
            }
            try? await outbound.close(.normalClosure, reason: nil)
        }
    }

    /// Random commands from random members, each through a random instance; returns those
    /// accepted.
    static func sendRandomCommands(seed: Int, to apis: [API], in s: Session) async throws -> [Accepted] {
        var generator = SeededGenerator(seed: UInt64(seed))
        let members = ["mediator"] + s.tokens.keys.sorted()
        var accepted: [Accepted] = []
        for step in 0..<40 {
            let api = apis.randomElement(using: &generator)!
            let name = members.randomElement(using: &generator)!
            let party = ["United States", "Iran"].randomElement(using: &generator)!
            let own = name.hasPrefix("us") ? "United States" : "Iran"
            let text = "<\(seed)-\(step)>"
            let (path, json, command): (String, [String: Any], TalksCommand)
            switch Int.random(in: 0..<6, using: &generator) {
            case 0 where name != "mediator":
                (path, json, command) = (
                    "/messages", ["channel": "room", "text": text], .post(channel: .room(party: own), text: text)
                )
            case 1:
                let channel = name == "mediator" ? party : own
                (path, json, command) = (
                    "/messages", ["channel": "shuttle", "party": party, "text": text],
                    .post(channel: .shuttle(party: channel), text: text)
                )
            case 2:
                (path, json, command) = (
                    "/messages", ["channel": "track:experts", "text": text],
                    .post(channel: .track("experts"), text: text)
                )
            case 3:
                let package = ["enrichment": ["none", "3.67%", "20%"].randomElement(using: &generator)!]
                (path, json, command) = (
                    "/proposals", ["package": package, "parties": [party]],
                    .propose(.package(package), parties: [party])
                )
            case 4:
                let proposal = "P\(Int.random(in: 1...4, using: &generator))"
                (path, json, command) = (
                    "/proposals/\(proposal)/forward", ["party": party], .forward(proposal: proposal, party: party)
                )
            default:
                let message = Int.random(in: 1...30, using: &generator)
                (path, json, command) = (
                    "/relays", ["message": message, "party": party, "mode": "verbatim"],
                    .relay(message: message, party: party, mode: .verbatim, text: nil)
                )
            }
            let reply = try await api.call(.post, s.path(path), token: token(name, s), json: json)
            #expect([201, 403, 404, 409, 422].contains(Int(reply.status.code)), "\(reply.text)")
            if reply.status == .created, let numbers = reply.object["events"] as? [Int] {
                accepted.append(Accepted(member: name, command: command, numbers: numbers))
            }
        }
        return accepted
    }

    /// The record is some serial execution of the accepted commands: each one's events are
    /// together, nothing else is recorded after the set-up, and deciding each command on the
    /// state of the events before it gives exactly its events.
    static func checkSerial(_ events: [RecordedEvent], accepted: [Accepted], session s: Session) throws {
        let final = Talks(folding: events).state
        var runs: [(first: Int, last: Int, accepted: Accepted)] = []
        for command in accepted {
            let member = final.members[memberID(command.member, s, final)]!
            let view = MemberView(of: member, in: final)
            let seqs = command.numbers.compactMap { view.recordSeqs(after: $0 - 1, limit: 1).first }
            #expect(
                seqs.count == command.numbers.count && seqs == Array(seqs.first!...seqs.last!),
                "a command's events are together"
            )
            runs.append((seqs.first!, seqs.last!, command))
        }
        runs.sort { $0.first < $1.first }
        var talks = Talks(folding: [])
        var next = 1
        for run in runs {
            // The set-up before the first command; after it, nothing but the commands.
            while next < run.first {
                #expect(runs.first!.first > next || next == run.first, "event \(next) belongs to no accepted command")
                talks.replay(events[next - 1])
                next += 1
            }
            var decided = talks
            let member = memberID(run.accepted.member, s, final)
            let command = try MemberView(of: talks.state.members[member]!, in: talks.state).recordCommand(
                run.accepted.command
            )
            let produced = try decided.handle(command, by: member, time: time)
            #expect(
                produced == Array(events[(run.first - 1)...(run.last - 1)]),
                "\(run.accepted.command) decided again on the state before it"
            )
            for event in produced { talks.replay(event) }
            next = run.last + 1
        }
        #expect(next == events.count + 1, "nothing after the last command")
    }
}
