import Foundation
import Talks
import Testing

struct RecordChainTests {
    func record() throws -> [RecordedEvent] {
        var fixture = try Fixture()
        try fixture.run(
            .post(channel: .shuttle(party: "Iran"), text: "first \"quoted\" / words"),
            by: Fixture.id("Iran", .principal)
        )
        try fixture.run(.storePreferences(SuggestionsTests.us), by: Fixture.id("US", .principal))
        try fixture.run(
            .scheduleRound(date: "2025-04-19", venue: "Rome", level: .principal, format: .indirect),
            by: fixture.mediator
        )
        try fixture.run(.propose(.package(["enrichment": "3.67%"]), parties: ["US", "Iran"]), by: fixture.mediator)
        return fixture.record
    }

    /// Over a record that holds every kind of event (``TalksEvent/Kind``), not a sample of them.
    @Test func everyEventRoundTripsThroughItsJSON() throws {
        let record = try Fixture.withEveryKindOfEvent().record
        #expect(Set(record.map(\.event.kind)) == Set(TalksEvent.Kind.allCases))
        for event in record {
            #expect(try RecordChain.decode(RecordChain.encode(event)) == event)
        }
    }

    @Test func anIntactChainVerifies() throws {
        let events = try record()
        let links = RecordChain.link(events, after: RecordChain.genesis)
        guard case .intact(let count, let head) = RecordChain.verify(links) else {
            Issue.record("expected intact")
            return
        }
        #expect(count == events.count)
        #expect(head == links.last?.hash)
        // Linking in two batches gives the same chain.
        let first = RecordChain.link(Array(events.prefix(3)), after: RecordChain.genesis)
        #expect(first + RecordChain.link(Array(events.dropFirst(3)), after: first.last!.hash) == links)
    }

    @Test func anyEditRemovalOrSwapBreaksTheChain() throws {
        let links = RecordChain.link(try record(), after: RecordChain.genesis)
        var edited = links
        // Event 6 invites an Iranian delegate; make it someone else.
        #expect(edited[5].json.contains("Iran"))
        edited[5].json = edited[5].json.replacingOccurrences(of: "Iran", with: "Iraq")
        #expect(
            RecordChain.verify(edited)
                == .broken(seq: 6, reason: "the hash does not match the event's text or the event before it")
        )
        var removed = links
        removed.remove(at: 4)
        #expect(RecordChain.verify(removed) == .broken(seq: 6, reason: "expected event 5, found 6"))
        var rehashed = links
        // Rewriting one event and its own hash still breaks the next link.
        rehashed[3].json = rehashed[3].json.replacingOccurrences(of: "US", with: "UK")
        rehashed[3].hash = RecordChain.hash(rehashed[3].json, previous: rehashed[2].hash)
        #expect(
            RecordChain.verify(rehashed)
                == .broken(seq: 5, reason: "the hash does not match the event's text or the event before it")
        )
    }

    /// Renumbering the stored text is encoding the renumbered event, even with "seq" inside a
    /// package's issue names, in texts, and in deeper objects.
    @Test func renumberingTheStoredTextIsEncodingAgain() throws {
        let tricky: [TalksEvent] = [
            .messagePosted(
                channel: .room(party: "US"),
                author: MemberID("a"),
                text: #"quote \"seq\":7, and ,"seq":7,"#
            ),
            .proposalSubmitted(id: "P1", party: "US", content: .package(["seq": "7", "a": "b"])),
            .agendaSet([AgendaIssue(name: "seq", options: ["1", "7"])]),
            .jointSessionOpened,
        ]
        for (index, event) in (try Fixture.withEveryKindOfEvent().record.map(\.event) + tricky).enumerated() {
            let stored = RecordedEvent(seq: 7, event: event, audience: Visibility.audience(of: event), time: 12.5)
            var renumbered = stored
            renumbered.seq = 123 + index
            #expect(RecordChain.renumber(RecordChain.encode(stored), to: 123 + index) == RecordChain.encode(renumbered))
        }
        #expect(RecordChain.renumber("{\"text\":\"no number\"}", to: 1) == nil)
    }
}
