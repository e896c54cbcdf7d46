import Dispatch
import Logging
import NIOWebSocket
import Synchronization
import WSClient

/// An agent on another machine: the protocol's messages as WebSocket text messages, one message
/// each, on a connection Shuttle opens to the agent's URL.
///
/// The WebSocket client (Hummingbird's, on SwiftNIO) runs in a task of its own; this side waits
/// for its messages with a semaphore and a deadline, so a silent or vanished agent costs its seat
/// no more than the time limit.
final class AgentSocket: AgentConnection {
    /// What has come in, shared between the client's task and the waiting thread.
    private final class Inbox: Sendable {
        struct State {
            var messages: [String] = []
            var closed: AgentFault?
        }

        let state = Mutex(State())
        let arrived = DispatchSemaphore(value: 0)

        /// A message, or the end of the connection (the first reason given is kept).
        func deliver(_ message: String? = nil, closed fault: AgentFault? = nil) {
            state.withLock { state in
                if let message { state.messages.append(message) }
                if state.closed == nil { state.closed = fault }
            }
            arrived.signal()
        }
    }

    private let inbox = Inbox()
    private let outbox: AsyncStream<String>.Continuation
    private let task: Task<Void, Never>

    init(url: String) {
        let (outgoing, outbox) = AsyncStream<String>.makeStream()
        self.outbox = outbox
        let inbox = self.inbox
        task = Task {
            do {
                _ = try await WebSocketClient.connect(url: url, logger: Logger(label: "shuttle.agent")) {
                    inbound,
                    outbound,
                    _ in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await line in outgoing { try await outbound.write(.text(line)) }
                            try await outbound.close(.normalClosure, reason: nil)
                        }
                        for try await message in inbound.messages(maxSize: LineChannel.maximumLine) {
                            switch message {
                            case .text(let text): inbox.deliver(text)
                            case .binary: inbox.deliver(closed: .malformed("a binary message (the protocol is text)"))
                            }
                        }
                        // Said as soon as the agent hangs up, not after the connection's teardown,
                        // which under load can outlast the seat's time limit.
                        inbox.deliver(closed: .malformed("closed the connection"))
                        group.cancelAll()
                    }
                }
                inbox.deliver(closed: .malformed("closed the connection"))
            } catch {
                inbox.deliver(closed: .launch("\(url): \(error)"))
            }
        }
    }

    deinit { kill() }

    func send(
        _ line: String,
        before deadline: ContinuousClock.Instant,
        timeout: Double,
        what: String
    ) throws(AgentFault) {
        if let closed = inbox.state.withLock({ $0.closed }) { throw closed }
        outbox.yield(line)
    }

    func receive(before deadline: ContinuousClock.Instant, timeout: Double, what: String) throws(AgentFault) -> String {
        while true {
            let next: Result<String, AgentFault>? = inbox.state.withLock { state in
                if !state.messages.isEmpty { return .success(state.messages.removeFirst()) }
                return state.closed.map { .failure($0) }
            }
            switch next {
            case .success(let line)?: return line
            case .failure(let fault)?: throw fault
            case nil: break
            }
            let left = ContinuousClock.now.duration(to: deadline)
            let nanoseconds = max(
                0,
                left.components.seconds * 1_000_000_000 + left.components.attoseconds / 1_000_000_000
            )
            if inbox.arrived.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .timedOut {
                throw .timeout(seconds: timeout, waitingFor: what)
            }
        }
    }

    func kill() {
        outbox.finish()
        task.cancel()
    }

    func close(grace: Double) {
        outbox.finish()
    }
}
