/// The one place that decides who may see what.
///
/// Every path that gives events to a person — HTTP, the stream, an export — asks
/// ``canSee(_:_:in:)``. An event's audience follows from the event alone
/// (``audience(of:)``); a member's channels follow from their seat and their tracks
/// (``channels(of:in:)``). A delegation's room is never among the mediator's channels.
public enum Visibility {
    /// The channels an event travels on.
    public static func audience(of event: TalksEvent) -> Set<Channel> {
        switch event {
        case .opened, .memberInvited, .memberRemoved, .agendaSet, .phaseChanged, .deadlineSet, .trackOpened,
            .clauseAdded, .clauseSettled,
            .roundScheduled, .readoutPublished, .jointStatementPublished, .jointSessionOpened, .jointSessionClosed:
            [.plenary]
        case .messagePosted(let channel, _, _):
            [channel]
        case .messageRelayed(let party, _), .proposalForwarded(_, let party, _):
            [.shuttle(party: party)]
        case .relayDecided:
            [.mediator]
        case .memberLinkReplaced(_, let party):
            // Between the mediator, who replaced it, and the member's own delegation: their
            // shuttle channel (never a room, which the mediator may not read).
            party.map { [.shuttle(party: $0)] } ?? [.mediator]
        case .proposalSubmitted(_, let party, _), .proposalAnswered(_, let party, _, _),
            .alternativeProposed(_, let party, _),
            .jointSessionConsented(let party):
            [.shuttle(party: party)]
        case .proposalMade(_, let parties, _), .improvementProposed(_, _, let parties, _),
            .improvementSettled(_, _, let parties, _):
            Set(parties.map { .shuttle(party: $0) })
        case .preferencesStored(let party, _), .guessStored(let party, _, _), .rehearsalHeld(let party, _),
            .preferenceAnswersStored(let party, _):
            [.room(party: party)]
        case .sealingKeyRegistered(_, let party, _), .roomKeyShared(let party, _, _):
            // Everything about a sealed room's keys is its delegation's alone.
            [.room(party: party)]
        case .keyRegistered:
            // Everyone may check a principal's signature: the key is public, its fingerprint
            // is what members compare.
            [.plenary]
        case .agreementSigned(_, let party, let clause, _, _):
            // An agreed clause is everyone's; a package was accepted between the party and the
            // mediator, on its shuttle channel.
            clause == nil ? [.shuttle(party: party)] : [.plenary]
        }
    }

    /// The channels `member` reads.
    public static func channels(of member: Member, in state: TalksState) -> Set<Channel> {
        var channels: Set<Channel> = [.plenary, .joint]
        for (name, track) in state.tracks where member.isMediator || track.members.contains(member.id) {
            channels.insert(.track(name))
        }
        switch member.seat {
        case .mediator:
            channels.insert(.mediator)
            for party in state.parties { channels.insert(.shuttle(party: party)) }
        case .delegate(let party, _):
            channels.insert(.room(party: party))
            channels.insert(.shuttle(party: party))
        }
        return channels
    }

    /// Whether `member` may read `event`.
    public static func canSee(_ member: Member, _ event: RecordedEvent, in state: TalksState) -> Bool {
        !event.audience.isDisjoint(with: channels(of: member, in: state))
    }

    /// The events of `record` that `member` may read, in order, after sequence number `after`.
    public static func visible(
        to member: Member,
        in record: [RecordedEvent],
        state: TalksState,
        after: Int = 0
    ) -> [RecordedEvent] {
        let channels = channels(of: member, in: state)
        return record.filter { $0.seq > after && !$0.audience.isDisjoint(with: channels) }
    }
}
