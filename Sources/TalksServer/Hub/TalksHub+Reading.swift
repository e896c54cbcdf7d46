public import Talks
public import TalksStore

/// What members and operators read: each member's events a page at a time, and the talks'
/// state for the queries a seat allows.
extension TalksHub {
    /// At most `limit` of the events `member` may see, after their event `after`, as they
    /// receive them (JSON), and whether more follow.
    ///
    /// - Throws: ``TalksError/invalid(_:)`` for an `after` the member was never given.
    public func visibleEvents(
        in id: TalksID,
        for member: MemberID,
        after: Int,
        limit: Int
    ) async throws -> (events: [String], more: Bool) {
        let entry = try await load(id)
        guard let reader = entry.talks.state.members[member] else { return ([], false) }
        let (seqs, more) = try Self.page(
            of: MemberView(of: reader, in: entry.talks.state),
            after: after,
            limit: limit,
            stored: entry.seq
        )
        return (try await presented(seqs, to: member, in: id), more)
    }

    /// Hands `body` every event `member` may see after their event `after`, a page at a time;
    /// returns the member's number of the last one.
    nonisolated func forEachPage(
        in id: TalksID,
        for member: MemberID,
        after: Int,
        _ body: ([String]) async throws -> Void
    ) async throws -> Int {
        var cursor = after
        while true {
            let (events, more) = try await visibleEvents(in: id, for: member, after: cursor, limit: Self.pageSize)
            try await body(events)
            cursor += events.count
            if !more { return cursor }
        }
    }

    /// The record's numbers of the member's next events after their event `after`, up to the
    /// record's event `stored`, and whether more follow.
    ///
    /// - Throws: ``TalksError/notFound(_:)`` for an `after` the member was never given.
    static func page(
        of view: MemberView,
        after: Int,
        limit: Int,
        stored: Int
    ) throws(TalksError) -> (seqs: [Int], more: Bool) {
        _ = try view.recordSeq(after: after)
        let count = view.count(throughRecordSeq: stored)
        let seqs = Array(view.recordSeqs(after: after, limit: max(min(limit, count - after), 0)))
        return (seqs, after + seqs.count < count)
    }

    /// The member's events numbered `seqs` in the record, read from the store, as they receive
    /// them. The view is taken after the read: a member's numbers never change once given, and
    /// no state is held across the store's await (a command meanwhile would copy it).
    func presented(_ seqs: [Int], to member: MemberID, in id: TalksID) async throws -> [String] {
        let links = try await store.links(of: id, seqs: seqs)
        let state = try await load(id).talks.state
        guard let reader = state.members[member] else { return [] }
        let view = MemberView(of: reader, in: state)
        return try links.map { link in
            guard let event = try? RecordChain.decode(link.json) else {
                throw UnreadableRecord(talks: id, seq: link.seq)
            }
            // `nil` cannot happen: the link was chosen from the member's own events.
            return view.presentJSON(event, stored: link.json) ?? "{}"
        }
    }

    /// The state of a talks (for queries that the caller's seat allows).
    public func talks(_ id: TalksID) async throws -> Talks {
        try await load(id).talks
    }

    /// Whether the record of `id`, as read from the store (checked link by link when the talks
    /// was loaded) and appended since, is an intact hash chain.
    public func isRecordIntact(_ id: TalksID) async throws -> Bool {
        guard case .intact = try await load(id).chain.verdict else { return false }
        return true
    }

    /// Whether each member of `id` has opened their current link.
    public func linksOpened(in id: TalksID) async throws -> [MemberID: Bool] {
        let state = try await load(id).talks.state
        let opened = try await store.openedLinks(in: id)
        return state.members.mapValues {
            opened.contains(MemberLink(member: $0.id, version: state.linkVersion(of: $0.id)))
        }
    }

    /// The talks the operator `name` opened, oldest first.
    public func talks(openedBy name: String) async throws -> [TalksID] {
        try await store.talks(openedBy: name)
    }

    /// How `id` was opened (its first event), read from the store without loading the talks.
    public func opening(of id: TalksID) async throws -> (title: String, parties: [String], mediator: Member) {
        guard let first = try await store.links(of: id, after: 0, limit: 1).first,
            case .opened(let title, let parties, let mediator, _) = try? RecordChain.decode(first.json).event
        else { throw UnreadableRecord(talks: id, seq: 1) }
        return (title, parties, mediator)
    }
}
