import NegotiationEngine

extension Talks {
    /// The rules of the talks, command by command.
    func decide(_ command: TalksCommand, by member: Member) throws(TalksError) -> [TalksEvent] {
        // Links and membership stay manageable after the talks conclude: a leaked link must
        // always be revocable.
        if state.phase == .concluded, !command.managesMembers { throw .rule("the talks are concluded; the record is closed") }
        if let role = member.role, !role.canWrite { throw .forbidden("observers read; they do not write") }
        switch command {
        case .invite(let id, let party, let name, let role, let affiliation):
            try requireMediator(member, "invite delegates")
            guard state.parties.contains(party) else { throw .notFound("no party '\(party)' in these talks") }
            guard state.members[id] == nil, !state.removedMembers.contains(id) else { throw .rule("member id '\(id)' is taken") }
            let name = try text(name, what: "a member's name")
            return [.memberInvited(Member(id: id, name: name, seat: .delegate(party: party, role: role), affiliation: affiliation))]

        case .setAgenda(let issues):
            try requireMediator(member, "set the agenda")
            guard !issues.isEmpty else { throw .invalid("the agenda needs at least one issue") }
            // A rule rather than malformed input: JSON Schema cannot say that names differ.
            guard Set(issues.map(\.name)).count == issues.count else { throw .rule("each agenda issue must be named once") }
            for issue in issues {
                _ = try text(issue.name, what: "an issue's name")
                let distinct = TextRules.distinct(issue.options)
                guard !issue.options.isEmpty, distinct.asWritten else { throw .invalid("issue '\(issue.name)' needs distinct options") }
                guard distinct.asRead else { throw .rule("issue '\(issue.name)' has options that read the same") }
            }
            return [.agendaSet(issues)]

        case .changePhase(let phase):
            try requireMediator(member, "change the phase")
            let allowed = state.phase == .suspended ? [state.phaseBeforeSuspension ?? .exploratory] : state.phase.successors
            guard allowed.contains(phase) else { throw .rule("the talks cannot move from \(state.phase.rawValue) to \(phase.rawValue)") }
            if phase == .concluded {
                guard !state.clauses.isEmpty else { throw .rule("there is no framework text to conclude on") }
                if let open = state.clauses.first(where: { $0.status != .agreed }) {
                    throw .rule("clause \(open.id) '\(open.title)' is \(open.status.rawValue); nothing is agreed until everything is agreed")
                }
            }
            return [.phaseChanged(from: state.phase, to: phase)]

        case .setDeadline(let date):
            try requireMediator(member, "set the deadline")
            return [.deadlineSet(try day(date))]

        case .post(let channel, let text):
            try requireWritable(channel, by: member)
            return [.messagePosted(channel: channel, author: member.id, text: try self.text(text, what: "a message"))]

        case .relay(let seq, let party, let mode, let paraphrase):
            try requireMediator(member, "relay messages")
            // Errors name no message number: the caller's number is not the record's.
            guard let message = state.messages[seq], case .shuttle(let from) = message.channel else {
                throw .rule("only a party's message on its shuttle channel can be relayed")
            }
            guard state.parties.contains(party) else { throw .notFound("no party '\(party)' in these talks") }
            guard party != from else { throw .rule("that message came from \(from); relay it to another party") }
            // A text is checked whenever it is given, as the API document says, even where unused.
            if let paraphrase, mode != .paraphrase { _ = try text(paraphrase, what: "a paraphrase") }
            switch mode {
            case .withhold:
                return [.relayDecided(message: seq, party: party, mode: .withhold)]
            case .verbatim:
                return [.relayDecided(message: seq, party: party, mode: .verbatim), .messageRelayed(party: party, text: message.text)]
            case .paraphrase:
                let wording = try text(paraphrase ?? "", what: "a paraphrase")
                return [.relayDecided(message: seq, party: party, mode: .paraphrase), .messageRelayed(party: party, text: wording)]
            }

        case .propose(let content, let parties):
            try validate(content)
            let id = "P\(state.proposals.count + 1)"
            if member.isMediator {
                guard !parties.isEmpty else { throw .rule("the mediator names the parties its proposal is for") }
                for party in parties where !state.parties.contains(party) { throw .notFound("no party '\(party)' in these talks") }
                return [.proposalMade(id: id, parties: Array(Set(parties)).sorted(), content: content)]
            }
            return [.proposalSubmitted(id: id, party: member.party!, content: content)]

        case .forward(let id, let party):
            try requireMediator(member, "forward proposals")
            guard let proposal = state.proposals[id] else { throw .notFound("no proposal \(id)") }
            guard let from = proposal.party else { throw .rule("proposal \(id) is the mediator's own; it went to its parties already") }
            guard state.parties.contains(party) else { throw .notFound("no party '\(party)' in these talks") }
            guard party != from else { throw .rule("proposal \(id) came from \(from); forward it to another party") }
            return [.proposalForwarded(id: id, party: party, content: proposal.content)]

        case .answer(let id, let answer, let counter):
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
            let counterID = "P\(state.proposals.count + 1)"
            return [
                .proposalAnswered(id: id, party: party, answer: .counter, counter: counterID),
                .proposalSubmitted(id: counterID, party: party, content: counter),
            ]

        case .proposeImprovement(let id, let package):
            try requireMediator(member, "propose improvements")
            try requireImprovement(package, over: id)
            return [.improvementProposed(id: "P\(state.proposals.count + 1)", improves: id, parties: state.parties, content: .package(package))]

        case .openTrack(let name, let level, let issues, let members):
            try requireMediator(member, "open tracks")
            let name = try text(name, what: "a track's name")
            guard state.tracks[name] == nil else { throw .rule("track '\(name)' is already open") }
            for issue in issues where !state.agenda.contains(where: { $0.name == issue }) {
                throw .rule("'\(issue)' is not on the agenda")
            }
            for id in members {
                guard let delegate = state.members[id], let role = delegate.role else { throw .notFound("no delegate '\(id)'") }
                let fits = role == .observer || (level == .principal ? role == .principal : role != .principal)
                let article = [.expert, .observer].contains(role) ? "an" : "a"
                guard fits else { throw .rule("\(delegate.name) is \(article) \(role.rawValue) and cannot sit in a \(level.rawValue) track") }
            }
            return [.trackOpened(name: name, level: level, issues: issues, members: Array(Set(members)).sorted())]

        case .addClause(let title, let body):
            try requireMediator(member, "add clauses")
            return [.clauseAdded(id: "C\(state.clauses.count + 1)", title: try text(title, what: "a clause's title"), text: try text(body, what: "a clause's text"))]

        case .proposeAlternative(let id, let wording):
            guard let party = member.party else { throw .forbidden("the mediator writes clauses; alternatives come from the parties") }
            guard let clause = state.clause(id) else { throw .notFound("no clause \(id)") }
            guard clause.status == .bracketed else { throw .rule("clause \(id) is \(clause.status.rawValue); its brackets are closed") }
            return [.alternativeProposed(clause: id, party: party, text: try text(wording, what: "an alternative"))]

        case .settleClause(let id, let status, let wording, let trackName):
            try requireMediator(member, "record what a track agreed")
            guard let clause = state.clause(id) else { throw .notFound("no clause \(id)") }
            guard let track = state.tracks[trackName] else { throw .notFound("no track '\(trackName)'") }
            switch status {
            case .bracketed:
                throw .invalid("a clause is bracketed until a track agrees it")
            case .agreedAdReferendum:
                guard track.level == .technical else { throw .rule("agreement ad referendum comes from a technical track; '\(trackName)' is a principal track") }
                guard clause.status == .bracketed else { throw .rule("clause \(id) is already \(clause.status.rawValue)") }
            case .agreed:
                guard track.level == .principal else { throw .rule("only the principals' track agrees a clause; '\(trackName)' is technical") }
                guard clause.status == .agreedAdReferendum else { throw .rule("clause \(id) must be agreed ad referendum in a technical track first") }
            }
            return [.clauseSettled(clause: id, status: status, text: try text(wording, what: "the agreed text"), track: trackName)]

        case .scheduleRound(let date, let venue, let level, let format):
            try requireMediator(member, "schedule rounds")
            let round = Round(id: "R\(state.rounds.count + 1)", date: try day(date), venue: try text(venue, what: "a venue"), level: level, format: format)
            return [.roundScheduled(round)]

        case .publishReadout(let round, let readout):
            guard let party = member.party, member.role == .principal || member.role == .technicalLead else {
                throw .forbidden("a delegation's principal or technical lead publishes its readout")
            }
            guard state.rounds[round] != nil else { throw .notFound("no round \(round)") }
            return [.readoutPublished(round: round, party: party, text: try text(readout, what: "a readout"))]

        case .publishJointStatement(let round, let statement):
            try requireMediator(member, "publish a joint statement")
            guard state.rounds[round] != nil else { throw .notFound("no round \(round)") }
            return [.jointStatementPublished(round: round, text: try text(statement, what: "a joint statement"))]

        case .consentToJointSession:
            guard let party = member.party, member.role == .principal else { throw .forbidden("a delegation's principal consents to a joint session") }
            guard !state.jointConsents.contains(party) else { throw .rule("\(party) has already consented") }
            return [.jointSessionConsented(party: party)]

        case .openJointSession:
            try requireMediator(member, "open a joint session")
            guard !state.jointSessionOpen else { throw .rule("a joint session is already open") }
            if let missing = state.parties.first(where: { !state.jointConsents.contains($0) }) {
                throw .rule("\(missing) has not consented to a joint session")
            }
            return [.jointSessionOpened]

        case .closeJointSession:
            try requireMediator(member, "close a joint session")
            guard state.jointSessionOpen else { throw .rule("no joint session is open") }
            return [.jointSessionClosed]

        case .replaceLink(let id):
            try requireMediator(member, "issue new links")
            guard let holder = state.members[id] else { throw .notFound("no member '\(id)' in these talks") }
            return [.memberLinkReplaced(member: id, party: holder.party)]

        case .removeMember(let id):
            try requireMediator(member, "remove members")
            guard let leaving = state.members[id] else { throw .notFound("no member '\(id)' in these talks") }
            guard !leaving.isMediator else { throw .rule("the mediator's seat cannot be removed; give the mediator a new link instead") }
            return [.memberRemoved(member: id)]

        case .storePreferences(let preferences):
            guard let party = member.party else { throw .forbidden("the mediator has no preferences to store") }
            guard !state.agenda.isEmpty else { throw .rule("preferences are stored over the agenda, and there is none yet") }
            if case .failure(let error) = preferences.party(named: party, agenda: state.agenda) { throw error }
            return [.preferencesStored(party: party, preferences: preferences)]

        case .storeGuess(let about, let preferences):
            guard let party = member.party else { throw .forbidden("the mediator does not rehearse; a delegation guesses the other side's preferences") }
            guard state.parties.contains(about) else { throw .notFound("no party '\(about)' in these talks") }
            guard about != party else { throw .rule("\(party)'s own preferences are stored as preferences, not as a guess") }
            guard !state.agenda.isEmpty else { throw .rule("a guess is stored over the agenda, and there is none yet") }
            if case .failure(let error) = preferences.party(named: about, agenda: state.agenda) { throw error }
            return [.guessStored(party: party, about: about, preferences: preferences)]

        case .recordRehearsal(let settings):
            guard let party = member.party else { throw .forbidden("the mediator does not rehearse; delegations rehearse in their rooms") }
            _ = try rehearsalScenario(for: party)
            try settings.validate()
            return [.rehearsalHeld(party: party, rehearsal: settings)]
        }
    }

