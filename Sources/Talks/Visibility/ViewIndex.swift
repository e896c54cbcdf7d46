/// What each view of a talks has seen, so that every number a member is given counts only
/// events they can see (see ``MemberView``).
///
/// A view is a set of channels: the mediator's, a delegation's, a delegation's as seen from a
/// track. A member's channels only ever grow by a track that has just opened, with nothing on it
/// yet, so the events of a view never change once numbered: its numbers are stable.
struct ViewIndex: Hashable, Sendable {
    /// Each view's channels, and the record's numbers of the events on it, in order.
    private var channels: [Set<Channel>] = []
    private var events: [[Int]] = []
    /// The view each member reads.
    private var viewOfMember: [MemberID: Int] = [:]
    /// For each party, the record's ids of the proposals that reached its shuttle channel, in
    /// the order they first did.
    private var proposals: [String: [String]] = [:]
    private var proposalNumbers: [String: [String: Int]] = [:]

    /// The view `member` reads: its number (members who read the same share it), channels and
    /// events.
    func view(of member: MemberID) -> (index: Int, channels: Set<Channel>, events: [Int])? {
        viewOfMember[member].map { ($0, channels[$0], events[$0]) }
    }

    /// The view numbered `index`: its channels and events.
    func view(number index: Int) -> (channels: Set<Channel>, events: [Int])? {
        channels.indices.contains(index) ? (channels[index], events[index]) : nil
    }

    /// `party`'s number for the record's proposal `id` (1 for the first that reached it).
    func proposalNumber(of id: String, for party: String) -> Int? { proposalNumbers[party]?[id] }

    /// The record's id of `party`'s proposal number `number`.
    func proposalID(_ number: Int, for party: String) -> String? {
        guard let ids = proposals[party], ids.indices.contains(number - 1) else { return nil }
        return ids[number - 1]
    }

    /// Files `recorded`, already folded into `state`.
    mutating func record(_ recorded: RecordedEvent, in state: TalksState) {
        switch recorded.event {
        case .opened(_, let parties, let mediator, _):
            // Every delegation's plain view exists from the start: a delegate invited late
            // reads its history.
            viewOfMember[mediator.id] = view(Visibility.channels(of: mediator, in: state), before: nil)
            for party in parties { _ = view(Self.delegation(party), before: nil) }
        case .memberInvited(let member):
            viewOfMember[member.id] = view(Visibility.channels(of: member, in: state), before: nil)
        case .memberRemoved(let member):
            viewOfMember[member] = nil
        case .trackOpened(_, _, _, let members):
            // The track's members (and the mediator) move to a view with the track added; it
            // holds nothing yet, so their history so far is their old view's.
            let movers = members.compactMap { state.members[$0] } + (state.mediator.map { [$0] } ?? [])
            for member in movers {
                viewOfMember[member.id] = view(
                    Visibility.channels(of: member, in: state),
                    before: viewOfMember[member.id]
                )
            }
        case .proposalSubmitted(let id, let party, _), .proposalForwarded(let id, let party, _):
            file(proposal: id, for: party)
        case .proposalMade(let id, let parties, _), .improvementProposed(let id, _, let parties, _):
            for party in parties { file(proposal: id, for: party) }
        default:
            break
        }
        for index in channels.indices where !channels[index].isDisjoint(with: recorded.audience) {
            events[index].append(recorded.seq)
        }
    }

    /// The view reading `wanted`, made if need be with the history of view `before`.
    private mutating func view(_ wanted: Set<Channel>, before: Int?) -> Int {
        if let found = channels.firstIndex(of: wanted) { return found }
        channels.append(wanted)
        events.append(before.map { events[$0] } ?? [])
        return channels.count - 1
    }

    private mutating func file(proposal id: String, for party: String) {
        guard proposalNumbers[party]?[id] == nil else { return }
        proposals[party, default: []].append(id)
        proposalNumbers[party, default: [:]][id] = proposals[party]!.count
    }

    /// A delegate's channels when they sit in no track.
    static func delegation(_ party: String) -> Set<Channel> {
        [.plenary, .joint, .room(party: party), .shuttle(party: party)]
    }
}
