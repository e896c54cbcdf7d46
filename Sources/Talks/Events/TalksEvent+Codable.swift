/// Events as JSON, the way clients and the record see them: a `type` and the event's fields,
/// flat (`{"type": "message-posted", "channel": "shuttle:Iran", "author": "…", "text": "…"}`).
extension TalksEvent: Codable {
    private enum Key: String, CodingKey {
        case type, title, parties, party, mediator, member, issues, from, to, date, channel, author, text, message, mode
        case id, content, answer, counter, name, level, members, clause, status, track, round, preferences, improves,
            adopted, about, rehearsal, publicKey, statement, signature, sealedRooms, key, replaces, senderKey, wrapped,
            answers
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(type, forKey: .type)
        switch self {
        case .opened(let title, let parties, let mediator, let sealed):
            try c.encode(title, forKey: .title)
            try c.encode(parties, forKey: .parties)
            try c.encode(mediator, forKey: .mediator)
            // Written only when true, so that talks opened before sealed rooms keep their text.
            if sealed { try c.encode(true, forKey: .sealedRooms) }
        case .memberInvited(let member):
            try c.encode(member, forKey: .member)
        case .memberLinkReplaced(let member, let party):
            try c.encode(member, forKey: .member)
            try c.encodeIfPresent(party, forKey: .party)
        case .memberRemoved(let member):
            try c.encode(member, forKey: .member)
        case .agendaSet(let issues):
            try c.encode(issues, forKey: .issues)
        case .phaseChanged(let from, let to):
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
        case .deadlineSet(let date):
            try c.encode(date, forKey: .date)
        case .messagePosted(let channel, let author, let text):
            try c.encode(channel, forKey: .channel)
            try c.encode(author, forKey: .author)
            try c.encode(text, forKey: .text)
        case .messageRelayed(let party, let text):
            try c.encode(party, forKey: .party)
            try c.encode(text, forKey: .text)
            try c.encode("mediator", forKey: .author)
        case .relayDecided(let message, let party, let mode):
            try c.encode(message, forKey: .message)
            try c.encodeIfPresent(party, forKey: .party)
            try c.encode(mode, forKey: .mode)
        case .proposalSubmitted(let id, let party, let content), .proposalForwarded(let id, let party, let content):
            try c.encode(id, forKey: .id)
            try c.encode(party, forKey: .party)
            try c.encode(content, forKey: .content)
        case .proposalMade(let id, let parties, let content):
            try c.encode(id, forKey: .id)
            try c.encode(parties, forKey: .parties)
            try c.encode(content, forKey: .content)
        case .improvementProposed(let id, let improves, let parties, let content):
            try c.encode(id, forKey: .id)
            try c.encode(improves, forKey: .improves)
            try c.encode(parties, forKey: .parties)
            try c.encode(content, forKey: .content)
        case .improvementSettled(let id, let improves, let parties, let adopted):
            try c.encode(id, forKey: .id)
            try c.encode(improves, forKey: .improves)
            try c.encode(parties, forKey: .parties)
            try c.encode(adopted, forKey: .adopted)
        case .guessStored(let party, let about, let preferences):
            try c.encode(party, forKey: .party)
            try c.encode(about, forKey: .about)
            try c.encode(preferences, forKey: .preferences)
        case .preferenceAnswersStored(let party, let answers):
            try c.encode(party, forKey: .party)
            try c.encode(answers, forKey: .answers)
        case .rehearsalHeld(let party, let rehearsal):
            try c.encode(party, forKey: .party)
            try c.encode(rehearsal, forKey: .rehearsal)
        case .sealingKeyRegistered(let member, let party, let publicKey):
            try c.encode(member, forKey: .member)
            try c.encode(party, forKey: .party)
            try c.encode(publicKey, forKey: .publicKey)
        case .roomKeyShared(let party, let from, let share):
            try c.encode(party, forKey: .party)
            try c.encode(from, forKey: .from)
            try c.encode(share.key, forKey: .key)
            try c.encodeIfPresent(share.replaces, forKey: .replaces)
            try c.encode(share.senderKey, forKey: .senderKey)
            try c.encode(share.wrapped, forKey: .wrapped)
        case .keyRegistered(let member, let party, let publicKey):
            try c.encode(member, forKey: .member)
            try c.encode(party, forKey: .party)
            try c.encode(publicKey, forKey: .publicKey)
        case .agreementSigned(let member, let party, let clause, let statement, let signature):
            try c.encode(member, forKey: .member)
            try c.encode(party, forKey: .party)
            try c.encodeIfPresent(clause, forKey: .clause)
            try c.encode(statement, forKey: .statement)
            try c.encode(signature, forKey: .signature)
        case .proposalAnswered(let id, let party, let answer, let counter):
            try c.encode(id, forKey: .id)
            try c.encode(party, forKey: .party)
            try c.encode(answer, forKey: .answer)
            try c.encodeIfPresent(counter, forKey: .counter)
        case .trackOpened(let name, let level, let issues, let members):
            try c.encode(name, forKey: .name)
            try c.encode(level, forKey: .level)
            try c.encode(issues, forKey: .issues)
            try c.encode(members, forKey: .members)
        case .clauseAdded(let id, let title, let text):
            try c.encode(id, forKey: .id)
            try c.encode(title, forKey: .title)
            try c.encode(text, forKey: .text)
        case .alternativeProposed(let clause, let party, let text):
            try c.encode(clause, forKey: .clause)
            try c.encode(party, forKey: .party)
            try c.encode(text, forKey: .text)
        case .clauseSettled(let clause, let status, let text, let track):
            try c.encode(clause, forKey: .clause)
            try c.encode(status, forKey: .status)
            try c.encode(text, forKey: .text)
            try c.encode(track, forKey: .track)
        case .roundScheduled(let round):
            try c.encode(round, forKey: .round)
        case .readoutPublished(let round, let party, let text):
            try c.encode(round, forKey: .round)
            try c.encode(party, forKey: .party)
            try c.encode(text, forKey: .text)
        case .jointStatementPublished(let round, let text):
            try c.encode(round, forKey: .round)
            try c.encode(text, forKey: .text)
        case .jointSessionConsented(let party):
            try c.encode(party, forKey: .party)
        case .jointSessionOpened, .jointSessionClosed:
            break
        case .preferencesStored(let party, let preferences):
            try c.encode(party, forKey: .party)
            try c.encode(preferences, forKey: .preferences)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let type = try c.decode(String.self, forKey: .type)
        func string(_ key: Key) throws -> String { try c.decode(String.self, forKey: key) }
        guard let kind = Kind(rawValue: type) else {
            throw DecodingError.dataCorruptedError(
                forKey: .type,
                in: c,
                debugDescription: "unknown event type '\(type)'"
            )
        }
        switch kind {
        case .opened:
            self = .opened(
                title: try string(.title),
                parties: try c.decode([String].self, forKey: .parties),
                mediator: try c.decode(Member.self, forKey: .mediator),
                sealedRooms: try c.decodeIfPresent(Bool.self, forKey: .sealedRooms) ?? false
            )
        case .memberInvited: self = .memberInvited(try c.decode(Member.self, forKey: .member))
        case .memberLinkReplaced:
            self = .memberLinkReplaced(
                member: try c.decode(MemberID.self, forKey: .member),
                party: try c.decodeIfPresent(String.self, forKey: .party)
            )
        case .memberRemoved: self = .memberRemoved(member: try c.decode(MemberID.self, forKey: .member))
        case .agendaSet: self = .agendaSet(try c.decode([AgendaIssue].self, forKey: .issues))
        case .phaseChanged:
            self = .phaseChanged(
                from: try c.decode(Phase.self, forKey: .from),
                to: try c.decode(Phase.self, forKey: .to)
            )
        case .deadlineSet: self = .deadlineSet(try string(.date))
        case .messagePosted:
            self = .messagePosted(
                channel: try c.decode(Channel.self, forKey: .channel),
                author: try c.decode(MemberID.self, forKey: .author),
                text: try string(.text)
            )
        case .messageRelayed: self = .messageRelayed(party: try string(.party), text: try string(.text))
        case .relayDecided:
            self = .relayDecided(
                message: try c.decode(Int.self, forKey: .message),
                party: try c.decodeIfPresent(String.self, forKey: .party),
                mode: try c.decode(RelayMode.self, forKey: .mode)
            )
        case .proposalSubmitted:
            self = .proposalSubmitted(
                id: try string(.id),
                party: try string(.party),
                content: try c.decode(ProposalContent.self, forKey: .content)
            )
        case .proposalForwarded:
            self = .proposalForwarded(
                id: try string(.id),
                party: try string(.party),
                content: try c.decode(ProposalContent.self, forKey: .content)
            )
        case .proposalMade:
            self = .proposalMade(
                id: try string(.id),
                parties: try c.decode([String].self, forKey: .parties),
                content: try c.decode(ProposalContent.self, forKey: .content)
            )
        case .improvementProposed:
            self = .improvementProposed(
                id: try string(.id),
                improves: try string(.improves),
                parties: try c.decode([String].self, forKey: .parties),
                content: try c.decode(ProposalContent.self, forKey: .content)
            )
        case .improvementSettled:
            self = .improvementSettled(
                id: try string(.id),
                improves: try string(.improves),
                parties: try c.decode([String].self, forKey: .parties),
                adopted: try c.decode(Bool.self, forKey: .adopted)
            )
        case .guessStored:
            self = .guessStored(
                party: try string(.party),
                about: try string(.about),
                preferences: try c.decode(Preferences.self, forKey: .preferences)
            )
        case .preferenceAnswersStored:
            self = .preferenceAnswersStored(
                party: try string(.party),
                answers: try c.decode([PreferenceAnswer].self, forKey: .answers)
            )
        case .rehearsalHeld:
            self = .rehearsalHeld(
                party: try string(.party),
                rehearsal: try c.decode(RehearsalSettings.self, forKey: .rehearsal)
            )
        case .sealingKeyRegistered:
            self = .sealingKeyRegistered(
                member: try c.decode(MemberID.self, forKey: .member),
                party: try string(.party),
                publicKey: try string(.publicKey)
            )
        case .roomKeyShared:
            self = .roomKeyShared(
                party: try string(.party),
                from: try c.decode(MemberID.self, forKey: .from),
                share: RoomKeyShare(
                    key: try string(.key),
                    replaces: try c.decodeIfPresent(String.self, forKey: .replaces),
                    senderKey: try string(.senderKey),
                    wrapped: try c.decode([RoomKeyShare.Wrap].self, forKey: .wrapped)
                )
            )
        case .keyRegistered:
            self = .keyRegistered(
                member: try c.decode(MemberID.self, forKey: .member),
                party: try string(.party),
                publicKey: try string(.publicKey)
            )
        case .agreementSigned:
            self = .agreementSigned(
                member: try c.decode(MemberID.self, forKey: .member),
                party: try string(.party),
                clause: try c.decodeIfPresent(String.self, forKey: .clause),
                statement: try string(.statement),
                signature: try string(.signature)
            )
        case .proposalAnswered:
            self = .proposalAnswered(
                id: try string(.id),
                party: try string(.party),
                answer: try c.decode(Answer.self, forKey: .answer),
                counter: try c.decodeIfPresent(String.self, forKey: .counter)
            )
        case .trackOpened:
            self = .trackOpened(
                name: try string(.name),
                level: try c.decode(TrackLevel.self, forKey: .level),
                issues: try c.decode([String].self, forKey: .issues),
                members: try c.decode([MemberID].self, forKey: .members)
            )
        case .clauseAdded: self = .clauseAdded(id: try string(.id), title: try string(.title), text: try string(.text))
        case .alternativeProposed:
            self = .alternativeProposed(clause: try string(.clause), party: try string(.party), text: try string(.text))
        case .clauseSettled:
            self = .clauseSettled(
                clause: try string(.clause),
                status: try c.decode(ClauseStatus.self, forKey: .status),
                text: try string(.text),
                track: try string(.track)
            )
        case .roundScheduled: self = .roundScheduled(try c.decode(Round.self, forKey: .round))
        case .readoutPublished:
            self = .readoutPublished(round: try string(.round), party: try string(.party), text: try string(.text))
        case .jointStatementPublished:
            self = .jointStatementPublished(round: try string(.round), text: try string(.text))
        case .jointSessionConsented: self = .jointSessionConsented(party: try string(.party))
        case .jointSessionOpened: self = .jointSessionOpened
        case .jointSessionClosed: self = .jointSessionClosed
        case .preferencesStored:
            self = .preferencesStored(
                party: try string(.party),
                preferences: try c.decode(Preferences.self, forKey: .preferences)
            )
        }
    }
}

extension RecordedEvent: Codable {
    private enum Key: String, CodingKey { case seq, time, audience }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(seq, forKey: .seq)
        try c.encode(time, forKey: .time)
        try c.encode(audience.sorted(), forKey: .audience)
        try event.encode(to: encoder)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        seq = try c.decode(Int.self, forKey: .seq)
        time = try c.decode(Double.self, forKey: .time)
        audience = Set(try c.decode([Channel].self, forKey: .audience))
        event = try TalksEvent(from: decoder)
    }
}