    private func requireMediator(_ member: Member, _ action: String) throws(TalksError) {
        guard member.isMediator else { throw .forbidden("only the mediator may \(action)") }
    }

    /// Whether `member` may write on `channel`.
    private func requireWritable(_ channel: Channel, by member: Member) throws(TalksError) {
        switch channel {
        case .room(let party):
            guard state.parties.contains(party) else { throw .notFound("no party '\(party)' in these talks") }
            guard member.party == party else { throw .forbidden("a delegation's room is open to its own members only") }
        case .shuttle(let party):
            guard state.parties.contains(party) else { throw .notFound("no party '\(party)' in these talks") }
            guard member.isMediator || member.party == party else { throw .forbidden("\(party)'s shuttle channel joins \(party) and the mediator only") }
        case .joint:
            guard state.jointSessionOpen else { throw .rule("no joint session is open; it opens when every party consents") }
        case .track(let name):
            guard let track = state.tracks[name] else { throw .notFound("no track '\(name)'") }
            guard member.isMediator || track.members.contains(member.id) else { throw .forbidden("only the members of track '\(name)' write in it") }
        case .plenary, .mediator:
            throw .invalid("messages go to a room, a shuttle channel, the joint session or a track")
        }
    }

    /// Every issue a package names is on the agenda, with one of its options.
    func validate(_ content: ProposalContent) throws(TalksError) {
        switch content {
        case .package(let package):
            guard !package.isEmpty else { throw .invalid("a package names at least one issue") }
            for (issue, option) in package.sorted(by: { $0.key < $1.key }) {
                guard let agendaIssue = state.agenda.first(where: { $0.name == issue }) else {
                    throw .rule("'\(issue)' is not on the agenda; the talks are limited to \(state.agenda.map(\.name).joined(separator: ", "))")
                }
                guard agendaIssue.options.contains(option) else { throw .rule("'\(option)' is not an option of '\(issue)'") }
            }
        case .clauseText(let clause, let wording):
            if let clause, state.clause(clause) == nil { throw .notFound("no clause \(clause)") }
            _ = try text(wording, what: "a proposal's text")
        }
    }

    private func text(_ value: String, what: String) throws(TalksError) -> String {
        try TextRules.text(value, what: what)
    }

    private func day(_ value: String) throws(TalksError) -> String {
        try TextRules.day(value)
    }
}
