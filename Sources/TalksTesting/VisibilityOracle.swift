public import Talks

/// Who should read an event, written out from the glossary rather than from `Visibility`, so
/// that tests can check the one place that decides against an independent statement of the rules.
public enum VisibilityOracle {
    public static func shouldSee(_ member: Member, _ event: TalksEvent, state: TalksState) -> Bool {
        let isMediator = member.isMediator
        let party = member.party
        func partyAndMediator(_ p: String) -> Bool { isMediator || party == p }
        switch event {
        case .opened, .memberInvited, .memberRemoved, .agendaSet, .phaseChanged, .deadlineSet, .trackOpened,
            .clauseAdded, .clauseSettled,
            .roundScheduled, .readoutPublished, .jointStatementPublished, .jointSessionOpened, .jointSessionClosed:
            return true
        case .messagePosted(let channel, _, _):
            switch channel {
            case .room(let p): return party == p
            case .shuttle(let p): return partyAndMediator(p)
            case .joint, .plenary: return true
            case .track(let name): return isMediator || state.tracks[name]?.members.contains(member.id) == true
            case .mediator: return isMediator
            }
        case .messageRelayed(let p, _), .proposalForwarded(_, let p, _), .proposalSubmitted(_, let p, _),
            .proposalAnswered(_, let p, _, _), .alternativeProposed(_, let p, _), .jointSessionConsented(let p):
            return partyAndMediator(p)
        case .relayDecided:
            return isMediator
        case .memberLinkReplaced(_, let p):
            // The mediator who replaced it, and the member's own delegation.
            return isMediator || (p != nil && party == p)
        case .proposalMade(_, let parties, _), .improvementProposed(_, _, let parties, _),
            .improvementSettled(_, _, let parties, _):
            return isMediator || parties.contains(party ?? "")
        case .preferencesStored(let p, _), .guessStored(let p, _, _), .rehearsalHeld(let p, _),
            .preferenceAnswersStored(let p, _):
            // A delegation's own preferences, its guesses of the others' and its rehearsals: its room only.
            return party == p
        case .sealingKeyRegistered(_, let p, _), .roomKeyShared(let p, _, _):
            // The keys of a sealed room: its delegation only, never the mediator.
            return party == p
        case .keyRegistered:
            // A principal's public key: everyone checks their signatures.
            return true
        case .agreementSigned(_, let p, let clause, _, _):
            // A signed clause is the whole table's; a signed package, the party's and the mediator's.
            return clause != nil || partyAndMediator(p)
        }
    }
}
