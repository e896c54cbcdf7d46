public import Foundation

/// A command run to its end for a test: its exit status and what it wrote.
///
/// Output goes to files, not pipes. Reading two pipes one after the other blocks when the other
/// fills, and a process the command started (a server, an agent) can hold a pipe open after the
/// command has ended. A command still running after ``timeLimit`` seconds is killed, so no
/// command can hang a test run; ``timedOut`` says so.
public struct CommandRun: Sendable {
    /// Seconds a command may run: far more than any test's command takes.
    public static let timeLimit = 120.0

    public var status: Int32
    public var reason: Process.TerminationReason
    public var output: String
    public var error: String
    public var timedOut: Bool

    /// Whether the command exited by itself with status 0.
    public var succeeded: Bool { status == 0 && reason == .exit && !timedOut }

    /// Runs `executable` with `arguments` in `folder` (the test's own when `nil`), with
    /// `environment` added to the test's, and nothing on its standard input; waits for it on a
    /// thread of its own (``onOwnThread(_:)``).
    public static func run(
        _ executable: URL,
        _ arguments: [String],
        in folder: URL? = nil,
        environment: [String: String] = [:]
    ) async throws -> CommandRun {
        try await onOwnThread { try runBlocking(executable, arguments, in: folder, environment: environment) }
    }

    /// ``run(_:_:in:environment:)`` on the caller's thread, for where there is no async context
    /// (a test trait's condition, a lazily computed static). Tests use ``run(_:_:in:environment:)``.
    public static func runBlocking(
        _ executable: URL,
        _ arguments: [String],
        in folder: URL? = nil,
        environment: [String: String] = [:]
    ) throws -> CommandRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let files = FileManager.default.temporaryDirectory.appendingPathComponent("shuttle-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: files) }
        let (output, error) = (files.appendingPathComponent("output"), files.appendingPathComponent("error"))
        for file in [output, error] { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: error)
        try process.run()
        let deadline = ContinuousClock.now.advanced(by: .seconds(timeLimit))
        while process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        let timedOut = process.isRunning
        if timedOut { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return CommandRun(
            status: process.terminationStatus,
            reason: process.terminationReason,
            output: String(decoding: try Data(contentsOf: output), as: UTF8.self),
            error: String(decoding: try Data(contentsOf: error), as: UTF8.self),
            timedOut: timedOut
        )
    }
}
