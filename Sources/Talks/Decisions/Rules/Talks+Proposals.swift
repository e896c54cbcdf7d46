/// Proposals: a party's to the mediator, passed on by the mediator, the mediator's own, their
/// answers, and improvements on an agreement (``Talks/requireImprovement(_:over:)``).
extension Talks {
    func propose(_ content: ProposalContent, to parties: [String], by member: Member) throws(TalksError) -> [TalksEvent]
    {
        try validate(content)
        let id = nextProposalID
        if member.isMediator {
            guard !parties.isEmpty else { throw .rule("the mediator names the parties its proposal is for") }
            for party in parties { try requireParty(party) }
            return [.proposalMade(id: id, parties: Array(Set(parties)).sorted(), content: content)]
        }
        return [.proposalSubmitted(id: id, party: member.party!, content: content)]
    }

    func forward(proposal id: String, to party: String, by member: Member) throws(TalksError) -> [TalksEvent] {
        try requireMediator(member, "forward proposals")
        guard let proposal = state.proposals[id] else { throw .notFound("no proposal \(id)") }
        guard let from = proposal.party else {
            throw .rule("proposal \(id) is the mediator's own; it went to its parties already")
        }
        try requireParty(party)
        guard party != from else { throw .rule("proposal \(id) came from \(from); forward it to another party") }
        return [.proposalForwarded(id: id, party: party, content: proposal.content)]
    }

    func answer(
        proposal id: String,
        _ answer: Answer,
        counter: ProposalContent?,
        by member: Member
    ) throws(TalksError) -> [TalksEvent] {
        guard let party = member.party else { throw .forbidden("the mediator does not answer proposals") }
        // Errors name no proposal id: a delegation's ids are not the record's.
        guard let proposal = state.proposals[id], proposal.addressedTo.contains(party) else {
            throw .notFound("that proposal has not been put to \(party)")
        }
        guard proposal.answers[party] == nil else { throw .rule("\(party) has already answered that proposal") }
        if proposal.improves != nil { return try answerImprovement(proposal, by: party, answer, counter: counter) }
        guard answer == .counter else {
            guard counter == nil else { throw .invalid("only a counter carries a proposal") }
            return [.proposalAnswered(id: id, party: party, answer: answer, counter: nil)]
        }
        guard let counter else { throw .invalid("a counter needs its own proposal") }
        try validate(counter)
        let counterID = nextProposalID
        return [
            .proposalAnswered(id: id, party: party, answer: .counter, counter: counterID),
            .proposalSubmitted(id: counterID, party: party, content: counter),
        ]
    }

    func proposeImprovement(
        _ package: [String: String],
        of id: String,
        by member: Member
    ) throws(TalksError) -> [TalksEvent] {
        try requireMediator(member, "propose improvements")
        try requireImprovement(package, over: id)
        return [
            .improvementProposed(id: nextProposalID, improves: id, parties: state.parties, content: .package(package))
        ]
    }

    /// Every issue a package names is on the agenda, with one of its options.
    func validate(_ content: ProposalContent) throws(TalksError) {
        switch content {
        case .package(let package):
            guard !package.isEmpty else { throw .invalid("a package names at least one issue") }
            for (issue, option) in package.sorted(by: { $0.key < $1.key }) {
                guard let agendaIssue = state.agenda.first(where: { $0.name == issue }) else {
                    throw .rule(
                        "'\(issue)' is not on the agenda; the talks are limited to \(state.agenda.map(\.name).joined(separator: ", "))"
                    )
                }
                guard agendaIssue.options.contains(option) else {
                    throw .rule("'\(option)' is not an option of '\(issue)'")
                }
            }
        case .clauseText(let clause, let wording):
            if let clause, state.clause(clause) == nil { throw .notFound("no clause \(clause)") }
            _ = try text(wording, what: "a proposal's text")
        }
    }

    /// The record's id of the next proposal (`P1`, `P2`, …).
    private var nextProposalID: String { "P\(state.proposals.count + 1)" }
}
