import Foundation
import Talks
import TalksServer
import TalksStore
import Testing

/// The hub holds at most `maxLoadedTalks` talks and no events: what it lets go of is read back,
/// its chain checked, when asked for again.
struct TalksHubTests {
    @Test func talksBeyondTheBoundAreLetGoAndReadBackTheSame() async throws {
        let store = MemoryTalksStore()
        let hub = TalksHub(store: store, maxLoadedTalks: 3)
        var opened: [(TalksID, MemberID)] = []
        for index in 0..<10 {
            let (id, _, member, _) = try await hub.openWithEnvoy(title: "Talks \(index)")
            _ = try await hub.submit(.post(channel: .room(party: "US"), text: "room \(index)"), in: id, by: member)
            opened.append((id, member))
            #expect(await hub.loadedTalksCount <= 3)
        }
        for (index, (id, member)) in opened.enumerated() {
            // Read back from the store: the same state as a fold of the stored record.
            let reloaded = try await hub.talks(id).state
            #expect(reloaded == (try await store.load(id)).talks.state)
            #expect(reloaded.title == "Talks \(index)")
            #expect(try await hub.isRecordIntact(id))
            let numbers = try await hub.submit(.post(channel: .room(party: "US"), text: "again"), in: id, by: member)
            #expect(numbers == [4], "talks opened, the invitation, the first room message, then this one")
            #expect(await hub.loadedTalksCount <= 3)
        }
    }

    @Test func aTalksReadBackWithABrokenChainSaysSo() async throws {
        let store = TamperingStore()
        let hub = TalksHub(store: store, maxLoadedTalks: 1)
        let (id, mediator, _) = try await hub.open(title: "Muscat", parties: ["US", "Iran"], mediatorName: "Oman")
        _ = try await hub.execute(.setDeadline("2025-06-12"), in: id, by: mediator)
        #expect(try await hub.isRecordIntact(id))
        await store.tamper(talks: id, seq: 2)
        // Still loaded: the hub checked each link as it was written.
        #expect(try await hub.isRecordIntact(id))
        _ = try await hub.open(title: "Rome", parties: ["US", "Iran"], mediatorName: "Oman")
        #expect(await hub.loadedTalksCount == 1)
        // Let go of, then read back: the altered event breaks the chain.
        #expect(try await hub.isRecordIntact(id) == false)
    }

    @Test(.timeLimit(.minutes(1)))
    func aLongBacklogComesInPages() async throws {
        let hub = TalksHub(store: MemoryTalksStore(), maxLoadedTalks: 1)
        let (id, mediator, member, _) = try await hub.openWithEnvoy(title: "Long")
        let (other, _, _) = try await hub.invite(
            party: "Iran",
            name: "Minister",
            role: .principal,
            affiliation: nil,
            in: id,
            by: mediator
        )
        let total = TalksHub.pageSize * 2 + 10
        for index in 0..<total {
            _ = try await hub.submit(.post(channel: .room(party: "US"), text: "mine \(index)"), in: id, by: member)
            _ = try await hub.submit(.post(channel: .room(party: "Iran"), text: "theirs \(index)"), in: id, by: other)
        }
        _ = try await hub.open(title: "Other", parties: ["A", "B"], mediatorName: "M")  // lets go of "Long"
        var texts: [String] = []
        var after = 0
        while true {
            let page = try await hub.visibleEvents(in: id, for: member, after: after, limit: TalksHub.pageSize)
            #expect(page.events.count <= TalksHub.pageSize)
            texts += page.events
            after += page.events.count
            if !page.more { break }
        }
        #expect(texts.count == total + 3, "talks opened, two invitations, and the US room")
        #expect(!texts.joined().contains("theirs"))
        var streamed = 0
        for await delivery in try await hub.subscribe(to: id, as: member, version: 0, after: 0) {
            guard case .event = delivery else { break }
            streamed += 1
            if streamed == texts.count { break }
        }
        #expect(streamed == texts.count)
    }

