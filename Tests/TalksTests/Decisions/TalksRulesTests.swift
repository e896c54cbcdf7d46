import Talks
import Testing

struct TalksRulesTests {
    let us = Fixture.id("US", .principal)
    let iran = Fixture.id("Iran", .principal)

    @Test func observersReadButNeverWrite() throws {
        var fixture = try Fixture()
        let observer = Fixture.id("US", .observer)
        for command: TalksCommand in [
            .post(channel: .room(party: "US"), text: "hello"), .propose(.package(["enrichment": "none"]), parties: []),
            .consentToJointSession, .storePreferences(Preferences(weights: [:], values: [:])),
        ] {
            #expect(throws: TalksError.forbidden("observers read; they do not write")) {
                try fixture.run(command, by: observer)
            }
        }
        try fixture.run(.post(channel: .room(party: "US"), text: "inside"), by: us)
        #expect(fixture.visible(to: observer).contains { $0.event.type == "message-posted" })
    }

    @Test func offAgendaProposalsAreRefusedWithTheReason() throws {
        var fixture = try Fixture()
        #expect {
            try fixture.run(.propose(.package(["missiles": "none"]), parties: []), by: iran)
        } throws: { error in
            let error = error as! TalksError
            return error.kind == .rule && error.message.contains("'missiles' is not on the agenda")
                && error.message.contains("enrichment, relief")
        }
        #expect(throws: TalksError.rule("'60%' is not an option of 'enrichment'")) {
            try fixture.run(.propose(.package(["enrichment": "60%"]), parties: ["US"]), by: fixture.mediator)
        }
        #expect(fixture.talks.state.proposals.isEmpty)
    }

    @Test func aProposalTravelsThroughTheMediatorAndIsCounteredThenAccepted() throws {
        var fixture = try Fixture()
        try fixture.run(.propose(.package(["enrichment": "3.67%", "relief": "full"]), parties: []), by: iran)
        #expect(
            !fixture.visible(to: us).contains { $0.event.type == "proposal-submitted" },
            "the other side sees nothing yet"
        )
        try fixture.run(.forward(proposal: "P1", party: "US"), by: fixture.mediator)
        #expect(
            fixture.visible(to: us).contains {
                $0.event
                    == .proposalForwarded(
                        id: "P1",
                        party: "US",
                        content: .package(["enrichment": "3.67%", "relief": "full"])
                    )
            }
        )
        try fixture.run(
            .answer(proposal: "P1", answer: .counter, counter: .package(["enrichment": "3.67%", "relief": "phased"])),
            by: us
        )
        #expect(fixture.talks.state.proposals["P1"]?.answers["US"] == .counter)
        #expect(fixture.talks.state.proposals["P2"]?.party == "US")
        #expect(throws: TalksError.rule("US has already answered that proposal")) {
            try fixture.run(.answer(proposal: "P1", answer: .accept, counter: nil), by: us)
        }
        try fixture.run(.forward(proposal: "P2", party: "Iran"), by: fixture.mediator)
        try fixture.run(.answer(proposal: "P2", answer: .accept, counter: nil), by: iran)
        #expect(fixture.talks.state.proposals["P2"]?.answers["Iran"] == .accept)
        #expect(throws: TalksError.notFound("that proposal has not been put to US")) {
            try fixture.run(.answer(proposal: "P2", answer: .accept, counter: nil), by: us)
        }
    }

    @Test func relaysReachTheOtherSideAsComingFromTheMediator() throws {
        var fixture = try Fixture()
        let sent = try fixture.run(
            .post(channel: .shuttle(party: "Iran"), text: "We can accept 3.67% if relief is front-loaded."),
            by: iran
        )
        try fixture.run(
            .relay(
                message: sent[0].seq,
                party: "US",
                mode: .paraphrase,
                text: "Iran signals flexibility on enrichment for early relief."
            ),
            by: fixture.mediator
        )
        let seen = fixture.visible(to: us)
        #expect(
            seen.contains {
                $0.event
                    == .messageRelayed(party: "US", text: "Iran signals flexibility on enrichment for early relief.")
            }
        )
        #expect(!seen.contains { "\($0.event)".contains("front-loaded") })
        #expect(!seen.contains { $0.event.type == "relay-decided" })
        #expect(
            fixture.visible(to: fixture.mediator).contains {
                $0.event == .relayDecided(message: sent[0].seq, party: "US", mode: .paraphrase)
            }
        )
        #expect(throws: TalksError.forbidden("only the mediator may relay messages")) {
            try fixture.run(.relay(message: sent[0].seq, party: "US", mode: .verbatim, text: nil), by: iran)
        }
        #expect(throws: TalksError.rule("that message came from Iran; relay it to another party")) {
            try fixture.run(
                .relay(message: sent[0].seq, party: "Iran", mode: .verbatim, text: nil),
                by: fixture.mediator
            )
        }
    }

    @Test func nothingIsAgreedUntilEverythingIsAgreed() throws {
        var fixture = try Fixture()
        let m = fixture.mediator
        try fixture.run(
            .openTrack(
                name: "experts",
                level: .technical,
                issues: ["enrichment"],
                members: [Fixture.id("US", .expert), Fixture.id("Iran", .expert)]
            ),
            by: m
        )
        try fixture.run(.openTrack(name: "principals", level: .principal, issues: [], members: [us, iran]), by: m)
        try fixture.run(.addClause(title: "Enrichment", text: "Iran [shall not enrich][may enrich to 3.67%]."), by: m)
        try fixture.run(.addClause(title: "Relief", text: "Sanctions [shall be lifted][shall be phased]."), by: m)
        try fixture.run(.proposeAlternative(clause: "C1", text: "Iran may enrich to 3.67%."), by: iran)
        try fixture.run(.changePhase(.technical), by: m)
        try fixture.run(.changePhase(.principalReview), by: m)
        #expect(
            throws: TalksError.rule("clause C1 'Enrichment' is bracketed; nothing is agreed until everything is agreed")
        ) {
            try fixture.run(.changePhase(.concluded), by: m)
        }
        #expect(throws: TalksError.rule("clause C1 must be agreed ad referendum in a technical track first")) {
            try fixture.run(.settleClause(clause: "C1", status: .agreed, text: "x", track: "principals"), by: m)
        }
        #expect(
            throws: TalksError.rule(
                "agreement ad referendum comes from a technical track; 'principals' is a principal track"
            )
        ) {
            try fixture.run(
                .settleClause(clause: "C1", status: .agreedAdReferendum, text: "x", track: "principals"),
                by: m
            )
        }
        for clause in ["C1", "C2"] {
            try fixture.run(
                .settleClause(clause: clause, status: .agreedAdReferendum, text: "agreed \(clause)", track: "experts"),
                by: m
            )
        }
        try fixture.run(.settleClause(clause: "C1", status: .agreed, text: "agreed C1", track: "principals"), by: m)
        #expect(
            throws: TalksError.rule(
                "clause C2 'Relief' is agreed-ad-referendum; nothing is agreed until everything is agreed"
            )
        ) {
            try fixture.run(.changePhase(.concluded), by: m)
        }
        try fixture.run(.settleClause(clause: "C2", status: .agreed, text: "agreed C2", track: "principals"), by: m)
        try fixture.run(.changePhase(.concluded), by: m)
        #expect(fixture.talks.state.phase == .concluded)
        #expect(throws: TalksError.rule("the talks are concluded; the record is closed")) {
            try fixture.run(.post(channel: .shuttle(party: "US"), text: "one more thing"), by: us)
        }
    }

    @Test func aJointSessionOpensOnlyWithEveryPartysConsent() throws {
        var fixture = try Fixture()
        #expect(throws: TalksError.rule("no joint session is open; it opens when every party consents")) {
            try fixture.run(.post(channel: .joint, text: "hello"), by: us)
        }
        try fixture.run(.consentToJointSession, by: us)
        #expect(throws: TalksError.rule("Iran has not consented to a joint session")) {
            try fixture.run(.openJointSession, by: fixture.mediator)
        }
        #expect(throws: TalksError.forbidden("a delegation's principal consents to a joint session")) {
            try fixture.run(.consentToJointSession, by: Fixture.id("Iran", .expert))
        }
        try fixture.run(.consentToJointSession, by: iran)
        try fixture.run(.openJointSession, by: fixture.mediator)
        try fixture.run(.post(channel: .joint, text: "a brief direct meeting"), by: us)
        #expect(fixture.visible(to: iran).contains { "\($0.event)".contains("a brief direct meeting") })
        try fixture.run(.closeJointSession, by: fixture.mediator)
        #expect(fixture.talks.state.jointConsents.isEmpty, "consent is given per session")
    }

    @Test func roundsReadoutsAndDeadline() throws {
        var fixture = try Fixture()
        try fixture.run(
            .scheduleRound(date: "2025-04-12", venue: "Muscat", level: .principal, format: .indirect),
            by: fixture.mediator
        )
        try fixture.run(.publishReadout(round: "R1", text: "Constructive atmosphere."), by: iran)
        try fixture.run(.setDeadline("2025-06-12"), by: fixture.mediator)
        #expect(fixture.talks.state.readouts["R1"]?["Iran"] == "Constructive atmosphere.")
        #expect(fixture.talks.state.deadline == "2025-06-12")
        #expect(throws: TalksError.invalid("'12 April' is not a date as YYYY-MM-DD")) {
            try fixture.run(
                .scheduleRound(date: "12 April", venue: "Rome", level: .principal, format: .indirect),
                by: fixture.mediator
            )
        }
        #expect(throws: TalksError.forbidden("a delegation's principal or technical lead publishes its readout")) {
            try fixture.run(.publishReadout(round: "R1", text: "x"), by: Fixture.id("US", .expert))
        }
    }

    @Test func refusedCommandsChangeNothing() throws {
        var fixture = try Fixture()
        let before = fixture.talks.state
        _ = try? fixture.run(.changePhase(.concluded), by: fixture.mediator)
        _ = try? fixture.run(.post(channel: .room(party: "Iran"), text: "x"), by: us)
        _ = try? fixture.run(
            .invite(id: us, party: "US", name: "again", role: .expert, affiliation: nil),
            by: fixture.mediator
        )
        #expect(fixture.talks.state == before)
    }

    @Test func openingNeedsTwoNamedParties() {
        let mediator = Member(id: MemberID("m"), name: "Oman", seat: .mediator)
        #expect(throws: TalksError.invalid("talks need at least two parties")) {
            try Talks.open(title: "t", parties: ["US"], mediator: mediator, time: 0)
        }
        #expect(throws: TalksError.invalid("each party must be named once")) {
            try Talks.open(title: "t", parties: ["US", "US"], mediator: mediator, time: 0)
        }
        #expect(throws: TalksError.invalid("the talks need a title")) {
            try Talks.open(title: " ", parties: ["A", "B"], mediator: mediator, time: 0)
        }
    }
}

