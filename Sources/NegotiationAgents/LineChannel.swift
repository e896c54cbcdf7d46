#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Lines of the protocol over file descriptors (an agent's pipes, or a socket both ways), every
/// wait bounded by a deadline, so that a silent or flooding agent costs its seat and never the
/// caller.
///
/// Writes are non-blocking (an agent that stops reading cannot stall Shuttle on a full pipe);
/// reads wait with `poll` until the deadline. When the other end closes, `ended` says what became
/// of the agent.
final class LineChannel: @unchecked Sendable {
    /// Lines longer than this are refused as malformed, so an agent cannot exhaust memory.
    static let maximumLine = 1 << 20

    private let writing: Int32
    private let reading: Int32
    /// What became of the agent once its end closed (the caller may learn more after the start).
    var ended: () -> AgentFault
    private var buffer: [UInt8] = []

    init(writing: Int32, reading: Int32, ended: @escaping () -> AgentFault) {
        self.writing = writing
        self.reading = reading
        self.ended = ended
        _ = fcntl(writing, F_SETFL, fcntl(writing, F_GETFL) | O_NONBLOCK)
    }

    /// Writes `line` and a line break before `deadline`.
    func send(
        _ line: String,
        before deadline: ContinuousClock.Instant,
        timeout: Double,
        what: String
    ) throws(AgentFault) {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBytes { write(writing, $0.baseAddress, $0.count) }
            if written > 0 {
                sent += written
                continue
            }
            let code = errno
            if code == EINTR { continue }
            guard code == EAGAIN || code == EWOULDBLOCK else { throw ended() }
            guard try wait(for: Int16(POLLOUT), descriptor: writing, before: deadline) else {
                throw .timeout(seconds: timeout, waitingFor: what)
            }
        }
    }

    /// The next line, without its line break, before `deadline`.
    func receive(before deadline: ContinuousClock.Instant, timeout: Double, what: String) throws(AgentFault) -> String {
        while true {
            if let end = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeSubrange(...end)
                return line
            }
            guard buffer.count <= Self.maximumLine else {
                throw .malformed("a line longer than \(Self.maximumLine) bytes")
            }
            guard try wait(for: Int16(POLLIN), descriptor: reading, before: deadline) else {
                throw .timeout(seconds: timeout, waitingFor: what)
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { read(reading, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                throw ended()
            }
        }
    }

    /// Whether the other end closes (a read finds the end) before `deadline`; what it still
    /// wrote is dropped.
    func closes(before deadline: ContinuousClock.Instant) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while (try? wait(for: Int16(POLLIN), descriptor: reading, before: deadline)) == true {
            let count = chunk.withUnsafeMutableBytes { read(reading, $0.baseAddress, $0.count) }
            if count == 0 || (count < 0 && errno != EINTR && errno != EAGAIN) { return true }
        }
        return false
    }

    /// Waits until `descriptor` is ready for `events`; `false` when the deadline passed first.
    private func wait(
        for events: Int16,
        descriptor: Int32,
        before deadline: ContinuousClock.Instant
    ) throws(AgentFault) -> Bool {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return false }
            let milliseconds = Int32(
                clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1
            )
            var request = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&request, 1, milliseconds)
            if ready > 0 {
                // A closed pipe reports POLLHUP or POLLERR; the read or write that follows says so.
                return true
            }
            if ready < 0, errno != EINTR { throw ended() }
        }
    }
}

/// An agent whose lines go through a ``LineChannel``: its sending and receiving are the channel's.
protocol LineChannelAgent: AgentConnection {
    var channel: LineChannel { get }
}

extension LineChannelAgent {
    func send(
        _ line: String,
        before deadline: ContinuousClock.Instant,
        timeout: Double,
        what: String
    ) throws(AgentFault) {
        try channel.send(line, before: deadline, timeout: timeout, what: what)
    }

    func receive(before deadline: ContinuousClock.Instant, timeout: Double, what: String) throws(AgentFault) -> String {
        try channel.receive(before: deadline, timeout: timeout, what: what)
    }
}
