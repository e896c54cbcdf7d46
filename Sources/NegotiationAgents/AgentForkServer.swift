import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One interpreter that imports an agent library once and forks a process per agent (Python's
/// `shuttle_agents.fork_server`): a tournament pays NegMAS's import once, not once per agent and
/// worker.
///
/// The server starts when the first agent is asked for. Its standard input is the control line:
/// ``shutdown()`` closes it, and so does Shuttle's exit, however it comes; the server then kills
/// the agents it forked, which also die with it if it is killed.
public final class AgentForkServer: Sendable, Hashable {
    /// The server's command; the socket's path is added after its first word's arguments.
    public let command: [String]
    /// Seconds the server may take to import its library and say it is ready.
    public let startLimit: Double

    private struct Running {
        let process: Process
        let control: FileHandle
        let answers: FileHandle
        let channel: LineChannel
        let folder: URL
        let socket: String
    }

    private enum State {
        case idle
        case running(Running)
        case failed(AgentFault)
        case stopped
    }

    private let state = Mutex<State>(.idle)

    /// - Parameter command: the server's command line; the socket's path is appended to it.
    public init(command: [String], startLimit: Double = 120) {
        self.command = command
        self.startLimit = startLimit
    }

    /// The path of the server's socket, once it is ready: started now if it is not yet.
    func socketPath(environment: [String: String]) throws(AgentFault) -> String {
        let result: Result<String, AgentFault> = state.withLock { state in
            switch state {
            case .running(let running): return .success(running.socket)
            case .failed(let fault): return .failure(fault)
            case .stopped: return .failure(.launch("the fork server was stopped"))
            case .idle:
                do throws(AgentFault) {
                    let running = try start(environment: environment)
                    state = .running(running)
                    return .success(running.socket)
                } catch {
                    state = .failed(error)
                    return .failure(error)
                }
            }
        }
        return try result.get()
    }

    private func start(environment: [String: String]) throws(AgentFault) -> Running {
        signal(SIGPIPE, SIG_IGN)
        // A socket's path may hold about a hundred bytes: a short folder of its own under /tmp.
        let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("shuttle-fork-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .launch("no folder for the fork server's socket: \(error.localizedDescription)")
        }
        let socket = folder.appendingPathComponent("agents").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command + [socket]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let (toServer, fromServer) = (Pipe(), Pipe())
        process.standardInput = toServer
        process.standardOutput = fromServer
        process.standardError = FileHandle.standardError
        do {
            try process.run()
        } catch {
            throw .launch("\(command.joined(separator: " ")): \(error.localizedDescription)")
        }
        let running = Running(
            process: process,
            control: toServer.fileHandleForWriting,
            answers: fromServer.fileHandleForReading,
            channel: LineChannel(
                writing: toServer.fileHandleForWriting.fileDescriptor,
                reading: fromServer.fileHandleForReading.fileDescriptor
            ) { .launch("the fork server ended") },
            folder: folder,
            socket: socket
        )
        let due = ContinuousClock.now.advanced(by: .milliseconds(Int(startLimit * 1000)))
        do throws(AgentFault) {
            let line = try running.channel.receive(before: due, timeout: startLimit, what: "the fork server's start")
            guard line == "ready" else { throw .malformed("the fork server said '\(line.prefix(80))'") }
        } catch {
            stop(running)
            throw .launch("\(command.joined(separator: " ")): \(error)")
        }
        return running
    }

    /// How agent `pid` ended, as the server saw it; one still running after its output closed is
    /// killed.
    func ending(of pid: Int32) -> AgentFault {
        let answer: String? = state.withLock { state in
            guard case .running(let running) = state else { return nil }
            let due = ContinuousClock.now.advanced(by: .seconds(5))
            try? running.channel.send("status \(pid)", before: due, timeout: 5, what: "status")
            return try? running.channel.receive(before: due, timeout: 5, what: "status")
        }
        let words = (answer ?? "").split(separator: " ")
        switch (words.first, words.count == 2 ? Int32(words[1]) : nil) {
        case ("exited", let status?): return .exited(status: status)
        case ("signal", let signal?): return .crashed(signal: signal)
        case ("running", _):
            _ = sendSignal(pid, SIGKILL)
            return .malformed("closed its output but kept running")
        default: return .exited(status: -1)
        }
    }

    /// Stops the server and every agent it forked.
    public func shutdown() {
        let running: Running? = state.withLock { state in
            defer { state = .stopped }
            if case .running(let running) = state { return running }
            return nil
        }
        if let running { stop(running) }
    }

    /// Closes the control line (the server kills its agents and exits), killing it if it lingers.
    private func stop(_ running: Running) {
        try? running.control.close()
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while running.process.isRunning, ContinuousClock.now < deadline { usleep(5_000) }
        if running.process.isRunning {
            _ = sendSignal(running.process.processIdentifier, SIGKILL)
            running.process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: running.folder)
    }

    deinit { shutdown() }

    public static func == (lhs: AgentForkServer, rhs: AgentForkServer) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
