/// What a delegation keeps in its own room: its preferences, its guesses of the others', and
/// that it rehearsed. The mediator has no room.
extension Talks {
    func store(_ preferences: Preferences, by member: Member) throws(TalksError) -> [TalksEvent] {
        guard let party = member.party else { throw .forbidden("the mediator has no preferences to store") }
        guard !state.agenda.isEmpty else {
            throw .rule("preferences are stored over the agenda, and there is none yet")
        }
        if case .failure(let error) = preferences.party(named: party, agenda: state.agenda) { throw error }
        return [.preferencesStored(party: party, preferences: preferences)]
    }

    func store(guess preferences: Preferences, about: String, by member: Member) throws(TalksError) -> [TalksEvent] {
        guard let party = member.party else {
            throw .forbidden("the mediator does not rehearse; a delegation guesses the other side's preferences")
        }
        try requireParty(about)
        guard about != party else {
            throw .rule("\(party)'s own preferences are stored as preferences, not as a guess")
        }
        guard !state.agenda.isEmpty else { throw .rule("a guess is stored over the agenda, and there is none yet") }
        if case .failure(let error) = preferences.party(named: about, agenda: state.agenda) { throw error }
        return [.guessStored(party: party, about: about, preferences: preferences)]
    }

    func recordRehearsal(_ settings: RehearsalSettings, by member: Member) throws(TalksError) -> [TalksEvent] {
        guard let party = member.party else {
            throw .forbidden("the mediator does not rehearse; delegations rehearse in their rooms")
        }
        _ = try rehearsalScenario(for: party)
        try settings.validate()
        return [.rehearsalHeld(party: party, rehearsal: settings)]
    }
}
