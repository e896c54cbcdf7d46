import NegotiationEngine

/// A talks as a state machine: commands in, events out, state the fold of the events.
///
/// Pure: no I/O, no clock, no randomness. The shell (the store and the server) gives it the
/// time, keeps the events it returns, and asks ``Visibility`` who may read them.
///
/// ```swift
/// var (talks, opened) = try Talks.open(title: "Muscat", parties: ["United States", "Iran"],
///                                      mediator: Member(id: MemberID("m"), name: "Oman", seat: .mediator), time: 0)
/// let events = try talks.handle(.post(channel: .shuttle(party: "Iran"), text: "…"), by: MemberID("m"), time: 1)
/// ```
public struct Talks: Sendable {
    public private(set) var state: TalksState

    /// Longest text a message, clause or readout may have, in characters.
    public static let maximumTextLength = 20_000

    /// A talks from its recorded events.
    public init(folding events: some Sequence<RecordedEvent>) {
        state = TalksState(folding: events)
    }

    /// Folds in an event read back from the record, after those folded so far: for a record
    /// read in pages.
    public mutating func replay(_ event: RecordedEvent) {
        state.apply(event)
    }

    /// Opens a talks between `parties` with `mediator` in the chair.
    public static func open(
        title: String,
        parties: [String],
        mediator: Member,
        sealedRooms: Bool = false,
        time: Double
    ) throws(TalksError) -> (Talks, RecordedEvent) {
        guard title.unicodeScalars.contains(where: { !TextRules.isSpace($0) }) else {
            throw .invalid("the talks need a title")
        }
        let title = try TextRules.text(title, what: "a title")
        guard parties.count >= 2 else { throw .invalid("talks need at least two parties") }
        guard parties.allSatisfy(TextRules.isName) else {
            throw .invalid("a party needs a name, without spaces or line breaks at either end")
        }
        let distinct = TextRules.distinct(parties)
        guard distinct.asWritten else { throw .invalid("each party must be named once") }
        guard distinct.asRead else { throw .rule("two parties' names read the same; name each once") }
        guard mediator.isMediator else { throw .invalid("the mediator must sit as mediator") }
        var talks = Talks(folding: [])
        let event = talks.record(
            .opened(title: title, parties: parties, mediator: mediator, sealedRooms: sealedRooms),
            time: time
        )
        return (talks, event)
    }

    /// Checks `command` from `actor` against the rules and, if it holds, returns the events it
    /// produces, already folded into ``state``.
    ///
    /// - Throws: ``TalksError``; nothing changes when it throws.
    public mutating func handle(
        _ command: TalksCommand,
        by actor: MemberID,
        time: Double
    ) throws(TalksError) -> [RecordedEvent] {
        let recorded = try events(for: command, by: actor, time: time)
        for event in recorded { state.apply(event) }
        return recorded
    }

    /// The events `command` from `actor` would record, numbered after ``state``'s last, without
    /// folding them in: for a caller that folds them (``replay(_:)``) only once they are stored.
    ///
    /// - Throws: ``TalksError`` when the rules refuse it.
    public func events(
        for command: TalksCommand,
        by actor: MemberID,
        time: Double
    ) throws(TalksError) -> [RecordedEvent] {
        guard let member = state.members[actor] else { throw .notFound("no member '\(actor)' in these talks") }
        let first = state.lastSeq + 1
        return try decide(command, by: member).enumerated().map { offset, event in
            RecordedEvent(seq: first + offset, event: event, audience: Visibility.audience(of: event), time: time)
        }
    }

    private mutating func record(_ event: TalksEvent, time: Double) -> RecordedEvent {
        let recorded = RecordedEvent(
            seq: state.lastSeq + 1,
            event: event,
            audience: Visibility.audience(of: event),
            time: time
        )
        state.apply(recorded)
        return recorded
    }
}
