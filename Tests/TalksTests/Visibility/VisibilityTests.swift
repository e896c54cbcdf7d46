import NegotiationEngine
import Talks
import TalksTesting
import Testing

struct VisibilityTests {
    /// Random commands from random members over random talks: every member reads exactly the
    /// events their channels allow, the mediator never a room, and the receiver of a paraphrase
    /// never the original words.
    @Test(arguments: 0..<60)
    func membersReadExactlyWhatTheirChannelsAllow(seed: Int) throws {
        var generator = SeededGenerator(seed: UInt64(seed))
        let parties = Array(["US", "Iran", "EU"].prefix(Int.random(in: 2...3, using: &generator)))
        var fixture = try Fixture(parties: parties)
        let members = fixture.talks.state.members.keys.sorted()
        var texts = 0
        func text() -> String {
            texts += 1
            return "<words-\(seed)-\(texts)>"
        }
        let tracks = ["technical", "principal"]
        // Open two tracks with random members of the right roles.
        let experts = members.filter {
            [Role.expert, .technicalLead, .observer].contains(fixture.talks.state.members[$0]!.role)
        }
        let principals = members.filter { fixture.talks.state.members[$0]!.role == .principal }
        try fixture.run(
            .openTrack(
                name: tracks[0],
                level: .technical,
                issues: ["enrichment"],
                members: experts.filter { _ in Bool.random(using: &generator) }
            ),
            by: fixture.mediator
        )
        try fixture.run(
            .openTrack(
                name: tracks[1],
                level: .principal,
                issues: [],
                members: principals.filter { _ in Bool.random(using: &generator) }
            ),
            by: fixture.mediator
        )
        try fixture.run(.addClause(title: "scope", text: text()), by: fixture.mediator)

        for _ in 0..<400 {
            var actor = members.randomElement(using: &generator)!
            let party = parties.randomElement(using: &generator)!
            let messageSeqs = fixture.talks.state.messages.filter {
                if case .shuttle = $0.value.channel { true } else { false }
            }.keys.sorted()
            // Sorted: a dictionary's order changes from run to run, and the seeds must replay.
            let proposals = fixture.talks.state.proposals.keys.sorted()
            let package = ["enrichment": Fixture.agenda[0].options.randomElement(using: &generator)!]
            let command: TalksCommand
            switch Int.random(in: 0..<15, using: &generator) {
            case 0: command = .post(channel: .room(party: party), text: text())
            case 1, 2: command = .post(channel: .shuttle(party: party), text: text())
            case 3: command = .post(channel: .track(tracks.randomElement(using: &generator)!), text: text())
            case 4: command = .post(channel: .joint, text: text())
            case 5, 12, 13:
                let mode = [RelayMode.verbatim, .paraphrase, .withhold].randomElement(using: &generator)!
                command = .relay(
                    message: messageSeqs.randomElement(using: &generator) ?? 0,
                    party: party,
                    mode: mode,
                    text: text()
                )
            case 6: command = .propose(.package(package), parties: [party])
            case 7: command = .forward(proposal: proposals.randomElement(using: &generator) ?? "P0", party: party)
            case 8:
                let answer = [Answer.accept, .reject, .counter].randomElement(using: &generator)!
                command = .answer(
                    proposal: proposals.randomElement(using: &generator) ?? "P0",
                    answer: answer,
                    counter: answer == .counter ? .package(package) : nil
                )
            case 9: command = .proposeAlternative(clause: "C1", text: text())
            case 10:
                command = [.consentToJointSession, .openJointSession, .closeJointSession].randomElement(
                    using: &generator
                )!
            case 14: command = .replaceLink(member: members.randomElement(using: &generator)!)
            default:
                command = .storePreferences(
                    Preferences(
                        weights: ["enrichment": 0.5, "relief": 0.5],
                        values: [
                            "enrichment": ["none": 0, "3.67%": 0.5, "20%": 1],
                            "relief": ["full": 1, "phased": 0.5, "none": 0],
                        ],
                        reservationValue: 0.3
                    )
                )
            }
            // Mostly the mediator for the mediator's work, so that relays and forwards happen.
            switch command {
            case .relay, .forward, .openJointSession, .closeJointSession, .replaceLink:
                if Int.random(in: 0..<4, using: &generator) > 0 { actor = fixture.mediator }
            default: break
            }
            _ = try? fixture.run(command, by: actor)
        }

        let state = fixture.talks.state
        #expect(fixture.record.map(\.seq) == Array(1...fixture.record.count))
        // The sequence exercised the channels that matter, not only refusals.
        let types = Set(fixture.record.map(\.event.type))
        for type in [
            "message-posted", "relay-decided", "message-relayed", "proposal-submitted", "proposal-forwarded",
            "alternative-proposed", "preferences-stored",
        ] {
            #expect(types.contains(type), "\(type)")
        }
        #expect(fixture.record.count > 60)
        for id in members {
            let member = state.members[id]!
            let visible = fixture.visible(to: id)
            let expected = fixture.record.filter { VisibilityOracle.shouldSee(member, $0.event, state: state) }
            #expect(visible == expected, "member \(id)")
            if member.isMediator {
                #expect(!visible.contains { $0.audience.contains { if case .room = $0 { true } else { false } } })
            }
            // Nothing from another party's room or shuttle channel, ever.
            if let party = member.party {
                for event in visible {
                    for channel in event.audience {
                        switch channel {
                        case .room(let other), .shuttle(let other): #expect(other == party || event.audience.count > 1)
                        default: break
                        }
                    }
                }
            }
        }
        // A paraphrase's receiver never reads the original words.
        for event in fixture.record {
            guard case .relayDecided(let seq, let party?, .paraphrase) = event.event,
                let original = state.messages[seq]?.text
            else { continue }
            // Unless the mediator also chose to pass the same words on verbatim.
            let alsoVerbatim = fixture.record.contains {
                if case .relayDecided(seq, party, .verbatim) = $0.event { true } else { false }
            }
            if alsoVerbatim { continue }
            for id in members where state.members[id]!.party == party {
                #expect(!fixture.visible(to: id).contains { "\($0.event)".contains(original) })
            }
        }
        // The state is the fold of the record.
        #expect(Talks(folding: fixture.record).state == state)
    }

