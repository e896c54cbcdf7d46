import NegotiationEngine

/// Post-settlement improvement, as Raiffa proposed: once every party has accepted a package, the
/// mediator, who holds their preferences in confidence, looks for packages every one of them
/// strictly prefers, and may put one to them. The agreed package stands unless every party
/// accepts the improvement.
extension TalksState {
    /// Whether every party has accepted proposal `id` (its author counts as accepting it), with
    /// `party`'s acceptance counted too when one is about to be recorded.
    public func isAcceptedByAll(_ id: String, alsoAcceptedBy party: String? = nil) -> Bool {
        guard let proposal = proposals[id] else { return false }
        return parties.allSatisfy { $0 == proposal.party || $0 == party || proposal.answers[$0] == .accept }
    }

    /// The improvement of proposal `id` still before the parties, if any.
    public func openImprovement(of id: String) -> Proposal? {
        proposals.values.first { $0.improves == id && $0.adopted == nil }
    }

    /// The package agreement that stands: the latest package every party accepted (an adopted
    /// improvement is later than the agreement it replaced); `nil` before any.
    public var standingAgreement: Proposal? {
        proposals.values.filter { proposal in
            guard case .package = proposal.content else { return false }
            return isAcceptedByAll(proposal.id)
        }.max { Int($0.id.dropFirst()) ?? 0 < Int($1.id.dropFirst()) ?? 0 }
    }
}

extension Talks {
    /// For the mediator: the packages every party strictly prefers to the agreed proposal `id`,
    /// inside every red line, nearest the Nash point first; at most `limit`. Packages only,
    /// never a number; `.packages([])` when there are none.
    ///
    /// - Throws: ``TalksError`` when `id` is not a complete package that every party accepted.
    public func improvements(of id: String, limit: Int = 5) throws(TalksError) -> Suggestions {
        let agreed = try agreedPackage(id)
        let scenario: Scenario
        switch partiesScenario() {
        case .success(let built): scenario = built
        case .failure(let missing): return missing.answer
        }
        let outcome = scenario.space.outcome(labels: state.agenda.map { agreed[$0.name]! })!
        let better = ScenarioAnalysis(scenario).improvements(over: outcome, in: scenario)
        return .packages(better.prefix(max(0, limit)).map { Self.package(scenario.space, $0.outcome) })
    }

    /// Proposal `id`'s package, when it names every agenda issue and every party accepted it.
    private func agreedPackage(_ id: String) throws(TalksError) -> [String: String] {
        guard let proposal = state.proposals[id], case .package(let package) = proposal.content else {
            throw .notFound("no package proposal \(id)")
        }
        guard state.isAcceptedByAll(id) else {
            throw .rule("proposal \(id) has not been accepted by every party; improvements come after an agreement")
        }
        guard state.agenda.allSatisfy({ package[$0.name] != nil }) else {
            throw .rule("proposal \(id) does not settle every agenda issue")
        }
        return package
    }

    /// Checks that `package` may be put to the parties as an improvement of proposal `id`.
    func requireImprovement(_ package: [String: String], over id: String) throws(TalksError) {
        if let open = state.openImprovement(of: id) {
            throw .rule("improvement \(open.id) of \(id) is still before the parties")
        }
        try validate(.package(package))
        guard package.count == state.agenda.count else {
            throw .invalid("an improvement names one option for every agenda issue")
        }
        guard case .packages(let better) = try improvements(of: id, limit: .max) else {
            throw .rule("every party must store preferences that fit the agenda before improvements can be checked")
        }
        // Says no more than the list the mediator may ask for: whether this package is on it.
        guard better.contains(package) else {
            throw .rule("that package is not one every party strictly prefers to \(id) inside every red line")
        }
    }

    /// `party`'s answer to an improvement: accept or reject only; the last acceptance adopts it,
    /// the first rejection lets it lapse (the agreed package stands).
    func answerImprovement(
        _ proposal: TalksState.Proposal,
        by party: String,
        _ answer: Answer,
        counter: ProposalContent?
    )
        throws(TalksError) -> [TalksEvent]
    {
        guard proposal.adopted == nil else { throw .rule("that improvement has been settled") }
        guard answer != .counter, counter == nil else {
            throw .invalid("an improvement is accepted or rejected; the agreed package stands otherwise")
        }
        var events: [TalksEvent] = [.proposalAnswered(id: proposal.id, party: party, answer: answer, counter: nil)]
        let improves = proposal.improves!
        let parties = state.parties
        if answer == .reject {
            events.append(.improvementSettled(id: proposal.id, improves: improves, parties: parties, adopted: false))
        } else if state.isAcceptedByAll(proposal.id, alsoAcceptedBy: party) {
            events.append(.improvementSettled(id: proposal.id, improves: improves, parties: parties, adopted: true))
        }
        return events
    }
}
