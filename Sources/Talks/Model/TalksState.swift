/// The state of one talks: the fold of its events, and nothing else.
public struct TalksState: Hashable, Sendable {
    /// A message as the record keeps it, for relays.
    public struct Message: Hashable, Sendable {
        public var channel: Channel
        public var author: MemberID
        public var text: String
    }

    public struct Proposal: Hashable, Sendable {
        public var id: String
        /// The proposing party, or `nil` for the mediator.
        public var party: String?
        public var content: ProposalContent
        /// The parties it has been put to.
        public var addressedTo: Set<String>
        public var answers: [String: Answer]
        /// For an improvement: the agreed proposal it would replace.
        public var improves: String? = nil
        /// For an improvement: `true` once every party accepted it, `false` once one rejected it.
        public var adopted: Bool? = nil
    }

    public struct Track: Hashable, Sendable {
        public var level: TrackLevel
        public var issues: [String]
        public var members: Set<MemberID>
    }

    public struct Clause: Hashable, Sendable {
        public var id: String
        public var title: String
        public var text: String
        public var alternatives: [String: String]
        public var status: ClauseStatus
    }

    /// The room keys of a sealed room, and who holds each.
    public struct RoomKeys: Hashable, Sendable {
        /// The room's keys in the order they were made: the last one seals what is written now.
        public var keys: [String] = []
        /// For each key, the members it was wrapped for and the sealing key it was wrapped to.
        public var holders: [String: [MemberID: String]] = [:]
        /// Whether a member who held the current key left or was given a new link since: the
        /// room takes no message until a new key is made.
        public var needsNewKey = false

        public var current: String? { keys.last }
    }

    public private(set) var title = ""
    /// Whether the delegations' rooms are sealed: their messages are encrypted in the members'
    /// pages, and the server keeps only ciphertext.
    public private(set) var sealedRooms = false
    /// Each delegate's P-256 public key (base64), to which their colleagues wrap room keys.
    public private(set) var sealingKeys: [MemberID: String] = [:]
    /// The keys of each party's sealed room.
    public private(set) var roomKeys: [String: RoomKeys] = [:]
    public private(set) var parties: [String] = []
    public private(set) var members: [MemberID: Member] = [:]
    /// Members who were removed (their ids are never given again).
    public private(set) var removedMembers: Set<MemberID> = []
    /// How many times each member's link has been replaced. A token is good only for its
    /// member's current version, so the record alone says which tokens still open a seat.
    public private(set) var linkVersions: [MemberID: Int] = [:]
    public private(set) var phase = Phase.exploratory
    /// The phase the talks were in when suspended.
    public private(set) var phaseBeforeSuspension: Phase?
    public private(set) var agenda: [AgendaIssue] = []
    public private(set) var deadline: String?
    /// The messages the mediator may relay (a party's, on its shuttle channel), by record number.
    public private(set) var messages: [Int: Message] = [:]
    public private(set) var proposals: [String: Proposal] = [:]
    public private(set) var tracks: [String: Track] = [:]
    /// Clauses in the order they were added.
    public private(set) var clauses: [Clause] = []
    public private(set) var rounds: [String: Round] = [:]
    public private(set) var readouts: [String: [String: String]] = [:]
    public private(set) var jointConsents: Set<String> = []
    public private(set) var jointSessionOpen = false
    public private(set) var preferences: [String: Preferences] = [:]
    /// Each party's guesses of the other parties' preferences (guesser → guessed → preferences).
    public private(set) var guesses: [String: [String: Preferences]] = [:]
    /// Each party's answers to guided elicitation's questions, in the order given.
    public private(set) var preferenceAnswers: [String: [PreferenceAnswer]] = [:]
    /// Each principal's registered Ed25519 public key (base64), the latest they registered.
    public private(set) var signingKeys: [MemberID: String] = [:]
    /// The sequence number of the last event folded in (0 before any).
    public private(set) var lastSeq = 0
    /// What each view has seen, for ``MemberView``'s numbers.
    private(set) var views = ViewIndex()

    public init() {}

    /// The state after `events`, from the beginning.
    public init(folding events: some Sequence<RecordedEvent>) {
        for event in events { apply(event) }
    }

    public var mediator: Member? { members.values.first(where: \.isMediator) }

    /// The version of `member`'s link that opens their seat now.
    public func linkVersion(of member: MemberID) -> Int { linkVersions[member] ?? 0 }

    func clause(_ id: String) -> Clause? { clauses.first { $0.id == id } }

