public import NegotiationEngine
public import Talks
public import TalksStore

/// The demo talks: the April 2025 format replayed with illustrative content.
///
/// Two delegations with principals, technical leads and experts; Oman in the chair; the Muscat
/// and Rome exploratory rounds with each side's readout; a nuclear-only agenda with each side's
/// private preferences and red lines (from the sample scenario, whose numbers are illustrative);
/// a technical track; a framework text with bracketed clauses; a relayed message.
public enum Demo {
    /// A member of the demo and the token that lets them in.
    public struct Seat: Sendable {
        public var name: String
        public var party: String?
        public var role: String
        public var token: String
    }

    /// Seeds `hub` with the demo talks over `scenario` (two parties, discrete issues, linear
    /// additive preferences); returns the talks and every member's seat.
    /// `openedBy` names the operator whose page lists the demo talks.
    public static func seed(
        _ hub: TalksHub,
        scenario: Scenario,
        openedBy: String? = nil
    ) async throws -> (TalksID, [Seat]) {
        precondition(scenario.parties.count == 2, "the demo has two delegations")
        let us = scenario.parties[0].name
        let iran = scenario.parties[1].name
        let (id, mediator, mediatorToken) = try await hub.open(
            title: "Oman-mediated talks, April 2025 (illustrative replay)",
            parties: [us, iran],
            mediatorName: "Oman (Foreign Minister)",
            openedBy: openedBy
        )
        var seats = [Seat(name: "Oman (Foreign Minister)", party: nil, role: "mediator", token: mediatorToken)]
        var members: [String: MemberID] = [:]
        let roster: [(String, String, Role, String?)] = [
            (us, "Special Envoy", .principal, "White House"),
            (us, "Director of Policy Planning", .technicalLead, "State"),
            (us, "Sanctions expert", .expert, "Treasury"),
            (us, "Intelligence analyst", .expert, "Intelligence"),
            (iran, "Foreign Minister", .principal, "Foreign Ministry"),
            (iran, "Deputy Minister for Legal Affairs", .technicalLead, "Foreign Ministry"),
            (iran, "Deputy Minister for Economic Diplomacy", .technicalLead, "Foreign Ministry"),
            (iran, "Sanctions relief expert", .expert, "Foreign Ministry"),
        ]
        for (party, name, role, affiliation) in roster {
            let (member, token, _) = try await hub.invite(
                party: party,
                name: name,
                role: role,
                affiliation: affiliation,
                in: id,
                by: mediator
            )
            members[name] = member
            seats.append(Seat(name: name, party: party, role: role.rawValue, token: token))
        }
        func run(_ command: TalksCommand, by name: String?) async throws -> [RecordChain.Link] {
            try await hub.execute(command, in: id, by: name.map { members[$0]! } ?? mediator)
        }

        let agenda = scenario.space.issues.map { issue in
            AgendaIssue(name: issue.name, options: (0..<(issue.optionCount ?? 0)).map { issue.label(ofOption: $0) })
        }
        _ = try await run(.setAgenda(agenda), by: nil)
        _ = try await run(.setDeadline("2025-06-12"), by: nil)

        _ = try await run(
            .scheduleRound(date: "2025-04-12", venue: "Muscat", level: .principal, format: .indirect),
            by: nil
        )
        _ = try await run(
            .publishReadout(
                round: "R1",
                text: "Talks held in a constructive atmosphere; both sides agreed on the ground rules."
            ),
            by: "Foreign Minister"
        )
        _ = try await run(
            .publishReadout(
                round: "R1",
                text: "Very positive and constructive; a step forward toward a mutually beneficial outcome."
            ),
            by: "Special Envoy"
        )
        _ = try await run(
            .scheduleRound(date: "2025-04-19", venue: "Rome", level: .principal, format: .indirect),
            by: nil
        )
        _ = try await run(
            .publishReadout(round: "R2", text: "Good progress on principles and goals; experts to meet next."),
            by: "Foreign Minister"
        )
        _ = try await run(
            .publishReadout(round: "R2", text: "Positive and productive; technical talks to follow."),
            by: "Special Envoy"
        )
        _ = try await run(
            .publishJointStatement(
                round: "R2",
                text:
                    "The parties agreed to begin technical talks on 23 April, with principals to meet on 26 April in Muscat."
            ),
            by: nil
        )
        _ = try await run(
            .scheduleRound(date: "2025-04-26", venue: "Muscat", level: .technical, format: .indirect),
            by: nil
        )
        _ = try await run(.changePhase(.technical), by: nil)

        let experts = [
            "Director of Policy Planning", "Sanctions expert", "Intelligence analyst",
            "Deputy Minister for Legal Affairs",
            "Deputy Minister for Economic Diplomacy", "Sanctions relief expert",
        ].map { members[$0]! }
        _ = try await run(
            .openTrack(name: "technical", level: .technical, issues: agenda.map(\.name), members: experts),
            by: nil
        )
        _ = try await run(
            .openTrack(
                name: "principals",
                level: .principal,
                issues: [],
                members: [members["Special Envoy"]!, members["Foreign Minister"]!]
            ),
            by: nil
        )

        _ = try await run(.addClause(title: "Scope", text: "These talks concern the nuclear programme only."), by: nil)
        _ = try await run(
            .settleClause(
                clause: "C1",
                status: .agreedAdReferendum,
                text: "These talks concern the nuclear programme only.",
                track: "technical"
            ),
            by: nil
        )
        _ = try await run(
            .addClause(
                title: "Enrichment",
                text: "Enrichment on the territory of the Islamic Republic [shall cease][shall not exceed 3.67%]."
            ),
            by: nil
        )
        _ = try await run(
            .proposeAlternative(
                clause: "C2",
                text: "Enrichment shall not exceed 3.67% for the duration of the agreement."
            ),
            by: "Deputy Minister for Legal Affairs"
        )
        _ = try await run(
            .proposeAlternative(clause: "C2", text: "No enrichment capability shall be retained."),
            by: "Director of Policy Planning"
        )
        _ = try await run(
            .addClause(
                title: "Sanctions relief",
                text:
                    "Sanctions [shall be lifted in full on signature][shall be lifted in phases, verified step by step]."
            ),
            by: nil
        )
        _ = try await run(
            .addClause(
                title: "Verification",
                text: "The IAEA shall have [Additional Protocol access][JCPOA-level monitoring]."
            ),
            by: nil
        )

        _ = try await run(
            .post(channel: .room(party: us), text: "Internal: our floor on enrichment is zero; relief can be phased."),
            by: "Special Envoy"
        )
        _ = try await run(
            .post(
                channel: .room(party: iran),
                text: "Internal: enrichment on our soil is not negotiable; relief must be real and verifiable."
            ),
            by: "Foreign Minister"
        )
        let message = try await run(
            .post(
                channel: .shuttle(party: iran),
                text: "We can discuss limits on enrichment if sanctions relief is front-loaded and guaranteed."
            ),
            by: "Foreign Minister"
        )
        _ = try await run(
            .relay(
                message: message[0].seq,
                party: us,
                mode: .paraphrase,
                text: "Iran signals openness to limits on enrichment in exchange for early, credible sanctions relief."
            ),
            by: nil
        )

        for (index, party) in scenario.parties.enumerated() {
            let author = index == 0 ? "Director of Policy Planning" : "Deputy Minister for Economic Diplomacy"
            guard let preferences = Preferences(party, in: scenario.space) else {
                preconditionFailure("the demo needs linear additive preferences")
            }
            _ = try await run(.storePreferences(preferences), by: author)
        }
        return (id, seats)
    }
}
