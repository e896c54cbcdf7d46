/// Something that happened in the talks. The state of a talks is the fold of its events.
///
/// Events say what happened, not who may read it: ``Visibility/audience(of:)`` decides that, in
/// one place, from the event alone.
public enum TalksEvent: Hashable, Sendable {
    /// The talks opened; with `sealedRooms`, the delegations' rooms take only sealed messages.
    case opened(title: String, parties: [String], mediator: Member, sealedRooms: Bool)
    case memberInvited(Member)
    /// The member was given a new link; every earlier token of theirs stopped working. The
    /// record never holds a token, only that this happened. `party` is `nil` for the mediator.
    case memberLinkReplaced(member: MemberID, party: String?)
    /// The member left the talks: their tokens stopped working and their tracks dropped them.
    case memberRemoved(member: MemberID)
    case agendaSet([AgendaIssue])
    case phaseChanged(from: Phase, to: Phase)
    /// The deadline, as `YYYY-MM-DD`.
    case deadlineSet(String)
    case messagePosted(channel: Channel, author: MemberID, text: String)
    /// A message the mediator passes to `party`; the receiver sees the mediator as its author.
    case messageRelayed(party: String, text: String)
    /// The mediator's record of how it handled message `message` (its sequence number).
    case relayDecided(message: Int, party: String?, mode: RelayMode)
    /// A party's proposal, sent to the mediator.
    case proposalSubmitted(id: String, party: String, content: ProposalContent)
    /// A party's proposal passed on by the mediator to `party`, as coming from the mediator.
    case proposalForwarded(id: String, party: String, content: ProposalContent)
    /// The mediator's own proposal to `parties`.
    case proposalMade(id: String, parties: [String], content: ProposalContent)
    case proposalAnswered(id: String, party: String, answer: Answer, counter: String?)
    /// The mediator's proposal to `parties` of a package that improves on proposal `improves`,
    /// which every party accepted; that agreement stands until every party accepts this one.
    case improvementProposed(id: String, improves: String, parties: [String], content: ProposalContent)
    /// Improvement `id` was accepted by every party and replaces `improves` (`adopted`), or a
    /// party rejected it and `improves` stands. It says nothing of who answered how.
    case improvementSettled(id: String, improves: String, parties: [String], adopted: Bool)
    case trackOpened(name: String, level: TrackLevel, issues: [String], members: [MemberID])
    case clauseAdded(id: String, title: String, text: String)
    /// A party's bracketed wording for a clause.
    case alternativeProposed(clause: String, party: String, text: String)
    case clauseSettled(clause: String, status: ClauseStatus, text: String, track: String)
    case roundScheduled(Round)
    case readoutPublished(round: String, party: String, text: String)
    case jointStatementPublished(round: String, text: String)
    case jointSessionConsented(party: String)
    case jointSessionOpened
    case jointSessionClosed
    case preferencesStored(party: String, preferences: Preferences)
    /// `party`'s guess of `about`'s preferences, for rehearsals: kept in `party`'s room.
    case guessStored(party: String, about: String, preferences: Preferences)
    /// `party`'s answers to guided elicitation's questions, all of them (each replaces the
    /// last): kept in `party`'s room, as its preferences are.
    case preferenceAnswersStored(party: String, answers: [PreferenceAnswer])
    /// `party` rehearsed against automated counterparts, in its room: what was played, never a move.
    case rehearsalHeld(party: String, rehearsal: RehearsalSettings)
    /// A principal's Ed25519 public key (base64), for the agreements they sign.
    case keyRegistered(member: MemberID, party: String, publicKey: String)
    /// A principal's signature (base64) over `statement` (``AgreementStatement``): on an agreed
    /// clause (`clause`), or on a package their delegation accepted (`clause` is `nil`).
    case agreementSigned(member: MemberID, party: String, clause: String?, statement: String, signature: String)
    /// A delegate's P-256 public key (base64), to which colleagues wrap their sealed room's key.
    case sealingKeyRegistered(member: MemberID, party: String, publicKey: String)
    /// A room key of `party`'s sealed room, wrapped by `from` for colleagues (``RoomKeyShare``).
    case roomKeyShared(party: String, from: MemberID, share: RoomKeyShare)

    /// The event's type as clients see it (`"message-posted"`).
    public var type: String { kind.rawValue }

