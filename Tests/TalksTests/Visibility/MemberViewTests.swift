import Foundation
import Talks
import Testing

/// Nothing a member is given counts what they cannot see.
struct MemberViewTests {
    let us = Fixture.id("US", .principal)
    let iran = Fixture.id("Iran", .principal)

    /// What the US principal is given over a short exchange with the mediator: every event as
    /// they receive it, and the numbers answered to their writes. When `iranBusy`, Iran writes
    /// in its room and sends the mediator messages and proposals before each step.
    func usTranscript(iranBusy: Bool) throws -> (events: [String], answers: [[Int]]) {
        var fixture = try Fixture()
        fixture.tick = 0
        let m = fixture.mediator
        var answers: [[Int]] = []
        func busy() throws {
            guard iranBusy else { return }
            for n in 1...4 { try fixture.run(.post(channel: .room(party: "Iran"), text: "Iran room \(n)"), by: iran) }
            try fixture.run(.post(channel: .shuttle(party: "Iran"), text: "Iran to the mediator"), by: iran)
            try fixture.run(.propose(.package(["enrichment": "20%", "relief": "full"]), parties: []), by: iran)
        }
        func usWrites(_ command: TalksCommand) throws {
            let view = MemberView(of: fixture.talks.state.members[us]!, in: fixture.talks.state)
            let recorded = try fixture.run(try view.recordCommand(command), by: us)
            let after = MemberView(of: fixture.talks.state.members[us]!, in: fixture.talks.state)
            answers.append(recorded.compactMap { after.number(ofRecordSeq: $0.seq) })
        }
        try busy()
        try usWrites(.post(channel: .room(party: "US"), text: "our floor"))
        try busy()
        try usWrites(.post(channel: .shuttle(party: "US"), text: "US to the mediator"))
        try busy()
        try fixture.run(.propose(.package(["enrichment": "3.67%", "relief": "phased"]), parties: ["US"]), by: m)
        try busy()
        try usWrites(
            .answer(proposal: "P1", answer: .counter, counter: .package(["enrichment": "3.67%", "relief": "full"]))
        )
        try busy()
        try usWrites(.propose(.package(["enrichment": "none", "relief": "full"]), parties: []))
        let view = MemberView(of: fixture.talks.state.members[us]!, in: fixture.talks.state)
        let events = fixture.record.compactMap { view.present($0) }
        #expect(events.map(\.seq) == Array(1...events.count), "numbered without gaps")
        return (events.map(RecordChain.encode), answers)
    }

    @Test func aMembersNumbersAreTheSameWhetherOrNotTheOtherSideIsBusy() throws {
        let quiet = try usTranscript(iranBusy: false)
        let busy = try usTranscript(iranBusy: true)
        #expect(busy.events == quiet.events)
        #expect(busy.answers == quiet.answers)
        // The US's proposals are its own P1 (the mediator's), P2 (its counter), P3, whatever
        // number the record gave them.
        let ids = quiet.events.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .compactMap { $0["id"] as? String }
        #expect(Set(ids) == ["P1", "P2", "P3"])
    }

