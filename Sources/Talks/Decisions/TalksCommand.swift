/// What a member asks the talks to do. ``Talks/handle(_:by:time:)`` checks it against the rules
/// and the member's seat, and answers with events or a ``TalksError``.
public enum TalksCommand: Hashable, Sendable {
    /// The mediator invites a delegate.
    case invite(id: MemberID, party: String, name: String, role: Role, affiliation: String?)
    /// The mediator gives a member a new link; the old one stops working.
    case replaceLink(member: MemberID)
    /// The mediator removes a delegate from the talks.
    case removeMember(MemberID)
    case setAgenda([AgendaIssue])
    case changePhase(Phase)
    /// `YYYY-MM-DD`.
    case setDeadline(String)
    /// A message on a channel the member may write to.
    case post(channel: Channel, text: String)
    /// The mediator passes message `message` (a sequence number) to `party`; `text` is the
    /// paraphrase when `mode` is ``RelayMode/paraphrase``.
    case relay(message: Int, party: String, mode: RelayMode, text: String?)
    /// A delegate's proposal goes to the mediator (`parties` is ignored); the mediator's goes to `parties`.
    case propose(ProposalContent, parties: [String])
    /// The mediator passes a party's proposal to another party.
    case forward(proposal: String, party: String)
    case answer(proposal: String, answer: Answer, counter: ProposalContent?)
    /// The mediator proposes to every party a package that each of them strictly prefers to
    /// proposal `of`, which all of them accepted (post-settlement improvement).
    case proposeImprovement(of: String, package: [String: String])
    case openTrack(name: String, level: TrackLevel, issues: [String], members: [MemberID])
    case addClause(title: String, text: String)
    case proposeAlternative(clause: String, text: String)
    /// A track moves a clause on: a technical track to agreed ad referendum, the principals' to agreed.
    case settleClause(clause: String, status: ClauseStatus, text: String, track: String)
    case scheduleRound(date: String, venue: String, level: TrackLevel, format: Round.Format)
    case publishReadout(round: String, text: String)
    case publishJointStatement(round: String, text: String)
    case consentToJointSession
    case openJointSession
    case closeJointSession
    case storePreferences(Preferences)
    /// A delegation's guess of another party's preferences, for rehearsals in its room.
    case storeGuess(about: String, Preferences)
    /// A delegation answers one of guided elicitation's questions (`add`), takes earlier answers
    /// back (`withdraw`, each by what it said), or both at once; what remains must hold together
    /// for one additive utility. Naming answers rather than replacing the list keeps a
    /// colleague's answer given meanwhile.
    case reviseAnswers(add: PreferenceAnswer?, withdraw: [PreferenceAnswer])
    /// A delegation starts a rehearsal (``Talks/rehearse(for:_:)``): the record keeps, in its
    /// room, that it did and with what settings.
    case recordRehearsal(RehearsalSettings)
    /// A principal registers the public half of the Ed25519 key their page made (base64 of its
    /// 32 bytes), with which they sign agreements.
    case registerKey(publicKey: String)
    /// A principal signs what their delegation agreed: an ``AgreementStatement``'s text and the
    /// base64 of their Ed25519 signature over its bytes.
    case signAgreement(statement: String, signature: String)
    /// A delegate registers the P-256 public key their page made for their sealed room (base64
    /// of its 65 raw bytes): colleagues wrap the room's keys to it.
    case registerSealingKey(publicKey: String)
    /// A delegate's page shares a room key with colleagues: a new key for the room, or one it
    /// holds with members who lack it.
    case shareRoomKey(RoomKeyShare)
}

extension TalksCommand {
    /// The command's kind (`"post"`), for metrics and logs: never anything it carries.
    public var kind: String {
        switch self {
        case .invite: "invite"
        case .replaceLink: "replace-link"
        case .removeMember: "remove-member"
        case .setAgenda: "set-agenda"
        case .changePhase: "change-phase"
        case .setDeadline: "set-deadline"
        case .post: "post"
        case .relay: "relay"
        case .propose: "propose"
        case .forward: "forward"
        case .answer: "answer"
        case .proposeImprovement: "propose-improvement"
        case .openTrack: "open-track"
        case .addClause: "add-clause"
        case .proposeAlternative: "propose-alternative"
        case .settleClause: "settle-clause"
        case .scheduleRound: "schedule-round"
        case .publishReadout: "publish-readout"
        case .publishJointStatement: "publish-joint-statement"
        case .consentToJointSession: "consent-to-joint-session"
        case .openJointSession: "open-joint-session"
        case .closeJointSession: "close-joint-session"
        case .storePreferences: "store-preferences"
        case .storeGuess: "store-guess"
        case .reviseAnswers: "revise-answers"
        case .recordRehearsal: "record-rehearsal"
        case .registerKey: "register-key"
        case .signAgreement: "sign-agreement"
        case .registerSealingKey: "register-sealing-key"
        case .shareRoomKey: "share-room-key"
        }
    }

    /// Whether the command must stay out of every metric: a rehearsal, or answering the
    /// elicitation's questions, is the delegation's own business, so not even the count of all
    /// talks' commands shows one.
    public var isCountedNowhere: Bool {
        switch self {
        case .recordRehearsal, .reviseAnswers: true
        default: false
        }
    }

    /// Whether the command only lets its member read a sealed room (an observer may).
    var readsSealedRoom: Bool {
        switch self {
        case .registerSealingKey, .shareRoomKey: true
        default: false
        }
    }

    /// Whether the command stays possible after the talks conclude: it manages who holds a seat
    /// (links, removal), signs what was agreed or hands a sealed room's keys on, rather than
    /// adding to the talks' content, so that a leaked link stays revocable, an agreement signable
    /// and the room's history readable.
    var staysOpenAfterConclusion: Bool {
        switch self {
        case .replaceLink, .removeMember, .registerKey, .signAgreement, .registerSealingKey, .shareRoomKey: true
        default: false
        }
    }
}