    /// Another process appends behind the hub's back: the hub reads what it wrote and decides
    /// the member's command again, which is stored after it, in the member's own numbers.
    @Test func aRecordThatMovedOnIsReadAndTheCommandDecidedAgain() async throws {
        let store = MemoryTalksStore()
        let hub = TalksHub(store: store)
        let (id, mediator, member, _) = try await hub.openWithEnvoy()
        var elsewhere = try await store.load(id).talks
        for n in 1...5 {
            _ = try await store.append(
                try elsewhere.handle(.post(channel: .shuttle(party: "Iran"), text: "\(n)"), by: mediator, time: 0),
                to: id
            )
        }
        #expect(
            try await hub.submit(.post(channel: .room(party: "US"), text: "ours"), in: id, by: member) == [3],
            "the opening, the invitation, then this: Iran's traffic is not counted"
        )
        let stored = try await store.links(of: id, after: 0)
        #expect(stored.map(\.seq) == Array(1...8))
        #expect(RecordChain.verify(stored) == .intact(events: 8, head: stored[7].hash))
        #expect(
            try RecordChain.decode(stored[7].json).event
                == .messagePosted(channel: .room(party: "US"), author: member, text: "ours")
        )
        #expect(
            try await hub.visibleEvents(in: id, for: mediator, after: 0, limit: 50).events.count == 7,
            "the hub holds what the other wrote"
        )
    }

    /// A writer that comes first every time: after ``TalksHub/attempts`` decisions the member
    /// is told to send the command again, without the record's numbers (which would count what
    /// the member cannot see), and nothing of it is stored.
    @Test func aCommandBeatenEveryTimeIsRefusedWithoutNumbers() async throws {
        let store = RacingStore()
        let hub = TalksHub(store: store)
        let (id, mediator, member, _) = try await hub.openWithEnvoy()
        await store.race(TalksHub.attempts, as: mediator)
        let error = await #expect(throws: TalksHub.ChangedMeanwhile.self) {
            _ = try await hub.submit(.post(channel: .room(party: "US"), text: "ours"), in: id, by: member)
        }
        #expect(!(error?.description ?? "").contains { $0.isNumber })
        let stored = try await store.links(of: id, after: 0)
        #expect(stored.count == 2 + TalksHub.attempts)
        #expect(!stored.contains { $0.json.contains("ours") })
        #expect(
            try await hub.submit(.post(channel: .room(party: "US"), text: "ours"), in: id, by: member) == [3],
            "sent again, it goes through"
        )
    }

    @Test func aCommandWhoseLinkWasReplacedMeanwhileIsRefused() async throws {
        let hub = TalksHub(store: MemoryTalksStore())
        let (id, mediator, member, token) = try await hub.openWithEnvoy()
        guard case .member(_, _, let link) = try await hub.authenticate(token: token, beforeSubmitting: true) else {
            Issue.record("the new link opens the seat")
            return
        }
        // Between the caller's authentication and their command, the mediator replaces the link.
        let newToken = try await hub.replaceLink(of: member, in: id, by: mediator).token
        let refused = await #expect(throws: TalksHub.LinkRevoked.self) {
            _ = try await hub.submit(.post(channel: .room(party: "US"), text: "late"), in: id, by: member, link: link)
        }
        #expect(refused?.reason == "this link was replaced by a newer one; ask the mediator for it")
        guard case .member(_, _, let newLink) = try await hub.authenticate(token: newToken, beforeSubmitting: true)
        else {
            Issue.record("the replacement opens the seat")
            return
        }
        #expect(
            try await hub.submit(.post(channel: .room(party: "US"), text: "on time"), in: id, by: member, link: newLink)
                == [4],
            "after the opening, the invitation and the replacement"
        )
        _ = try await hub.execute(.removeMember(member), in: id, by: mediator)
        let removed = await #expect(throws: TalksHub.LinkRevoked.self) {
            _ = try await hub.submit(
                .post(channel: .room(party: "US"), text: "gone"),
                in: id,
                by: member,
                link: newLink
            )
        }
        #expect(removed?.reason == "this link's member was removed from the talks")
    }

    /// A stream opened while a command's events are stored but not yet acknowledged: the state
    /// held has run ahead of what the hub knows is stored, and the stream must neither read
    /// those events from the store and then receive them again live, nor skip them.
    @Test(.timeLimit(.minutes(1)))
    func aStreamOpenedWhileACommandIsStoredReceivesItsEventsOnce() async throws {
        let store = TamperingStore()
        let hub = TalksHub(store: store)
        let (id, mediator, _) = try await hub.open(title: "Muscat", parties: ["US", "Iran"], mediatorName: "Oman")
        await store.holdNextAnswer()
        let storing = Task { try await hub.execute(.setDeadline("2025-06-12"), in: id, by: mediator) }
        while await !store.isHolding { try await Task.sleep(for: .milliseconds(5)) }
        let stream = try await hub.subscribe(to: id, as: mediator, version: 0, after: 1)
        await store.release()
        _ = try await storing.value
        _ = try await hub.execute(.setDeadline("2025-06-13"), in: id, by: mediator)
        var numbers: [Int] = []
        for await delivery in stream {
            guard case .event(let text) = delivery, let event = try? RecordChain.decode(text) else { break }
            numbers.append(event.seq)
            if numbers.count == 2 { break }
        }
        #expect(numbers == [2, 3])
        let (more, _) = try await hub.visibleEvents(in: id, for: mediator, after: 3, limit: 10)
        #expect(more.isEmpty, "nothing a third time")
    }

    @Test func shuttingDownEndsEveryStreamAndRefusesNewOnes() async throws {
        let hub = TalksHub(store: MemoryTalksStore())
        let (id, mediator, _) = try await hub.open(title: "Muscat", parties: ["US", "Iran"], mediatorName: "Oman")
        let stream = try await hub.subscribe(to: id, as: mediator, version: 0, after: 1)
        await hub.shutDown()
        var received: [TalksHub.Delivery] = []
        for await delivery in stream { received.append(delivery) }
        #expect(received == [.ended(.shuttingDown)])
        var late: [TalksHub.Delivery] = []
        for await delivery in try await hub.subscribe(to: id, as: mediator, version: 0, after: 0) {
            late.append(delivery)
        }
        #expect(late == [.ended(.shuttingDown)])
    }
}