    @Test func theRecordKeepsItsOwnNumbers() throws {
        var fixture = try Fixture()
        try fixture.run(.post(channel: .room(party: "Iran"), text: "room"), by: iran)
        try fixture.run(.propose(.package(["enrichment": "20%"]), parties: []), by: iran)
        try fixture.run(.propose(.package(["enrichment": "none"]), parties: []), by: us)
        #expect(fixture.talks.state.proposals["P2"]?.party == "US")
        let usView = MemberView(of: fixture.talks.state.members[us]!, in: fixture.talks.state)
        let mediatorView = MemberView(of: fixture.talks.state.mediator!, in: fixture.talks.state)
        let submitted = fixture.record.last!
        #expect(
            usView.present(submitted)?.event
                == .proposalSubmitted(id: "P1", party: "US", content: .package(["enrichment": "none"]))
        )
        // The mediator sees every proposal: its ids are the record's.
        #expect(
            mediatorView.present(submitted)?.event
                == .proposalSubmitted(id: "P2", party: "US", content: .package(["enrichment": "none"]))
        )
        #expect(
            mediatorView.number(ofRecordSeq: submitted.seq)! < submitted.seq,
            "the mediator's numbers skip the rooms"
        )
        #expect(
            usView.present(fixture.record[fixture.record.count - 2]) == nil,
            "Iran's proposal is not the US's to see"
        )
    }

    @Test func theMediatorRelaysByItsOwnNumbers() throws {
        var fixture = try Fixture()
        try fixture.run(.post(channel: .room(party: "Iran"), text: "room"), by: iran)
        let sent = try fixture.run(.post(channel: .shuttle(party: "Iran"), text: "to the mediator"), by: iran)[0]
        let view = MemberView(of: fixture.talks.state.mediator!, in: fixture.talks.state)
        let number = try #require(view.number(ofRecordSeq: sent.seq))
        #expect(number == view.count && number == sent.seq - 1)
        let relay = try view.recordCommand(.relay(message: number, party: "US", mode: .verbatim, text: nil))
        #expect(relay == .relay(message: sent.seq, party: "US", mode: .verbatim, text: nil))
        let decided = try fixture.run(relay, by: fixture.mediator)[0]
        let after = MemberView(of: fixture.talks.state.mediator!, in: fixture.talks.state)
        #expect(after.present(decided)?.event == .relayDecided(message: number, party: "US", mode: .verbatim))
        #expect(throws: TalksError.notFound("no message \(after.count + 1)")) {
            try after.recordCommand(.relay(message: after.count + 1, party: "US", mode: .verbatim, text: nil))
        }
    }

    @Test func aNumberNeverGivenIsRefused() throws {
        var fixture = try Fixture()
        try fixture.run(.propose(.package(["enrichment": "20%"]), parties: []), by: iran)
        let view = MemberView(of: fixture.talks.state.members[us]!, in: fixture.talks.state)
        #expect(throws: TalksError.notFound("no proposal P1 has been put to US")) {
            try view.recordCommand(.answer(proposal: "P1", answer: .accept, counter: nil))
        }
        #expect(throws: TalksError.notFound("no proposal P01 has been put to US")) {
            try view.recordCommand(.answer(proposal: "P01", answer: .accept, counter: nil))
        }
        #expect(try view.recordSeq(after: 0) == 0)
        #expect(try view.recordSeq(after: view.count) <= fixture.talks.state.lastSeq)
        #expect(throws: TalksError.self) { try view.recordSeq(after: view.count + 1) }
        #expect(throws: TalksError.self) { try view.recordSeq(after: -1) }
    }

    @Test func numbersStayPutWhenATrackOpensAndForALateInvitee() throws {
        var fixture = try Fixture()
        let expert = Fixture.id("US", .expert)
        try fixture.run(.post(channel: .room(party: "US"), text: "before the track"), by: us)
        let before = MemberView(of: fixture.talks.state.members[expert]!, in: fixture.talks.state)
        let numbered = fixture.record.compactMap { before.present($0) }
        try fixture.run(
            .openTrack(
                name: "experts",
                level: .technical,
                issues: ["enrichment"],
                members: [expert, Fixture.id("Iran", .expert)]
            ),
            by: fixture.mediator
        )
        try fixture.run(.post(channel: .track("experts"), text: "in the track"), by: expert)
        let after = MemberView(of: fixture.talks.state.members[expert]!, in: fixture.talks.state)
        #expect(Array(fixture.record.compactMap { after.present($0) }.prefix(numbered.count)) == numbered)
        #expect(after.count == numbered.count + 2)
        // A delegate invited now reads the delegation's history, numbered from 1.
        try fixture.run(
            .invite(id: MemberID("late"), party: "US", name: "Late", role: .expert, affiliation: nil),
            by: fixture.mediator
        )
        let late = MemberView(of: fixture.talks.state.members[MemberID("late")]!, in: fixture.talks.state)
        let lateEvents = fixture.record.compactMap { late.present($0) }
        #expect(lateEvents.map(\.seq) == Array(1...late.count))
        #expect(
            lateEvents.contains { $0.event.type == "message-posted" }
                && !lateEvents.contains { "\($0.event)".contains("in the track") }
        )
    }
}
