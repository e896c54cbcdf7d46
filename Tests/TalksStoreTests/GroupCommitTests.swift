import TalksStore
import Testing

/// Requests that arrive while a commit is under way share the next one, and each gets its own
/// answer.
struct GroupCommitTests {
    /// The groups a commit was handed; the first commit waits until it is let go.
    actor Commits {
        private(set) var groups: [[Int]] = []
        private var gate: CheckedContinuation<Void, Never>?
        private var holding = true

        func commit(_ group: [Int]) async -> [Result<Int, any Error>] {
            groups.append(group)
            if holding { await withCheckedContinuation { gate = $0 } }
            return group.map { $0 == 13 ? .failure(Refused()) : .success($0 * 10) }
        }

        var isHolding: Bool { gate != nil }

        func letGo() {
            holding = false
            gate?.resume()
            gate = nil
        }
    }

    struct Refused: Error, Equatable {}

    @Test(.timeLimit(.minutes(1)))
    func requestsWaitingForACommitShareTheNextAndAreAnsweredEach() async throws {
        let commits = Commits()
        let group = GroupCommit<Int, Int> { await commits.commit($0) }
        let first = Task { try await group.submit(1) }
        while await !commits.isHolding { try await Task.sleep(for: .milliseconds(2)) }
        let waiting = [11, 12, 13, 14].map { number in Task { try await group.submit(number) } }
        // Each waiting request has joined the queue once the commit is let go: give them time.
        try await Task.sleep(for: .milliseconds(200))
        await commits.letGo()
        #expect(try await first.value == 10)
        for (number, task) in zip([11, 12, 13, 14], waiting) {
            if number == 13 {
                await #expect(throws: Refused.self) { _ = try await task.value }
            } else {
                #expect(try await task.value == number * 10, "its own answer")
            }
        }
        let groups = await commits.groups
        #expect(groups.first == [1])
        #expect(groups.dropFirst().map { Set($0) } == [[11, 12, 13, 14]], "the four that waited, in one commit")
        #expect(try await group.submit(2) == 20, "alone again once nothing waits")
    }

    @Test func aCommitThatAnswersTooFewRefusesTheRest() async throws {
        let group = GroupCommit<Int, Int> { _ in [] }
        await #expect(throws: UnansweredAppend.self) { _ = try await group.submit(1) }
    }
}
