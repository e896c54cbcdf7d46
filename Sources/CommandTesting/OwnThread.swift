import Foundation

/// Runs `body`, which blocks its thread (a process, a socket, a sleep), on a thread of its own
/// and waits for it without holding one of Swift's cooperative threads.
///
/// Swift Testing runs every test on the cooperative pool, which has one thread per core: two
/// here. A test that blocks one of them starves every async test of the run, which then meet
/// their time limits on a loaded machine. Check the result with `#expect` back in the test,
/// not inside `body`: the thread has none of the test's task-local context.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        // Agents and commands read and write a lot of small messages; the default 512 KiB of a
        // secondary thread is enough, but the engine's analysis recurses: give it the main's 8 MiB.
        thread.stackSize = 8 << 20
        thread.start()
    }
}
