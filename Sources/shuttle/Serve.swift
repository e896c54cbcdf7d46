import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NegotiationFormats
import Talks
import TalksServer
import TalksStore
import TalksStoreSQLite

/// `shuttle serve`: the talks service over a SQLite database.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the talks over HTTP and WebSocket (the API is described at /openapi.json).",
        discussion: "The record is verified before serving; a broken hash chain stops the start with the talks and event named."
    )

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080
    @Option(help: "The SQLite database (created if missing).") var database = "shuttle.sqlite"

    func run() async throws {
        let store = try SQLiteTalksStore(path: database)
        try await ServerStart.verify(store, database: database)
        let app = buildApplication(store: store, host: host, port: port, logger: ServerStart.logger())
        say("Serving \(database) on http://\(host):\(port) (API: http://\(host):\(port)/openapi.json)")
        try await app.runService()
    }
}

/// `shuttle demo`: the April 2025 format replayed, served on 127.0.0.1.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start the server with a talks that replays the April 2025 format (illustrative content), and print each member's token."
    )

    @Option(help: "The port to listen on.") var port = 8080
    @Option(help: "The SQLite database for the demo (a new temporary file by default).") var database: String?
    @Option(help: "The scenario whose agenda and preferences the demo uses.") var scenario = "Samples/april-2025-talks.json"
    @Flag(help: "Seed the database, print the members, and exit without serving.") var seedOnly = false

    func run() async throws {
        let loaded = try ShuttleScenarioFormat.read(try ScenarioFiles.bytes(scenario), file: scenario)
        let path = database ?? FileManager.default.temporaryDirectory.appendingPathComponent("shuttle-demo-\(UUID().uuidString).sqlite").path
        let store = try SQLiteTalksStore(path: path)
        let hub = TalksHub(store: store)
        let (id, seats) = try await TalksServer.Demo.seed(hub, scenario: loaded.scenario)
        let base = "http://127.0.0.1:\(port)"
        var lines = ["Demo talks \(id) in \(path)",
                     "Each member reads their events with: curl -H 'Authorization: Bearer TOKEN' \(base)/talks/\(id)/events", ""]
        for seat in seats {
            let who = seat.party.map { "\($0), \(seat.role)" } ?? seat.role
            lines.append("\(seat.name) (\(who))\n    \(base)/talks/\(id)/events\n    token \(seat.token)")
        }
        say(lines.joined(separator: "\n"))
        if seedOnly { return }
        let app = buildApplication(store: store, host: "127.0.0.1", port: port, logger: ServerStart.logger())
        say("\nServing on \(base) — Ctrl-C to stop.")
        try await app.runService()
    }
}

enum ServerStart {
    static func logger() -> Logger {
        var logger = Logger(label: "shuttle")
        logger.logLevel = .notice
        return logger
    }

    /// Checks every chain; throws naming the first broken one.
    static func verify(_ store: SQLiteTalksStore, database: String) async throws {
        for (talks, verification) in try await store.verifyAll() {
            if case .broken(let seq, let reason) = verification {
                throw Failure.data("\(database): the record of talks '\(talks)' is broken at event \(seq): \(reason); run shuttle verify")
            }
        }
    }
}

/// Prints at once, even when standard output is a file or a pipe (a server runs on after it).
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
