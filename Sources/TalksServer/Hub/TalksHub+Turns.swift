import TalksStore

/// Whose turn it is on each talks: one command at a time per talks, in the order they came.
/// The actor alone does not give that, for it is re-entrant across the store's awaits.
struct Turns {
    fileprivate var taken: Set<TalksID> = []
    fileprivate var waiting: [TalksID: [CheckedContinuation<Void, Never>]] = [:]
    /// Who waits for every turn to end (``TalksHub/shutDown()``).
    fileprivate var drained: [CheckedContinuation<Void, Never>] = []

    func isTaken(_ id: TalksID) -> Bool { taken.contains(id) }
    var isIdle: Bool { taken.isEmpty }
}

extension TalksHub {
    /// Returns once it is the caller's turn on `id`; pair with ``endTurn(_:)``.
    func takeTurn(_ id: TalksID) async {
        if turns.taken.contains(id) {
            await withCheckedContinuation { turns.waiting[id, default: []].append($0) }
        } else {
            turns.taken.insert(id)
        }
    }

    /// Hands the turn on `id` to the next in line, if any.
    func endTurn(_ id: TalksID) {
        if var queue = turns.waiting[id], !queue.isEmpty {
            let next = queue.removeFirst()
            turns.waiting[id] = queue
            next.resume()
        } else {
            turns.taken.remove(id)
            if turns.taken.isEmpty, !turns.drained.isEmpty {
                for waiter in turns.drained { waiter.resume() }
                turns.drained = []
            }
        }
    }

    /// Returns once no command is under way on any talks.
    func waitForTurnsToEnd() async {
        guard !turns.taken.isEmpty else { return }
        await withCheckedContinuation { turns.drained.append($0) }
    }
}
