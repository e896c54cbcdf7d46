/// The rules of the talks: one pure entry point, a command in and events or a refusal out, and
/// one small function per command, kept with its family in `Rules/` (members, conduct,
/// messages, proposals, tracks, framework text, rounds, the room).
extension Talks {
    /// What `command` from `member` leads to, or why it is refused. Changes nothing.
    func decide(_ command: TalksCommand, by member: Member) throws(TalksError) -> [TalksEvent] {
        // Links and membership stay manageable after the talks conclude: a leaked link must
        // always be revocable.
        if state.phase == .concluded, !command.staysOpenAfterConclusion {
            throw .rule("the talks are concluded; the record is closed")
        }
        // An observer writes nothing, but holds keys to read a sealed room.
        if let role = member.role, !role.canWrite, !command.readsSealedRoom {
            throw .forbidden("observers read; they do not write")
        }
        switch command {
        case .invite(let id, let party, let name, let role, let affiliation):
            return try invite(id, party: party, name: name, role: role, affiliation: affiliation, by: member)
        case .replaceLink(let id): return try replaceLink(of: id, by: member)
        case .removeMember(let id): return try remove(id, by: member)
        case .setAgenda(let issues): return try setAgenda(issues, by: member)
        case .changePhase(let phase): return try changePhase(to: phase, by: member)
        case .setDeadline(let date): return try setDeadline(date, by: member)
        case .post(let channel, let text): return try post(text, on: channel, by: member)
        case .relay(let seq, let party, let mode, let paraphrase):
            return try relay(message: seq, to: party, mode: mode, paraphrase: paraphrase, by: member)
        case .propose(let content, let parties): return try propose(content, to: parties, by: member)
        case .forward(let id, let party): return try forward(proposal: id, to: party, by: member)
        case .answer(let id, let reply, let counter):
            return try answer(proposal: id, reply, counter: counter, by: member)
        case .proposeImprovement(let id, let package): return try proposeImprovement(package, of: id, by: member)
        case .openTrack(let name, let level, let issues, let members):
            return try openTrack(name, level: level, issues: issues, members: members, by: member)
        case .addClause(let title, let body): return try addClause(title: title, text: body, by: member)
        case .proposeAlternative(let id, let wording): return try proposeAlternative(wording, to: id, by: member)
        case .settleClause(let id, let status, let wording, let track):
            return try settle(clause: id, as: status, text: wording, in: track, by: member)
        case .scheduleRound(let date, let venue, let level, let format):
            return try scheduleRound(date: date, venue: venue, level: level, format: format, by: member)
        case .publishReadout(let round, let readout): return try publishReadout(readout, of: round, by: member)
        case .publishJointStatement(let round, let statement):
            return try publishJointStatement(statement, of: round, by: member)
        case .consentToJointSession: return try consentToJointSession(by: member)
        case .openJointSession: return try openJointSession(by: member)
        case .closeJointSession: return try closeJointSession(by: member)
        case .storePreferences(let preferences): return try store(preferences, by: member)
        case .storeGuess(let about, let preferences): return try store(guess: preferences, about: about, by: member)
        case .reviseAnswers(let add, let withdraw): return try revise(adding: add, withdrawing: withdraw, by: member)
        case .recordRehearsal(let settings): return try recordRehearsal(settings, by: member)
        case .registerKey(let key): return try registerKey(key, by: member)
        case .signAgreement(let statement, let signature):
            return try signAgreement(statement, signature: signature, by: member)
        case .registerSealingKey(let key): return try registerSealingKey(key, by: member)
        case .shareRoomKey(let share): return try shareRoomKey(share, by: member)
        }
    }

    func requireMediator(_ member: Member, _ action: String) throws(TalksError) {
        guard member.isMediator else { throw .forbidden("only the mediator may \(action)") }
    }

    func requireParty(_ party: String) throws(TalksError) {
        guard state.parties.contains(party) else { throw .notFound("no party '\(party)' in these talks") }
    }

    func text(_ value: String, what: String) throws(TalksError) -> String {
        try TextRules.text(value, what: what)
    }

    func day(_ value: String) throws(TalksError) -> String {
        try TextRules.day(value)
    }
}