    @Test func theMediatorNeverReadsARoom() throws {
        var fixture = try Fixture()
        try fixture.run(
            .post(channel: .room(party: "US"), text: "our floor is 3.67%"),
            by: Fixture.id("US", .principal)
        )
        #expect(!fixture.visible(to: fixture.mediator).contains { "\($0.event)".contains("our floor") })
        #expect(fixture.visible(to: Fixture.id("US", .observer)).contains { "\($0.event)".contains("our floor") })
        #expect(!fixture.visible(to: Fixture.id("Iran", .principal)).contains { "\($0.event)".contains("our floor") })
        #expect(throws: TalksError.forbidden("a delegation's room is open to its own members only")) {
            try fixture.run(.post(channel: .room(party: "US"), text: "may I?"), by: fixture.mediator)
        }
    }
}

struct ChannelTextTests {
    /// Read by Unicode scalars: a track name that begins with a mark (which would join the colon
    /// into one character) is still a track.
    @Test func channelsReadFromTheirText() {
        #expect(Channel("track:\u{1F3FB}x") == .track("\u{1F3FB}x"))
        #expect(Channel("track:\u{301}") == .track("\u{301}"))
        #expect(Channel("room:Iran") == .room(party: "Iran") && Channel("shuttle:US") == .shuttle(party: "US"))
        #expect(Channel("plenary") == .plenary && Channel("joint") == .joint && Channel("mediator") == .mediator)
        for bad in ["track:", "track", "lobby:x", "", ":x"] { #expect(Channel(bad) == nil, "\(bad)") }
    }
}