    /// What kind of event this is, without what it carries.
    public var kind: Kind {
        switch self {
        case .opened: .opened
        case .memberInvited: .memberInvited
        case .memberLinkReplaced: .memberLinkReplaced
        case .memberRemoved: .memberRemoved
        case .agendaSet: .agendaSet
        case .phaseChanged: .phaseChanged
        case .deadlineSet: .deadlineSet
        case .messagePosted: .messagePosted
        case .messageRelayed: .messageRelayed
        case .relayDecided: .relayDecided
        case .proposalSubmitted: .proposalSubmitted
        case .proposalForwarded: .proposalForwarded
        case .proposalMade: .proposalMade
        case .proposalAnswered: .proposalAnswered
        case .improvementProposed: .improvementProposed
        case .improvementSettled: .improvementSettled
        case .trackOpened: .trackOpened
        case .clauseAdded: .clauseAdded
        case .alternativeProposed: .alternativeProposed
        case .clauseSettled: .clauseSettled
        case .roundScheduled: .roundScheduled
        case .readoutPublished: .readoutPublished
        case .jointStatementPublished: .jointStatementPublished
        case .jointSessionConsented: .jointSessionConsented
        case .jointSessionOpened: .jointSessionOpened
        case .jointSessionClosed: .jointSessionClosed
        case .preferencesStored: .preferencesStored
        case .guessStored: .guessStored
        case .preferenceAnswersStored: .preferenceAnswersStored
        case .rehearsalHeld: .rehearsalHeld
        case .keyRegistered: .keyRegistered
        case .agreementSigned: .agreementSigned
        case .sealingKeyRegistered: .sealingKeyRegistered
        case .roomKeyShared: .roomKeyShared
        }
    }
}

extension TalksEvent {
    /// The kinds of event, each named once: the raw value is the `type` that clients, the record
    /// and the pages (`Web/state.js`) know it by.
    ///
    /// A new kind starts here; the compiler then asks for its case in ``TalksEvent``, its JSON,
    /// its fold and its audience, and the tests over `allCases` ask for its place in the pages
    /// and in the visibility oracle.
    public enum Kind: String, CaseIterable, Hashable, Sendable {
        case opened = "talks-opened"
        case memberInvited = "member-invited"
        case memberLinkReplaced = "member-link-replaced"
        case memberRemoved = "member-removed"
        case agendaSet = "agenda-set"
        case phaseChanged = "phase-changed"
        case deadlineSet = "deadline-set"
        case messagePosted = "message-posted"
        case messageRelayed = "message-relayed"
        case relayDecided = "relay-decided"
        case proposalSubmitted = "proposal-submitted"
        case proposalForwarded = "proposal-forwarded"
        case proposalMade = "proposal-made"
        case proposalAnswered = "proposal-answered"
        case improvementProposed = "improvement-proposed"
        case improvementSettled = "improvement-settled"
        case trackOpened = "track-opened"
        case clauseAdded = "clause-added"
        case alternativeProposed = "alternative-proposed"
        case clauseSettled = "clause-settled"
        case roundScheduled = "round-scheduled"
        case readoutPublished = "readout-published"
        case jointStatementPublished = "joint-statement-published"
        case jointSessionConsented = "joint-session-consented"
        case jointSessionOpened = "joint-session-opened"
        case jointSessionClosed = "joint-session-closed"
        case preferencesStored = "preferences-stored"
        case guessStored = "guess-stored"
        case preferenceAnswersStored = "preference-answers-stored"
        case rehearsalHeld = "rehearsal-held"
        case keyRegistered = "key-registered"
        case agreementSigned = "agreement-signed"
        case sealingKeyRegistered = "sealing-key-registered"
        case roomKeyShared = "room-key-shared"
    }
}

/// An event as the record keeps it: its place in the talks and who may read it.
public struct RecordedEvent: Hashable, Sendable {
    /// 1 for the first event of a talks, then one more for each.
    public var seq: Int
    public var event: TalksEvent
    /// The channels the event travels on (from ``Visibility/audience(of:)``).
    public var audience: Set<Channel>
    /// When it was recorded, in seconds since 1970 (an input, so the model stays pure).
    public var time: Double

    public init(seq: Int, event: TalksEvent, audience: Set<Channel>, time: Double) {
        self.seq = seq
        self.event = event
        self.audience = audience
        self.time = time
    }
}
