import Talks
import TalksStore

/// Several instances on one database: each hands its streams what the others append.
extension TalksHub {
    /// Hands the streams of this instance what other instances append, until the task running
    /// it is cancelled. Only for a ``SharedTalksStore``; returns at once for any other.
    ///
    /// Talks are caught up side by side, and the notices that come for one talks while it is
    /// being caught up are answered by one more read, not one each: a busy talks costs a read
    /// per round trip, not per event.
    public func followOtherInstances() async {
        guard let shared else { return }
        await withDiscardingTaskGroup { group in
            for await notice in shared.appendNotices() {
                switch notice {
                case .appended(let id, let lastSeq, let links):
                    // Every talks held is kept up to date, streams or not: a command decided on a
                    // state behind the record is refused by the store and costs reading it again.
                    guard let entry = loaded[id], entry.seq < lastSeq else { continue }
                    if !fold(links, announcedFor: entry, of: id) { follow(id, to: lastSeq, in: &group) }
                case .missedSome:
                    for id in loaded.ids { follow(id, to: .max, in: &group) }
                }
            }
        }
    }

    /// Folds `links`, announced with their append, into `entry` when they come right after it and
    /// nothing else is under way on the talks (a command, a catch-up); says whether it did.
    private func fold(_ links: [RecordChain.Link], announcedFor entry: Loaded, of id: TalksID) -> Bool {
        guard links.first?.seq == entry.seq + 1, !turns.isTaken(id), behind[id] == nil else { return false }
        do {
            try fold(links, into: entry, of: id)
        } catch {
            // The notice did not match the record: the streams start again from the store.
            forget(id)
        }
        return true
    }

    /// Catches `id` up to at least event `lastSeq` (`.max`: to whatever the store holds now),
    /// unless a catch-up under way will.
    private func follow(_ id: TalksID, to lastSeq: Int, in group: inout DiscardingTaskGroup) {
        if let heard = behind[id] {
            behind[id] = max(heard, lastSeq)
            return
        }
        behind[id] = lastSeq
        group.addTask { await self.catchUpWhileBehind(id) }
    }

    /// Reads `id` from the store until it holds what the notices heard meanwhile announce.
    private func catchUpWhileBehind(_ id: TalksID) async {
        while true {
            let heard = behind[id] ?? 0
            do {
                try await catchUp(id)
            } catch {
                // The store cannot be read: let go of the talks (its streams' clients reconnect
                // and resume from their own numbers); it is read afresh when next asked for.
                forget(id)
            }
            let newer = behind[id] ?? 0
            // Nothing heard during the read (it began after every notice so far), or it read that.
            if newer == heard || (loaded[id]?.seq ?? .max) >= newer {
                behind[id] = nil
                return
            }
        }
    }
}
