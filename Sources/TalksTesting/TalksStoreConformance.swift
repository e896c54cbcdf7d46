import Talks
public import TalksStore
import Testing

/// The behaviour every ``TalksStore`` must have. Each implementation's tests call
/// ``run(_:)`` with a fresh, empty store.
public enum TalksStoreConformance {
    public static func run(_ makeStore: () async throws -> any TalksStore) async throws {
        try await appendsChainAndReadsBack(try await makeStore())
        try await refusesGapsAndUnknownTalksAndLosesNothing(try await makeStore())
        try await appendsOnlyAfterTheLastStoredEvent(try await makeStore())
        try await keepsTalksApart(try await makeStore())
        try await credentials(try await makeStore())
        try await operators(try await makeStore())
        try await concurrentAppendsToManyTalks(try await makeStore())
        try await copiesADeploymentBothWays(try await makeStore())
        try await keepsTheFirstSigningKey(try await makeStore())
    }

    static func opened(_ title: String) throws -> (Talks, RecordedEvent) {
        try Talks.open(
            title: title,
            parties: ["A", "B"],
            mediator: Member(id: MemberID("m"), name: "Mediator", seat: .mediator),
            time: 1
        )
    }

    static func appendsChainAndReadsBack(_ store: any TalksStore) async throws {
        var (talks, first) = try opened("one")
        let id = TalksID("t1")
        _ = try await store.create(id, first: first)
        var events = [first]
        for index in 0..<20 {
            let new = try talks.handle(
                .invite(
                    id: MemberID("a\(index)"),
                    party: "A",
                    name: "Delegate \(index)",
                    role: .expert,
                    affiliation: nil
                ),
                by: MemberID("m"),
                time: Double(index)
            )
            _ = try await store.append(new, to: id)
            events += new
        }
        let links = try await store.links(of: id, after: 0)
        #expect(links.map(\.seq) == Array(1...21))
        #expect(try links.map { try RecordChain.decode($0.json) } == events)
        #expect(links == RecordChain.link(events, after: RecordChain.genesis))
        #expect(try await store.links(of: id, after: 19).map(\.seq) == [20, 21])
        // Pages, and chosen events, for backlogs read a page at a time.
        #expect(try await store.links(of: id, after: 5, limit: 3).map(\.seq) == [6, 7, 8])
        #expect(try await store.links(of: id, after: 20, limit: 3).map(\.seq) == [21])
        #expect(try await store.links(of: id, seqs: [2, 3, 9, 21, 22]) == [links[1], links[2], links[8], links[20]])
        #expect(try await store.links(of: id, seqs: []).isEmpty)
        await #expect(throws: StoreError.notFound("no talks 'nowhere'")) {
            try await store.links(of: TalksID("nowhere"), seqs: [1])
        }
        guard case .intact(let count, _) = RecordChain.verify(links) else {
            Issue.record("chain broken")
            return
        }
        #expect(count == 21)
        #expect(try await store.load(id).talks.state == talks.state)
    }

    static func refusesGapsAndUnknownTalksAndLosesNothing(_ store: any TalksStore) async throws {
        var (talks, first) = try opened("two")
        let id = TalksID("t2")
        _ = try await store.create(id, first: first)
        await #expect(throws: StoreError.conflict("talks 't2' already exists")) {
            try await store.create(id, first: first)
        }
        let next = try talks.handle(
            .setAgenda([AgendaIssue(name: "x", options: ["1", "2"])]),
            by: MemberID("m"),
            time: 2
        )
        _ = try await store.append(next, to: id)
        // Appending the same events again, or skipping ahead, is refused and stores nothing.
        await #expect(throws: StoreError.conflict("talks 't2' expects event 3 next, not 2")) {
            try await store.append(next, to: id)
        }
        var later = next[0]
        later.seq = 5
        await #expect(throws: StoreError.self) { try await store.append([later], to: id) }
        await #expect(throws: StoreError.notFound("no talks 'nowhere'")) {
            try await store.append(next, to: TalksID("nowhere"))
        }
        await #expect(throws: StoreError.notFound("no talks 'nowhere'")) {
            try await store.links(of: TalksID("nowhere"), after: 0)
        }
        #expect(try await store.links(of: id, after: 0).count == 2)
    }

    /// The one append contract: links chained by their writer go in only right after the last
    /// stored event; a writer that comes second is told so and stores nothing, however the
    /// appends race.
    static func appendsOnlyAfterTheLastStoredEvent(_ store: any TalksStore) async throws {
        let (talks, first) = try opened("rivals")
        let id = TalksID("rivals")
        let opening = try await store.create(id, first: first)
        func rival(_ text: String, _ talks: Talks, after head: RecordChain.Link) throws -> [RecordChain.Link] {
            var talks = talks
            return RecordChain.link(
                try talks.handle(.post(channel: .shuttle(party: "A"), text: text), by: MemberID("m"), time: 2),
                after: head.hash
            )
        }
        let (ours, theirs) = (try rival("ours", talks, after: opening), try rival("theirs", talks, after: opening))
        #expect(try await store.append(theirs, to: id))
        #expect(try await store.append(ours, to: id) == false)
        #expect(try await store.links(of: id, after: 0) == [opening] + theirs, "nothing of the second append is stored")
        #expect(try await store.append([], to: id), "nothing to append is no conflict")
        // Links that skip a number are refused, whoever chained them.
        var skipping = RecordChain.link([try RecordChain.decode(theirs[0].json)], after: theirs[0].hash)
        skipping[0].seq = 3
        var gap = skipping[0]
        gap.seq = 5
        await #expect(throws: StoreError.self) { _ = try await store.append(skipping + [gap], to: id) }
        #expect(try await store.links(of: id, after: 0).count == 2, "nothing of a refused append is stored")
        await #expect(throws: StoreError.notFound("no talks 'nowhere'")) {
            _ = try await store.append(theirs, to: TalksID("nowhere"))
        }
        // Twenty talks, two writers each, at once: exactly one of each pair is stored.
        var pairs: [(TalksID, [[RecordChain.Link]])] = []
        for index in 0..<20 {
            let (talks, first) = try opened("race-\(index)")
            let id = TalksID("race-\(index)")
            let opening = try await store.create(id, first: first)
            pairs.append((id, [try rival("left", talks, after: opening), try rival("right", talks, after: opening)]))
        }
        let won = try await withThrowingTaskGroup(of: (TalksID, Int, Bool).self) { group in
            for (id, rivals) in pairs {
                for (side, links) in rivals.enumerated() {
                    group.addTask { (id, side, try await store.append(links, to: id)) }
                }
            }
            return try await group.reduce(into: [TalksID: [Int]]()) { if $1.2 { $0[$1.0, default: []].append($1.1) } }
        }
        for (id, rivals) in pairs {
            let sides = try #require(won[id])
            #expect(sides.count == 1, "\(id): \(sides)")
            #expect(try await store.links(of: id, after: 1) == rivals[sides[0]])
        }
    }

    static func keepsTalksApart(_ store: any TalksStore) async throws {
        for name in ["x", "y", "z"] {
            let (_, first) = try opened(name)
            _ = try await store.create(TalksID(name), first: first)
        }
        #expect(try await store.allTalks() == [TalksID("x"), TalksID("y"), TalksID("z")])
        let results = try await store.verifyAll()
        #expect(results.count == 3)
        #expect(results.allSatisfy { if case .intact(1, _) = $0.verification { true } else { false } })
    }

    static func credentials(_ store: any TalksStore) async throws {
        let (_, first) = try opened("c")
        _ = try await store.create(TalksID("c"), first: first)
        try await store.saveCredential(tokenHash: "h1", talks: TalksID("c"), member: MemberID("m"), version: 0)
        try await store.saveCredential(tokenHash: "h2", talks: TalksID("c"), member: MemberID("m"), version: 1)
        #expect(
            try await store.credential(tokenHash: "h1")
                == Credential(talks: TalksID("c"), member: MemberID("m"), version: 0, opened: false)
        )
        #expect(try await store.credential(tokenHash: "h3") == nil)
        await #expect(throws: StoreError.conflict("the token is already in use")) {
            try await store.saveCredential(tokenHash: "h1", talks: TalksID("c"), member: MemberID("other"), version: 0)
        }
        #expect(try await store.openedLinks(in: TalksID("c")).isEmpty)
        try await store.markOpened(tokenHash: "h2")
        #expect(try await store.credential(tokenHash: "h2")?.opened == true)
        #expect(try await store.credential(tokenHash: "h1")?.opened == false)
        #expect(try await store.openedLinks(in: TalksID("c")) == [MemberLink(member: MemberID("m"), version: 1)])
    }

    static func operators(_ store: any TalksStore) async throws {
        #expect(try await store.operators().isEmpty)
        try await store.addOperator("ops-b", tokenHash: "hb", time: 2)
        try await store.addOperator("ops.a", tokenHash: "ha", time: 1)
        await #expect(throws: StoreError.conflict("there is already an operator named 'ops-b'")) {
            try await store.addOperator("ops-b", tokenHash: "hx", time: 3)
        }
        for bad in ["", "two words", "semi;colon", String(repeating: "x", count: 65)] {
            await #expect(throws: StoreError.self, "'\(bad)' is refused") {
                try await store.addOperator(bad, tokenHash: "h-\(bad)", time: 3)
            }
        }
        #expect(
            try await store.operators()
                == [Operator(name: "ops-b", added: 2), Operator(name: "ops.a", added: 1)].sorted { $0.name < $1.name }
        )
        #expect(try await store.operatorName(tokenHash: "ha") == "ops.a")
        #expect(try await store.operatorName(tokenHash: "nobody") == nil)

        // Who opened what, in order.
        for (index, opener) in ["ops.a", "ops-b", "ops.a"].enumerated() {
            let (_, first) = try opened("o\(index)")
            _ = try await store.create(TalksID("o\(index)"), first: first, openedBy: opener)
        }
        #expect(try await store.talks(openedBy: "ops.a") == [TalksID("o0"), TalksID("o2")])
        #expect(try await store.talks(openedBy: "nobody").isEmpty)

        #expect(try await store.removeOperator("ops.a"))
        #expect(try await !store.removeOperator("ops.a"))
        #expect(try await store.operatorName(tokenHash: "ha") == nil)
        #expect(try await store.operators().map(\.name) == ["ops-b"])
    }

    /// Many talks appending at once (as under load, where a store may commit them together):
    /// every append lands in its own talks, in order, and a bad one fails alone.
    static func concurrentAppendsToManyTalks(_ store: any TalksStore) async throws {
        let talksCount = 20
        var started: [(TalksID, Talks)] = []
        for index in 0..<talksCount {
            let (talks, first) = try opened("many-\(index)")
            let id = TalksID("many-\(index)")
            _ = try await store.create(id, first: first)
            started.append((id, talks))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (id, talks) in started {
                group.addTask {
                    var talks = talks
                    for round in 0..<25 {
                        let events = try talks.handle(
                            .setDeadline("2025-06-\(10 + round % 19)"),
                            by: MemberID("m"),
                            time: Double(round)
                        )
                        let links = try await store.append(events, to: id)
                        // A stale append (an event number already used) stores nothing, alone.
                        #expect(try await store.append(links, to: id) == false)
                        await #expect(throws: StoreError.self) { try await store.append(events, to: id) }
                    }
                }
            }
            try await group.waitForAll()
        }
        for (id, _) in started {
            let links = try await store.links(of: id, after: 0)
            #expect(links.map(\.seq) == Array(1...26))
            guard case .intact = RecordChain.verify(links) else {
                Issue.record("chain of \(id) broken")
                continue
            }
        }
    }

    /// A deployment copied into the store and back out comes back the same: records (text and
    /// hashes), who opened each talks, credentials (opened or not), operators and their tokens.
    static func copiesADeploymentBothWays(_ store: any TalksStore) async throws {
        let source = MemoryTalksStore()
        try await source.addOperator("ops-a", tokenHash: "hash-a", time: 1)
        try await source.addOperator("ops-b", tokenHash: "hash-b", time: 2)
        for (index, opener) in ["ops-b", "ops-a", nil, "ops-b"].enumerated() {
            var (talks, first) = try opened("copied \(index)")
            let id = TalksID("copy-\(index)")
            _ = try await source.create(id, first: first, openedBy: opener)
            for day in 0..<(index * 300) {  // one record longer than a page
                _ = try await source.append(
                    try talks.handle(.setDeadline("2025-06-\(10 + day % 19)"), by: MemberID("m"), time: Double(day)),
                    to: id
                )
            }
            try await source.saveCredential(tokenHash: "token-\(index)", talks: id, member: MemberID("m"), version: 0)
            if index.isMultiple(of: 2) { try await source.markOpened(tokenHash: "token-\(index)") }
        }
        _ = try await source.signingKey(storingIfNone: "PRIVATE+KEY+copied")
        let copied = try await source.copy(to: store)
        #expect(copied.talks == 4 && copied.events == 4 + 300 + 600 + 900)
        let back = MemoryTalksStore()
        #expect(try await store.copy(to: back) == copied)
        for id in try await source.allTalks() {
            #expect(try await back.links(of: id, after: 0) == source.links(of: id, after: 0))
        }
        #expect(try await back.allCredentials() == source.allCredentials())
        #expect(try await back.signingKey(storingIfNone: nil) == "PRIVATE+KEY+copied")
        #expect(try await back.operators() == source.operators())
        #expect(try await back.operatorTokenHashes() == source.operatorTokenHashes())
        for name in ["ops-a", "ops-b"] { #expect(try await back.talks(openedBy: name) == source.talks(openedBy: name)) }
        // The destination already holds the deployment: refused, naming what is in the way.
        await #expect(throws: StoreError.conflict("there is already an operator named 'ops-a'")) {
            _ = try await source.copy(to: store)
        }
    }
}

extension TalksStoreConformance {
    /// The first key offered is kept; later ones are not stored, and a read stores nothing.
    static func keepsTheFirstSigningKey(_ store: any TalksStore) async throws {
        #expect(try await store.signingKey(storingIfNone: nil) == nil)
        // Two offers at once (two instances starting together) agree on one key.
        async let one = store.signingKey(storingIfNone: "PRIVATE+KEY+one")
        async let two = store.signingKey(storingIfNone: "PRIVATE+KEY+two")
        let (first, second) = try await (one, two)
        #expect(first == second)
        #expect(first == "PRIVATE+KEY+one" || first == "PRIVATE+KEY+two")
        #expect(try await store.signingKey(storingIfNone: "PRIVATE+KEY+three") == first)
        #expect(try await store.signingKey(storingIfNone: nil) == first)
    }
}