struct MemberLifecycleRulesTests {
    let us = Fixture.id("US", .principal)
    let usExpert = Fixture.id("US", .expert)

    @Test func aReplacedLinkMovesTheMembersVersionAndOnlyTheirDelegationAndTheMediatorHearOfIt() throws {
        var fixture = try Fixture()
        #expect(fixture.talks.state.linkVersion(of: usExpert) == 0)
        let events = try fixture.run(.replaceLink(member: usExpert), by: fixture.mediator)
        #expect(events.map(\.event) == [.memberLinkReplaced(member: usExpert, party: "US")])
        #expect(fixture.talks.state.linkVersion(of: usExpert) == 1)
        #expect(fixture.talks.state.linkVersion(of: us) == 0, "one member's link only")
        #expect(fixture.visible(to: fixture.mediator).contains { $0.event.type == "member-link-replaced" })
        #expect(fixture.visible(to: us).contains { $0.event.type == "member-link-replaced" })
        #expect(
            !fixture.visible(to: Fixture.id("Iran", .principal)).contains { $0.event.type == "member-link-replaced" }
        )
        // The mediator's own link too, heard by the mediator alone.
        try fixture.run(.replaceLink(member: fixture.mediator), by: fixture.mediator)
        #expect(fixture.talks.state.linkVersion(of: fixture.mediator) == 1)
        #expect(
            !fixture.visible(to: us).contains { $0.event == .memberLinkReplaced(member: fixture.mediator, party: nil) }
        )
    }

    @Test func onlyTheMediatorManagesLinksAndMembersAndTheMediatorStays() throws {
        var fixture = try Fixture()
        #expect(throws: TalksError.forbidden("only the mediator may issue new links")) {
            try fixture.run(.replaceLink(member: usExpert), by: us)
        }
        #expect(throws: TalksError.forbidden("only the mediator may remove members")) {
            try fixture.run(.removeMember(usExpert), by: us)
        }
        #expect(throws: TalksError.notFound("no member 'ghost' in these talks")) {
            try fixture.run(.replaceLink(member: MemberID("ghost")), by: fixture.mediator)
        }
        #expect(throws: TalksError.rule("the mediator's seat cannot be removed; give the mediator a new link instead"))
        {
            try fixture.run(.removeMember(fixture.mediator), by: fixture.mediator)
        }
    }

    @Test func aRemovedMemberLeavesTheirTracksAndTheirIdIsNeverGivenAgain() throws {
        var fixture = try Fixture()
        try fixture.run(
            .openTrack(
                name: "technical",
                level: .technical,
                issues: [],
                members: [usExpert, Fixture.id("Iran", .expert)]
            ),
            by: fixture.mediator
        )
        let removed = try fixture.run(.removeMember(usExpert), by: fixture.mediator)
        #expect(removed.first?.audience == [.plenary], "everyone sees the roster change, as with an invitation")
        #expect(fixture.talks.state.members[usExpert] == nil)
        #expect(fixture.talks.state.tracks["technical"]?.members == [Fixture.id("Iran", .expert)])
        #expect(throws: TalksError.notFound("no member 'US-expert' in these talks")) {
            try fixture.run(.removeMember(usExpert), by: fixture.mediator)
        }
        #expect(throws: TalksError.rule("member id 'US-expert' is taken")) {
            try fixture.run(
                .invite(id: usExpert, party: "US", name: "again", role: .expert, affiliation: nil),
                by: fixture.mediator
            )
        }
        // Folding the record again gives the same state.
        #expect(Talks(folding: fixture.record).state == fixture.talks.state)
    }

    @Test func linksStayRevocableAfterTheTalksConclude() throws {
        var fixture = try Fixture()
        try fixture.run(.openTrack(name: "technical", level: .technical, issues: [], members: []), by: fixture.mediator)
        try fixture.run(
            .openTrack(name: "principals", level: .principal, issues: [], members: []),
            by: fixture.mediator
        )
        try fixture.run(.addClause(title: "Scope", text: "nuclear only"), by: fixture.mediator)
        try fixture.run(
            .settleClause(clause: "C1", status: .agreedAdReferendum, text: "nuclear only", track: "technical"),
            by: fixture.mediator
        )
        try fixture.run(
            .settleClause(clause: "C1", status: .agreed, text: "nuclear only", track: "principals"),
            by: fixture.mediator
        )
        try fixture.run(.changePhase(.technical), by: fixture.mediator)
        try fixture.run(.changePhase(.principalReview), by: fixture.mediator)
        try fixture.run(.changePhase(.concluded), by: fixture.mediator)
        #expect(throws: TalksError.rule("the talks are concluded; the record is closed")) {
            try fixture.run(.setDeadline("2025-07-01"), by: fixture.mediator)
        }
        try fixture.run(.replaceLink(member: us), by: fixture.mediator)
        try fixture.run(.removeMember(usExpert), by: fixture.mediator)
        #expect(fixture.talks.state.linkVersion(of: us) == 1 && fixture.talks.state.members[usExpert] == nil)
    }
}
