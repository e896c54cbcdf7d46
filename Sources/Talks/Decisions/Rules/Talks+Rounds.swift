/// Rounds with their readouts and joint statements, and the joint session that opens only
/// when every party's principal consents.
extension Talks {
    func scheduleRound(
        date: String,
        venue: String,
        level: TrackLevel,
        format: Round.Format,
        by member: Member
    ) throws(TalksError) -> [TalksEvent] {
        try requireMediator(member, "schedule rounds")
        let round = Round(
            id: "R\(state.rounds.count + 1)",
            date: try day(date),
            venue: try text(venue, what: "a venue"),
            level: level,
            format: format
        )
        return [.roundScheduled(round)]
    }

    func publishReadout(_ readout: String, of round: String, by member: Member) throws(TalksError) -> [TalksEvent] {
        guard let party = member.party, member.role == .principal || member.role == .technicalLead else {
            throw .forbidden("a delegation's principal or technical lead publishes its readout")
        }
        guard state.rounds[round] != nil else { throw .notFound("no round \(round)") }
        return [.readoutPublished(round: round, party: party, text: try text(readout, what: "a readout"))]
    }

    func publishJointStatement(
        _ statement: String,
        of round: String,
        by member: Member
    ) throws(TalksError) -> [TalksEvent] {
        try requireMediator(member, "publish a joint statement")
        guard state.rounds[round] != nil else { throw .notFound("no round \(round)") }
        return [.jointStatementPublished(round: round, text: try text(statement, what: "a joint statement"))]
    }

    func consentToJointSession(by member: Member) throws(TalksError) -> [TalksEvent] {
        guard let party = member.party, member.role == .principal else {
            throw .forbidden("a delegation's principal consents to a joint session")
        }
        guard !state.jointConsents.contains(party) else { throw .rule("\(party) has already consented") }
        return [.jointSessionConsented(party: party)]
    }

    func openJointSession(by member: Member) throws(TalksError) -> [TalksEvent] {
        try requireMediator(member, "open a joint session")
        guard !state.jointSessionOpen else { throw .rule("a joint session is already open") }
        if let missing = state.parties.first(where: { !state.jointConsents.contains($0) }) {
            throw .rule("\(missing) has not consented to a joint session")
        }
        return [.jointSessionOpened]
    }

    func closeJointSession(by member: Member) throws(TalksError) -> [TalksEvent] {
        try requireMediator(member, "close a joint session")
        guard state.jointSessionOpen else { throw .rule("no joint session is open") }
        return [.jointSessionClosed]
    }
}
