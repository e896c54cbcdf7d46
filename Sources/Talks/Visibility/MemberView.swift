/// The talks as one member sees them, in their own numbers.
///
/// Confidentiality covers traffic: a member is never given a number that counts what they
/// cannot see. So each member's events are numbered 1, 2, 3… counting only the events on their
/// channels; a delegation's proposals are `P1`, `P2`… in the order they reached it; the
/// mediator, who sees every proposal, keeps the record's ids, and names messages by its own
/// event numbers. The record keeps its global numbers and hash chain for `verify` and
/// operators; members are not shown hashes, since each moves with writes they cannot see.
///
/// Everything a member reads goes out through ``present(_:)``, and everything they write comes
/// in through ``recordCommand(_:)``.
public struct MemberView: Sendable {
    public let member: Member
    /// The channels the member reads.
    public let channels: Set<Channel>
    /// Which view the member reads: members with the same view see the same numbers and texts.
    public let viewNumber: Int
    private let state: TalksState
    /// The record's numbers of the member's events, in order.
    private let seqs: [Int]

    /// The view of `member`, a member of the talks (a removed member sees nothing).
    public init(of member: Member, in state: TalksState) {
        self.member = member
        self.state = state
        if let view = state.views.view(of: member.id) {
            (viewNumber, channels, seqs) = view
        } else {
            (viewNumber, channels, seqs) = (-1, [], [])
        }
    }

    /// The view numbered `view` as `reader`, who reads or once read it, sees it: the same
    /// numbers and texts for every reader of that view, whichever view the reader has moved to
    /// since (a track opened) or whether they are still a member.
    public init(view number: Int, readBy reader: Member, in state: TalksState) {
        member = reader
        self.state = state
        if let view = state.views.view(number: number) {
            (viewNumber, channels, seqs) = (number, view.channels, view.events)
        } else {
            (viewNumber, channels, seqs) = (-1, [], [])
        }
    }

    /// How many events the member can see.
    public var count: Int { seqs.count }

    /// The member's number for the record's event `seq`, or `nil` when they cannot see it.
    public func number(ofRecordSeq seq: Int) -> Int? {
        let index = firstIndex(notBefore: seq)
        return index < seqs.count && seqs[index] == seq ? index + 1 : nil
    }

    /// How many of the member's events are among the record's first `seq`.
    public func count(throughRecordSeq seq: Int) -> Int {
        firstIndex(notBefore: seq == .max ? seq : seq + 1)
    }

    /// The index of the member's first event numbered `seq` or later in the record.
    private func firstIndex(notBefore seq: Int) -> Int {
        var low = 0
        var high = seqs.count
        while low < high {
            let middle = (low + high) / 2
            if seqs[middle] < seq { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The record's number of the member's event `number`, for a cursor (`after=`): 0 for 0.
    ///
    /// - Throws: ``TalksError/notFound(_:)`` for a number the member was never given.
    public func recordSeq(after number: Int) throws(TalksError) -> Int {
        guard number != 0 else { return 0 }
        guard number > 0, number <= seqs.count else {
            throw .notFound("after=\(number) is not an event you were given (you have \(seqs.count))")
        }
        return seqs[number - 1]
    }

    /// The record's numbers of the member's events after their event `number`, at most `limit`.
    public func recordSeqs(after number: Int, limit: Int) -> ArraySlice<Int> {
        seqs.dropFirst(max(number, 0)).prefix(limit)
    }

    /// `event` as the member receives it, or `nil` when they may not see it.
    public func present(_ event: RecordedEvent) -> RecordedEvent? {
        number(ofRecordSeq: event.seq).map { presented(event, as: $0, translated: translated(event.event)) }
    }

    /// `event`, stored as `json` (its canonical text), as the member receives it, in JSON; `nil`
    /// when they may not see it.
    ///
    /// Most events differ for the member only in their number: their text is the stored text
    /// renumbered, which is the same as encoding them again, at a fraction of the cost.
    public func presentJSON(_ event: RecordedEvent, stored json: String) -> String? {
        guard let number = number(ofRecordSeq: event.seq) else { return nil }
        let changed = translated(event.event)
        if changed == nil, let renumbered = RecordChain.renumber(json, to: number) { return renumbered }
        return RecordChain.encode(presented(event, as: number, translated: changed))
    }

    private func presented(_ event: RecordedEvent, as number: Int, translated: TalksEvent?) -> RecordedEvent {
        RecordedEvent(seq: number, event: translated ?? event.event, audience: event.audience, time: event.time)
    }

    /// `command`, written in the member's numbers, in the record's.
    ///
    /// - Throws: ``TalksError/notFound(_:)`` for a message or proposal the member was not given.
    public func recordCommand(_ command: TalksCommand) throws(TalksError) -> TalksCommand {
        switch command {
        case .relay(let number, let party, let mode, let text):
            guard number >= 1, number <= seqs.count else { throw .notFound("no message \(number)") }
            return .relay(message: seqs[number - 1], party: party, mode: mode, text: text)
        case .answer(let id, let answer, let counter):
            guard let party = member.party else { return command }
            guard let recordID = proposalID(id, for: party) else {
                throw .notFound("no proposal \(id) has been put to \(party)")
            }
            return .answer(proposal: recordID, answer: answer, counter: counter)
        default:
            return command
        }
    }

    /// `event` with the record's numbers in it turned into the member's; `nil` when it has none.
    private func translated(_ event: TalksEvent) -> TalksEvent? {
        guard let party = member.party else {
            if case .relayDecided(let message, let party, let mode) = event {
                return .relayDecided(message: number(ofRecordSeq: message) ?? 0, party: party, mode: mode)
            }
            return nil
        }
        func id(_ recordID: String) -> String {
            // Every proposal a delegate can see reached its shuttle channel and was numbered
            // there; the fallback exists so that the record's id can never go out.
            state.views.proposalNumber(of: recordID, for: party).map { "P\($0)" } ?? "P?"
        }
        switch event {
        case .proposalSubmitted(let recordID, let from, let content):
            return .proposalSubmitted(id: id(recordID), party: from, content: content)
        case .proposalForwarded(let recordID, let to, let content):
            return .proposalForwarded(id: id(recordID), party: to, content: content)
        case .proposalMade(let recordID, let parties, let content):
            return .proposalMade(id: id(recordID), parties: parties, content: content)
        case .improvementProposed(let recordID, let improves, let parties, let content):
            return .improvementProposed(id: id(recordID), improves: id(improves), parties: parties, content: content)
        case .improvementSettled(let recordID, let improves, let parties, let adopted):
            return .improvementSettled(id: id(recordID), improves: id(improves), parties: parties, adopted: adopted)
        case .proposalAnswered(let recordID, let by, let answer, let counter):
            return .proposalAnswered(id: id(recordID), party: by, answer: answer, counter: counter.map(id))
        default: return nil
        }
    }

    /// The record's id of the proposal a delegation calls `id` (`P3`).
    private func proposalID(_ id: String, for party: String) -> String? {
        guard id.first == "P", let number = Int(id.dropFirst()), String(number) == id.dropFirst() else { return nil }
        return state.views.proposalID(number, for: party)
    }
}
