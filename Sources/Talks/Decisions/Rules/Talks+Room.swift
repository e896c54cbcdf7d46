import NegotiationEngine

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

    /// A delegation's answer added, or earlier ones withdrawn; refused, naming the answers by
    /// number (never by what they say), when what remains cannot hold for one additive utility.
    func revise(
        adding answer: PreferenceAnswer?,
        withdrawing withdrawn: [PreferenceAnswer],
        by member: Member
    ) throws(TalksError) -> [TalksEvent] {
        guard let party = member.party else { throw .forbidden("the mediator has no preferences to state") }
        guard !state.agenda.isEmpty else { throw .rule("questions are asked over the agenda, and there is none yet") }
        guard answer != nil || !withdrawn.isEmpty else {
            throw .invalid("name an answer to add or answers to withdraw")
        }
        // Answers given over an earlier agenda that no longer fit it are dropped, as the
        // elicitation already sets them aside: the page cannot show them to withdraw.
        var answers = (state.preferenceAnswers[party] ?? []).filter {
            if case .success = $0.engineAnswer(over: state.agenda) { true } else { false }
        }
        for old in withdrawn {
            guard let position = answers.lastIndex(of: old) else {
                throw .notFound("an answer to withdraw is not among your delegation's answers (withdrawn meanwhile?)")
            }
            answers.remove(at: position)
        }
        if let answer { answers.append(answer) }
        guard answers.count <= Self.answerLimit else {
            throw .rule("at most \(Self.answerLimit) answers are kept; withdraw some first")
        }
        try requireHoldingTogether(answers)
        return [.preferenceAnswersStored(party: party, answers: answers)]
    }

    /// Checks `answers` over the agenda, in one program when they hold together.
    private func requireHoldingTogether(_ answers: [PreferenceAnswer]) throws(TalksError) {
        var engineAnswers: [ElicitationAnswer] = []
        for (position, answer) in answers.enumerated() {
            switch answer.engineAnswer(over: state.agenda) {
            case .success(let converted): engineAnswers.append(converted)
            case .failure(let error): throw TalksError(error.kind, "answer \(position + 1): \(error.message)")
            }
        }
        var elicitation = PreferenceElicitation(optionCounts: state.agenda.map(\.options.count))
        do {
            try elicitation.record(contentsOf: engineAnswers)
        } catch {
            if let malformed = error.malformed { throw .invalid(malformed) }
            let numbers = error.answers.map { "\($0 + 1)" }.joined(separator: ", ")
            throw .rule("answers \(numbers) cannot all hold for one additive utility: withdraw one of them")
        }
    }

    /// Enough for any agenda a delegation answers by hand, and a bound on the program's size.
    static let answerLimit = 200

    func recordRehearsal(_ settings: RehearsalSettings, by member: Member) throws(TalksError) -> [TalksEvent] {
        guard let party = member.party else {
            throw .forbidden("the mediator does not rehearse; delegations rehearse in their rooms")
        }
        _ = try rehearsalScenario(for: party)
        try settings.validate()
        return [.rehearsalHeld(party: party, rehearsal: settings)]
    }
}
