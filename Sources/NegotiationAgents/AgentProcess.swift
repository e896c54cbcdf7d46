import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An agent's process and its pipes: one line of JSON out, one line back, each within a time
/// limit (``LineChannel``). A `Process` from Foundation starts the agent; the command is looked
/// up on `PATH` through `/usr/bin/env`.
///
/// Used by one negotiator at a time; ``AgentPool`` hands it from one to the next under its lock.
final class AgentProcess: LineChannelAgent, @unchecked Sendable {
    private let process: Process
    private let input: FileHandle
    private let output: FileHandle
    let channel: LineChannel

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
        channel = LineChannel(writing: input.fileDescriptor, reading: output.fileDescriptor) {
            .launch("the agent's pipes closed")
        }
        channel.ended = { [unowned self] in ended() }
    }

    deinit { kill() }

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
func sendSignal(_ process: Int32, _ signal: Int32) -> Int32 {
    kill(process, signal)
}
