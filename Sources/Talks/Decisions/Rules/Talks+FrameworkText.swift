/// The framework text: the mediator's clauses, the parties' bracketed alternatives, and what
/// the tracks agree (ad referendum in a technical track, then agreed by the principals').
extension Talks {
    func addClause(title: String, text body: String, by member: Member) throws(TalksError) -> [TalksEvent] {
        try requireMediator(member, "add clauses")
        let id = "C\(state.clauses.count + 1)"
        return [
            .clauseAdded(
                id: id,
                title: try text(title, what: "a clause's title"),
                text: try text(body, what: "a clause's text")
            )
        ]
    }

    func proposeAlternative(_ wording: String, to id: String, by member: Member) throws(TalksError) -> [TalksEvent] {
        guard let party = member.party else {
            throw .forbidden("the mediator writes clauses; alternatives come from the parties")
        }
        guard let clause = state.clause(id) else { throw .notFound("no clause \(id)") }
        guard clause.status == .bracketed else {
            throw .rule("clause \(id) is \(clause.status.rawValue); its brackets are closed")
        }
        return [.alternativeProposed(clause: id, party: party, text: try text(wording, what: "an alternative"))]
    }

    func settle(
        clause id: String,
        as status: ClauseStatus,
        text wording: String,
        in trackName: String,
        by member: Member
    ) throws(TalksError) -> [TalksEvent] {
        try requireMediator(member, "record what a track agreed")
        guard let clause = state.clause(id) else { throw .notFound("no clause \(id)") }
        guard let track = state.tracks[trackName] else { throw .notFound("no track '\(trackName)'") }
        switch status {
        case .bracketed:
            throw .invalid("a clause is bracketed until a track agrees it")
        case .agreedAdReferendum:
            guard track.level == .technical else {
                throw .rule("agreement ad referendum comes from a technical track; '\(trackName)' is a principal track")
            }
            guard clause.status == .bracketed else { throw .rule("clause \(id) is already \(clause.status.rawValue)") }
        case .agreed:
            guard track.level == .principal else {
                throw .rule("only the principals' track agrees a clause; '\(trackName)' is technical")
            }
            guard clause.status == .agreedAdReferendum else {
                throw .rule("clause \(id) must be agreed ad referendum in a technical track first")
            }
        }
        return [
            .clauseSettled(
                clause: id,
                status: status,
                text: try text(wording, what: "the agreed text"),
                track: trackName
            )
        ]
    }
}
