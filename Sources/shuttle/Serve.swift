import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NegotiationEngine
import NegotiationFormats
import Talks
import TalksServer
import TalksStore
import TalksStoreSQLite
import TransparencyLog

/// `shuttle serve`: the talks service over a SQLite database.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the talks over HTTP and WebSocket (the API is described at /openapi.json).",
        discussion:
            "The record is verified before serving; a broken hash chain stops the start with the talks and event named."
    )

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080
    @OptionGroup var database: DatabaseOption
    @Option(
        help:
            "How many talks to hold in memory at most; the least recently used are read back from the database when asked for."
    )
    var maxLoadedTalks = 1_000
    @OptionGroup var name: ServerName

    func validate() throws {
        guard maxLoadedTalks >= 1 else { throw ValidationError("--max-loaded-talks must be 1 or more") }
    }

    func run() async throws {
        let store = try await database.open(create: true)
        try await ServerStart.verify(store, database: database.shown)
        // Made at first start, and kept in the store: every instance signs with it.
        let key = try await ServerStart.signingKey(of: store, naming: name.value).verifier
        let app = buildApplication(
            store: store,
            host: host,
            port: port,
            maxLoadedTalks: maxLoadedTalks,
            name: name.value,
            logger: try ServerStart.logger()
        )
        say("Serving \(database.shown) on http://\(host):\(port) (API: http://\(host):\(port)/openapi.json)")
        say("Checkpoints are signed with \(key.text) (fingerprint \(key.fingerprint))")
        if try await store.operators().isEmpty {
            say(
                "No operator can open talks on this server yet. Add one with: shuttle operator add NAME --database \(database.shown)"
            )
        }
        try await app.runService()
    }
}

/// `shuttle demo`: the April 2025 format replayed, served on 127.0.0.1.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Start the server with a talks that replays the April 2025 format (illustrative content), and print each member's page link.",
        discussion:
            "Works from any folder: the sample scenario ships inside the binary. The demo also adds an operator, whose page opens more talks."
    )

    @Option(help: "The port to listen on.") var port = 8080
    @Option(help: "The database for the demo: a SQLite file or postgres://… (a new temporary SQLite file by default).")
    var database: String?
    @Option(help: "A Shuttle JSON scenario to use instead of the shipped sample (two parties, discrete issues).")
    var scenario: String?
    @Flag(help: "Seed the database, print the members, and exit without serving.") var seedOnly = false

    func run() async throws {
        let loaded = try ShuttleScenarioFormat.read(
            try scenario.map { try ScenarioFiles.bytes($0) } ?? Array(TalksServer.Demo.sampleScenario.utf8),
            file: scenario ?? "the shipped sample"
        )
        guard loaded.scenario.parties.count == 2 else {
            throw Failure.data("\(scenario ?? "the sample"): the demo needs a scenario with two parties")
        }
        let path =
            database
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("shuttle-demo-\(UUID().uuidString).sqlite")
            .path
        let store = try await DatabaseOption.open(path, create: true)
        let hub = TalksHub(store: store)
        // The demo's own operator, whose page lists the demo talks and opens more.
        let operatorName = "demo-\(UUID().uuidString.prefix(8).lowercased())"
        let operatorToken = try await Operators.add(operatorName, to: store)
        let (id, seats) = try await TalksServer.Demo.seed(hub, scenario: loaded.scenario, openedBy: operatorName)
        say(
            Self.listing(
                talks: id,
                seats: seats,
                operatorToken: operatorToken,
                base: "http://127.0.0.1:\(port)",
                database: DatabaseOption.shown(path)
            )
        )
        if seedOnly { return }
        let app = buildApplication(store: store, host: "127.0.0.1", port: port, logger: try ServerStart.logger())
        say("\nServing on http://127.0.0.1:\(port) — Ctrl-C to stop.")
        try await app.runService()
    }

    /// Page links first (what people open), then the API form.
    static func listing(
        talks id: TalksID,
        seats: [TalksServer.Demo.Seat],
        operatorToken: String,
        base: String,
        database: String
    ) -> String {
        func who(_ seat: TalksServer.Demo.Seat) -> String {
            seat.party.map { "\(seat.name) (\($0), \(seat.role))" } ?? "\(seat.name) (\(seat.role))"
        }
        var lines = [
            "Demo talks \(id) in \(database)", "", "Each member's page (a personal link: it carries their token):",
        ]
        for seat in seats {
            lines.append("  \(who(seat))\n    \(Operators.memberLink(base: base, talks: id, token: seat.token))")
        }
        lines += [
            "", "The operator's page (opens more talks):",
            "    \(Operators.pageLink(base: base, token: operatorToken))", "",
            "The API: curl -H 'Authorization: Bearer TOKEN' \(base)/talks/\(id)/events",
        ]
        for seat in seats { lines.append("  \(who(seat)): token \(seat.token)") }
        return lines.joined(separator: "\n")
    }
}

enum ServerStart {
    /// The server's logger: at `notice`, or at the level `LOG_LEVEL` names (`debug`, `info`…).
    static func logger() throws -> Logger {
        var logger = Logger(label: "shuttle")
        logger.logLevel = .notice
        if let name = ProcessInfo.processInfo.environment["LOG_LEVEL"] {
            guard let level = Logger.Level(rawValue: name.lowercased()) else {
                let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("LOG_LEVEL=\(name) is not a level; use one of \(levels)")
            }
            logger.logLevel = level
        }
        return logger
    }

    /// The store's signing key, made if it has none.
    static func signingKey(of store: any TalksStore, naming name: String) async throws -> NoteSigner {
        do {
            return try await TalksHub.signer(of: store, naming: name)
        } catch let error as NoteError {
            throw ValidationError("--name \(name): \(error)")
        }
    }

    /// Checks every chain; throws naming the first broken one.
    static func verify(_ store: any TalksStore, database: String) async throws {
        for (talks, verification) in try await store.verifyAll() {
            if case .broken(let seq, let reason) = verification {
                throw Failure.data(
                    "\(database): the record of talks '\(talks)' is broken at event \(seq): \(reason); run shuttle verify"
                )
            }
        }
    }
}

/// Prints at once, even when standard output is a file or a pipe (a server runs on after it).
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
