import Talks
import TalksStore
import TransparencyLog

/// The Merkle logs of a loaded talks' views (RFC 9162), for the views whose members asked for
/// a checkpoint, a proof or a receipt: each leaf is the exact line the view's members get for
/// an event in their export, so a member checks what they were served, byte for byte.
///
/// A view's lines never change once served (``MemberView``), so its log only grows: it is built
/// from the store when first asked for, then extended as events are folded in, one leaf hash
/// and about one node hash an event. Members who read the same view share its log.
struct ViewLogs {
    struct Log {
        var tree = MerkleTree()
        /// A member who reads or read the view: its lines are presented as they see them.
        let reader: Member
        /// The record's number of the last event the log has taken account of.
        var throughSeq = 0
    }

    private var logs: [Int: Log] = [:]

    subscript(view: Int) -> Log? {
        get { logs[view] }
        set { logs[view] = newValue }
    }

    /// Extends the logs that had taken account of every event before `links` with the lines of
    /// those their view may see; returns those lines by view, for the streams to reuse.
    mutating func extend(
        with events: [RecordedEvent],
        stored links: [RecordChain.Link],
        state: TalksState
    ) -> [Int: [String]] {
        guard let first = links.first?.seq, let last = links.last?.seq else { return [:] }
        var lines: [Int: [String]] = [:]
        for number in Array(logs.keys) where logs[number]?.throughSeq == first - 1 {
            // Taken out while it grows: the dictionary must not share the tree's storage, or
            // each append would copy all of it.
            var log = logs.removeValue(forKey: number)!
            let view = MemberView(view: number, readBy: log.reader, in: state)
            let texts = zip(events, links).compactMap { view.presentJSON($0, stored: $1.json) }
            for text in texts { log.tree.append(leaf: text.utf8) }
            log.throughSeq = last
            logs[number] = log
            lines[number] = texts
        }
        return lines
    }
}
