/// How the talks are run: the agenda, the phase and the deadline, all the mediator's.
extension Talks {
    func setAgenda(_ issues: [AgendaIssue], by member: Member) throws(TalksError) -> [TalksEvent] {
        try requireMediator(member, "set the agenda")
        guard !issues.isEmpty else { throw .invalid("the agenda needs at least one issue") }
        // A rule rather than malformed input: JSON Schema cannot say that names differ.
        guard Set(issues.map(\.name)).count == issues.count else { throw .rule("each agenda issue must be named once") }
        for issue in issues {
            _ = try text(issue.name, what: "an issue's name")
            let distinct = TextRules.distinct(issue.options)
            guard !issue.options.isEmpty, distinct.asWritten else {
                throw .invalid("issue '\(issue.name)' needs distinct options")
            }
            guard distinct.asRead else { throw .rule("issue '\(issue.name)' has options that read the same") }
        }
        return [.agendaSet(issues)]
    }

    func changePhase(to phase: Phase, by member: Member) throws(TalksError) -> [TalksEvent] {
        try requireMediator(member, "change the phase")
        let allowed = state.phase == .suspended ? [state.phaseBeforeSuspension ?? .exploratory] : state.phase.successors
        guard allowed.contains(phase) else {
            throw .rule("the talks cannot move from \(state.phase.rawValue) to \(phase.rawValue)")
        }
        if phase == .concluded {
            guard !state.clauses.isEmpty else { throw .rule("there is no framework text to conclude on") }
            if let open = state.clauses.first(where: { $0.status != .agreed }) {
                throw .rule(
                    "clause \(open.id) '\(open.title)' is \(open.status.rawValue); nothing is agreed until everything is agreed"
                )
            }
        }
        return [.phaseChanged(from: state.phase, to: phase)]
    }

    func setDeadline(_ date: String, by member: Member) throws(TalksError) -> [TalksEvent] {
        try requireMediator(member, "set the deadline")
        return [.deadlineSet(try day(date))]
    }
}