/// A memory store whose stored text can be altered behind the hub's back, as someone with
/// access to the database could, and whose answer to an append can be held back after the
/// events are stored (as a database's answer may be slow to come back).
actor TamperingStore: ForwardingStore {
    let inner = MemoryTalksStore()
    private var tampered: Set<String> = []
    private var holdNext = false
    private var held: CheckedContinuation<Void, Never>?

    func tamper(talks: TalksID, seq: Int) { tampered.insert("\(talks)#\(seq)") }

    /// The next append stores its events, then waits for ``release()`` before it answers.
    func holdNextAnswer() { holdNext = true }
    var isHolding: Bool { held != nil }
    func release() {
        held?.resume()
        held = nil
    }

    private func altered(_ links: [RecordChain.Link], _ talks: TalksID) -> [RecordChain.Link] {
        links.map { link in
            guard tampered.contains("\(talks)#\(link.seq)") else { return link }
            var changed = link
            changed.json = link.json.replacingOccurrences(of: "2025", with: "2026")
            return changed
        }
    }

    func append(_ links: [RecordChain.Link], to talks: TalksID) async throws -> Bool {
        let appended = try await inner.append(links, to: talks)
        if holdNext {
            holdNext = false
            await withCheckedContinuation { held = $0 }
        }
        return appended
    }
    func links(of talks: TalksID, after: Int, limit: Int?) async throws -> [RecordChain.Link] {
        altered(try await inner.links(of: talks, after: after, limit: limit), talks)
    }
    func links(of talks: TalksID, seqs: [Int]) async throws -> [RecordChain.Link] {
        altered(try await inner.links(of: talks, seqs: seqs), talks)
    }
}

/// A store in memory where another writer appends just before each of the next appends, as
/// often as it is told to.
actor RacingStore: ForwardingStore {
    let inner = MemoryTalksStore()
    private var races = 0
    private var racer = MemberID("mediator")

    func race(_ times: Int, as member: MemberID) {
        races = times
        racer = member
    }

    func append(_ links: [RecordChain.Link], to talks: TalksID) async throws -> Bool {
        if races > 0 {
            races -= 1
            var elsewhere = try await inner.load(talks).talks
            _ = try await inner.append(
                try elsewhere.handle(.post(channel: .shuttle(party: "Iran"), text: "first"), by: racer, time: 0),
                to: talks
            )
        }
        return try await inner.append(links, to: talks)
    }
}

/// A test store that passes to a store in memory every call it does not make its own.
protocol ForwardingStore: TalksStore {
    var inner: MemoryTalksStore { get }
}

extension ForwardingStore {
    func create(_ talks: TalksID, first: RecordedEvent, openedBy: String?) async throws -> RecordChain.Link {
        try await inner.create(talks, first: first, openedBy: openedBy)
    }
    func append(_ links: [RecordChain.Link], to talks: TalksID) async throws -> Bool {
        try await inner.append(links, to: talks)
    }
    func links(of talks: TalksID, after: Int, limit: Int?) async throws -> [RecordChain.Link] {
        try await inner.links(of: talks, after: after, limit: limit)
    }
    func links(of talks: TalksID, seqs: [Int]) async throws -> [RecordChain.Link] {
        try await inner.links(of: talks, seqs: seqs)
    }
    func allTalks() async throws -> [TalksID] { try await inner.allTalks() }
    func talks(openedBy name: String) async throws -> [TalksID] { try await inner.talks(openedBy: name) }
    func saveCredential(tokenHash: String, talks: TalksID, member: MemberID, version: Int) async throws {
        try await inner.saveCredential(tokenHash: tokenHash, talks: talks, member: member, version: version)
    }
    func credential(tokenHash: String) async throws -> Credential? { try await inner.credential(tokenHash: tokenHash) }
    func markOpened(tokenHash: String) async throws { try await inner.markOpened(tokenHash: tokenHash) }
    func openedLinks(in talks: TalksID) async throws -> Set<MemberLink> { try await inner.openedLinks(in: talks) }
    func addOperator(_ name: String, tokenHash: String, time: Double) async throws {
        try await inner.addOperator(name, tokenHash: tokenHash, time: time)
    }
    func operators() async throws -> [Operator] { try await inner.operators() }
    func removeOperator(_ name: String) async throws -> Bool { try await inner.removeOperator(name) }
    func operatorName(tokenHash: String) async throws -> String? { try await inner.operatorName(tokenHash: tokenHash) }
    func allCredentials() async throws -> [String: Credential] { try await inner.allCredentials() }
    func operatorTokenHashes() async throws -> [String: String] { try await inner.operatorTokenHashes() }
    func ping() async throws { try await inner.ping() }
    func signingKey(storingIfNone candidate: String?) async throws -> String? {
        try await inner.signingKey(storingIfNone: candidate)
    }
}