    /// Folds one more event in.
    public mutating func apply(_ recorded: RecordedEvent) {
        fold(recorded)
        // Moved out and back so that filing the event does not copy the index.
        var index = views
        views = ViewIndex()
        index.record(recorded, in: self)
        views = index
    }

    private mutating func fold(_ recorded: RecordedEvent) {
        lastSeq = recorded.seq
        switch recorded.event {
        case .opened(let title, let parties, let mediator, let sealed):
            self.title = title
            self.parties = parties
            sealedRooms = sealed
            members[mediator.id] = mediator
        case .memberInvited(let member):
            members[member.id] = member
        case .memberLinkReplaced(let member, _):
            linkVersions[member, default: 0] += 1
            dropSealingKey(of: member)
        case .memberRemoved(let member):
            dropSealingKey(of: member)
            members[member] = nil
            removedMembers.insert(member)
            for name in tracks.keys { tracks[name]?.members.remove(member) }
        case .agendaSet(let issues):
            agenda = issues
        case .phaseChanged(let from, let to):
            if to == .suspended { phaseBeforeSuspension = from }
            phase = to
        case .deadlineSet(let date):
            deadline = date
        case .messagePosted(let channel, let author, let text):
            if case .shuttle = channel, members[author]?.isMediator == false {
                messages[recorded.seq] = Message(channel: channel, author: author, text: text)
            }
        case .messageRelayed, .relayDecided:
            break
        case .proposalSubmitted(let id, let party, let content):
            proposals[id] = Proposal(id: id, party: party, content: content, addressedTo: [], answers: [:])
        case .proposalForwarded(let id, let party, _):
            proposals[id]?.addressedTo.insert(party)
        case .proposalMade(let id, let parties, let content):
            proposals[id] = Proposal(id: id, party: nil, content: content, addressedTo: Set(parties), answers: [:])
        case .improvementProposed(let id, let improves, let parties, let content):
            proposals[id] = Proposal(
                id: id,
                party: nil,
                content: content,
                addressedTo: Set(parties),
                answers: [:],
                improves: improves
            )
        case .improvementSettled(let id, _, _, let adopted):
            proposals[id]?.adopted = adopted
        case .proposalAnswered(let id, let party, let answer, _):
            proposals[id]?.answers[party] = answer
        case .trackOpened(let name, let level, let issues, let members):
            tracks[name] = Track(level: level, issues: issues, members: Set(members))
        case .clauseAdded(let id, let title, let text):
            clauses.append(Clause(id: id, title: title, text: text, alternatives: [:], status: .bracketed))
        case .alternativeProposed(let id, let party, let text):
            if let index = clauses.firstIndex(where: { $0.id == id }) { clauses[index].alternatives[party] = text }
        case .clauseSettled(let id, let status, let text, _):
            if let index = clauses.firstIndex(where: { $0.id == id }) {
                clauses[index].status = status
                clauses[index].text = text
            }
        case .roundScheduled(let round):
            rounds[round.id] = round
        case .readoutPublished(let round, let party, let text):
            readouts[round, default: [:]][party] = text
        case .jointStatementPublished:
            break
        case .jointSessionConsented(let party):
            jointConsents.insert(party)
        case .jointSessionOpened:
            jointSessionOpen = true
        case .jointSessionClosed:
            jointSessionOpen = false
            jointConsents = []
        case .preferencesStored(let party, let preferences):
            self.preferences[party] = preferences
        case .guessStored(let party, let about, let preferences):
            guesses[party, default: [:]][about] = preferences
        case .preferenceAnswersStored(let party, let answers):
            preferenceAnswers[party] = answers
        case .rehearsalHeld, .agreementSigned:
            break
        case .keyRegistered(let member, _, let publicKey):
            signingKeys[member] = publicKey
        case .sealingKeyRegistered(let member, _, let publicKey):
            sealingKeys[member] = publicKey
        case .roomKeyShared(let party, _, let share):
            var room = roomKeys[party] ?? RoomKeys()
            if !room.keys.contains(share.key) {
                room.keys.append(share.key)
                room.needsNewKey = false
            }
            for wrap in share.wrapped { room.holders[share.key, default: [:]][wrap.member] = wrap.publicKey }
            roomKeys[party] = room
        }
    }

    /// A member who leaves, or whose link is replaced, loses their sealing key (whoever held the
    /// old link may hold it too); if they held their room's current key, the room needs a new one.
    private mutating func dropSealingKey(of member: MemberID) {
        sealingKeys[member] = nil
        guard let party = members[member]?.party, var room = roomKeys[party], let current = room.current else { return }
        if room.holders[current]?[member] != nil {
            room.needsNewKey = true
            roomKeys[party] = room
        }
    }
}
