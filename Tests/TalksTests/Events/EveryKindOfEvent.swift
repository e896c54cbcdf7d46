import Crypto
import Foundation
import NegotiationEngine
import Talks
import TalksTesting

extension Fixture {
    /// Preferences under which package (20%, none) is improved on by (3.67%, phased) for both
    /// parties: US 0.5 → 0.55, Iran 0.5 → 0.8.
    static let improvable: [String: Preferences] = [
        "US": Preferences(
            weights: ["enrichment": 0.5, "relief": 0.5],
            values: [
                "enrichment": ["none": 1, "3.67%": 0.5, "20%": 0], "relief": ["full": 0, "phased": 0.6, "none": 1],
            ],
            forbidden: [:],
            reservationValue: 0
        ),
        "Iran": Preferences(
            weights: ["enrichment": 0.5, "relief": 0.5],
            values: [
                "enrichment": ["none": 0, "3.67%": 0.8, "20%": 1], "relief": ["full": 1, "phased": 0.8, "none": 0],
            ],
            forbidden: [:],
            reservationValue: 0
        ),
    ]

    /// Talks whose record holds every kind of event, each made by a command as a member would
    /// send it, so that tests over ``TalksEvent/Kind/allCases`` see real events, not hand-made ones.
    static func withEveryKindOfEvent() throws -> Fixture {
        var f = try Fixture(sealedRooms: true)
        let (us, iran) = (id("US", .principal), id("Iran", .principal))
        var member = SealedRoomMember(id: us, party: "US", talks: "t1")
        try f.run(.registerSealingKey(publicKey: member.publicKey), by: us)
        let roomKey = try member.newRoomKey(replacing: nil, for: [(us, member.publicKey)])
        try f.run(.shareRoomKey(roomKey), by: us)
        try f.run(.post(channel: .room(party: "US"), text: try member.seal("a sealed word", with: roomKey.key)), by: us)
        try f.run(.replaceLink(member: id("US", .expert)), by: f.mediator)
        try f.run(.removeMember(id("Iran", .observer)), by: f.mediator)
        try f.run(.changePhase(.technical), by: f.mediator)
        try f.run(.setDeadline("2025-06-12"), by: f.mediator)
        let posted = try f.run(.post(channel: .shuttle(party: "Iran"), text: "a message for the other side"), by: iran)
        try f.run(.relay(message: posted[0].seq, party: "US", mode: .verbatim, text: nil), by: f.mediator)
        try f.run(.storePreferences(improvable["US"]!), by: us)
        try f.run(.storePreferences(improvable["Iran"]!), by: iran)
        try f.run(.storeGuess(about: "Iran", improvable["Iran"]!), by: us)
        try f.run(
            .reviseAnswers(add: .order(issue: "relief", levels: [["none"], ["phased", "full"]]), withdraw: []),
            by: us
        )
        try f.run(
            .recordRehearsal(
                RehearsalSettings(
                    counterpart: "conceder",
                    negotiationProtocol: "sao",
                    steps: 20,
                    seed: 1,
                    player: "boulware"
                )
            ),
            by: us
        )
        try f.run(.propose(.package(["enrichment": "20%", "relief": "none"]), parties: []), by: iran)  // P1
        try f.run(.forward(proposal: "P1", party: "US"), by: f.mediator)
        try f.run(
            .propose(.package(["enrichment": "20%", "relief": "none"]), parties: ["US", "Iran"]),
            by: f.mediator
        )  // P2
        for party in [us, iran] { try f.run(.answer(proposal: "P2", answer: .accept, counter: nil), by: party) }
        // P3
        try f.run(.proposeImprovement(of: "P2", package: ["enrichment": "3.67%", "relief": "phased"]), by: f.mediator)
        for party in [us, iran] { try f.run(.answer(proposal: "P3", answer: .accept, counter: nil), by: party) }
        try f.run(
            .openTrack(
                name: "sanctions",
                level: .technical,
                issues: ["relief"],
                members: [id("US", .expert), id("Iran", .expert)]
            ),
            by: f.mediator
        )
        try f.run(.addClause(title: "Relief", text: "Sanctions are lifted in phases."), by: f.mediator)
        try f.run(.proposeAlternative(clause: "C1", text: "Sanctions are lifted at once."), by: iran)
        try f.run(
            .settleClause(
                clause: "C1",
                status: .agreedAdReferendum,
                text: "Sanctions are lifted in phases.",
                track: "sanctions"
            ),
            by: f.mediator
        )
        try f.run(
            .scheduleRound(date: "2025-04-19", venue: "Rome", level: .principal, format: .indirect),
            by: f.mediator
        )
        try f.run(.publishReadout(round: "R1", text: "Constructive."), by: us)
        try f.run(.publishJointStatement(round: "R1", text: "The sides will meet again."), by: f.mediator)
        for party in [us, iran] { try f.run(.consentToJointSession, by: party) }
        try f.run(.openJointSession, by: f.mediator)
        try f.run(.closeJointSession, by: f.mediator)
        let key = Curve25519.Signing.PrivateKey()
        try f.run(.registerKey(publicKey: key.publicKey.rawRepresentation.base64EncodedString()), by: us)
        let statement = AgreementStatement(
            talks: "t1",
            party: "US",
            subject: .package(["enrichment": "20%", "relief": "none"]),
            checkpoint: "AAAA"
        ).text
        let signature = try key.signature(for: Data(statement.utf8)).base64EncodedString()
        try f.run(.signAgreement(statement: statement, signature: signature), by: us)
        return f
    }
}
