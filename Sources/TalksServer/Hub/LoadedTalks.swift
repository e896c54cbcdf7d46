import Talks
import TalksStore
import TransparencyLog

/// A talks the hub holds: its state, and its record's chain as checked so far.
///
/// A class, so that the one command under way on a talks updates it in place: the state is
/// never copied on the hot path.
final class Loaded {
    var talks: Talks
    /// Every link read back or appended since was checked against the one before.
    var chain: RecordChain.Checker
    /// The number of the last event folded into `talks`. A command's events are folded in only
    /// once they are stored, so `talks` never runs ahead of the record.
    var seq: Int
    var lastUse: UInt64 = 0
    /// The Merkle logs of the views members have asked about.
    var logs = ViewLogs()
    /// Each member's last signed checkpoint: signed again only when their view has grown.
    var checkpoints: [MemberID: SignedCheckpoint] = [:]

    init(talks: Talks, chain: RecordChain.Checker, seq: Int) {
        self.talks = talks
        self.chain = chain
        self.seq = seq
    }

    /// The talks `id` read from `store`, a page at a time with its chain checked, up to event
    /// `last` or all of it.
    ///
    /// - Throws: ``StoreError/notFound(_:)`` for a talks with no events;
    ///   ``TalksHub/UnreadableRecord`` for a link that does not check.
    static func read(_ id: TalksID, through last: Int? = nil, from store: any TalksStore) async throws -> Loaded {
        var talks = Talks(folding: [])
        var chain = RecordChain.Checker()
        var after = 0
        while true {
            let limit = min(TalksHub.pageSize, (last ?? .max) - after)
            guard limit > 0 else { break }
            let page = try await store.links(of: id, after: after, limit: limit)
            for link in page {
                guard let event = chain.check(link) else { throw TalksHub.UnreadableRecord(talks: id, seq: link.seq) }
                talks.replay(event)
            }
            after = page.last?.seq ?? after
            if page.count < limit { break }
        }
        guard after > 0 else { throw StoreError.notFound("no talks '\(id)'") }
        return Loaded(talks: talks, chain: chain, seq: after)
    }
}

/// The talks a hub holds in memory, and which of them it may let go first: the least recently
/// used.
struct LoadedTalks {
    private var entries: [TalksID: Loaded] = [:]
    private var clock: UInt64 = 0

    var count: Int { entries.count }
    var ids: [TalksID] { Array(entries.keys) }

    /// The talks `id` if it is held, marked as just used.
    mutating func use(_ id: TalksID) -> Loaded? {
        guard let entry = entries[id] else { return nil }
        touch(entry)
        return entry
    }

    /// The talks `id` if it is held, without counting a use.
    subscript(id: TalksID) -> Loaded? { entries[id] }

    /// Holds `entry` as `id`; past `bound`, lets go of the least recently used tenth of those
    /// `mayGo` allows.
    mutating func keep(_ entry: Loaded, as id: TalksID, bound: Int, mayGo: (TalksID) -> Bool) {
        touch(entry)
        entries[id] = entry
        guard entries.count > bound else { return }
        let target = bound - bound / 10
        let candidates = entries.filter { $0.key != id && mayGo($0.key) }.sorted { $0.value.lastUse < $1.value.lastUse }
        for candidate in candidates.prefix(max(entries.count - target, 0)) { entries[candidate.key] = nil }
    }

    mutating func remove(_ id: TalksID) {
        entries[id] = nil
    }

    private mutating func touch(_ entry: Loaded) {
        clock += 1
        entry.lastUse = clock
    }
}
