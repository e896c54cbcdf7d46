import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An agent's process and its pipes: one line of JSON out, one line back, each within a time
/// limit, so that a silent, crashed or flooding agent costs its seat and never the caller.
///
/// Writes are non-blocking (an agent that stops reading cannot stall Shuttle on a full pipe);
/// reads wait with `poll` until the deadline. A `Process` from Foundation starts the agent; the
/// command is looked up on `PATH` through `/usr/bin/env`.
///
/// Used by one negotiator at a time; ``AgentPool`` hands it from one to the next under its lock.
final class AgentProcess: AgentConnection, @unchecked Sendable {
    /// Lines longer than this are refused as malformed, so an agent cannot exhaust memory.
    static let maximumLine = 1 << 20

    private let process: Process
    private let input: FileHandle
    private let output: FileHandle
    private var buffer: [UInt8] = []

    init(command: [String], environment: [String: String] = [:]) throws(AgentFault) {
        guard !command.isEmpty else { throw .launch("no command") }
        // A write to an agent that has died must fail with EPIPE, not kill Shuttle.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let toAgent = Pipe()
        let fromAgent = Pipe()
        process.standardInput = toAgent
        process.standardOutput = fromAgent
        process.standardError = FileHandle.standardError
        do {
            try process.run()
        } catch {
            throw .launch("\(command.joined(separator: " ")): \(error.localizedDescription)")
        }
        self.process = process
        input = toAgent.fileHandleForWriting
        output = fromAgent.fileHandleForReading
        let descriptor = input.fileDescriptor
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    deinit { kill() }

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
            let written = bytes[sent...].withUnsafeBytes { write(input.fileDescriptor, $0.baseAddress, $0.count) }
            if written > 0 {
                sent += written
                continue
            }
            let code = errno
            if code == EINTR { continue }
            guard code == EAGAIN || code == EWOULDBLOCK else { throw ended() }
            guard try wait(for: Int16(POLLOUT), descriptor: input.fileDescriptor, before: deadline) else {
                throw .timeout(seconds: timeout, waitingFor: what)
            }
        }
    }

    /// The next line the agent writes, without its line break, before `deadline`.
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
            guard try wait(for: Int16(POLLIN), descriptor: output.fileDescriptor, before: deadline) else {
                throw .timeout(seconds: timeout, waitingFor: what)
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { read(output.fileDescriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                throw ended()
            }
        }
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

    /// What became of a process whose pipe closed: its exit status or the signal that killed it.
    private func ended() -> AgentFault {
        let deadline = ContinuousClock.now.advanced(by: .seconds(1))
        while process.isRunning, ContinuousClock.now < deadline { usleep(5_000) }
        if process.isRunning {
            kill()
            return .malformed("closed its output but kept running")
        }
        return process.terminationReason == .uncaughtSignal
            ? .crashed(signal: process.terminationStatus) : .exited(status: process.terminationStatus)
    }

    /// Stops the agent at once.
    func kill() {
        guard process.isRunning else { return }
        _ = sendSignal(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Lets the agent finish: closes its input (it should exit on end of file), then kills it
    /// if it has not exited within `grace` seconds.
    func close(grace: Double) {
        try? input.close()
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(grace * 1000)))
        while process.isRunning, ContinuousClock.now < deadline { usleep(5_000) }
        kill()
    }
}

/// `kill(2)`, out of the reach of ``AgentProcess/kill()``'s name.
private func sendSignal(_ process: Int32, _ signal: Int32) -> Int32 {
    kill(process, signal)
}
