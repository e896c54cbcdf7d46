import Synchronization

/// Group commit: requests that arrive while a commit is under way wait for it to end and then
/// share the next one. Under load a store pays one disk sync (and, on a database server, one
/// round trip and one transaction) for many appends instead of one each; without load a request
/// is committed at once, alone.
///
/// The commit hands back one result per request, in order: one request refused does not fail
/// the others.
public final class GroupCommit<Request: Sendable, Answer: Sendable>: Sendable {
    public typealias Commit = @Sendable ([Request]) async -> [Result<Answer, any Error>]

    private typealias Waiter = (request: Request, answer: CheckedContinuation<Answer, any Error>)

    private struct State {
        var queue: [Waiter] = []
        var committing = false
    }

    private let state = Mutex(State())
    private let commit: Commit

    /// - Parameter commit: commits a group; called for one group at a time.
    public init(_ commit: @escaping Commit) {
        self.commit = commit
    }

    /// Commits `request` with whatever else is waiting; returns its own answer.
    public func submit(_ request: Request) async throws -> Answer {
        try await withCheckedThrowingContinuation { answer in
            let lead = state.withLock { state -> Bool in
                state.queue.append((request, answer))
                if state.committing { return false }
                state.committing = true
                return true
            }
            if lead { Task { await self.drain() } }
        }
    }

    /// Commits groups until nobody waits.
    private func drain() async {
        while true {
            let group = state.withLock { state -> [Waiter] in
                defer { state.queue = [] }
                if state.queue.isEmpty { state.committing = false }
                return state.queue
            }
            if group.isEmpty { return }
            let results = await commit(group.map(\.request))
            for (index, waiter) in group.enumerated() {
                // A commit that answers too few refuses the rest rather than leaving them waiting.
                waiter.answer.resume(with: index < results.count ? results[index] : .failure(UnansweredAppend()))
            }
        }
    }
}

/// A group commit gave no answer for one request: a bug in the store, not in the request.
public struct UnansweredAppend: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "the store gave no answer for this append; nothing is known to be recorded" }
}
