import ArgumentParser
import Foundation
import Talks
import TalksStore
import TalksStoreSQLite

/// `shuttle verify`: checks every talks' hash chain in a database.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the record: every talks' events in order and every hash in the chain.",
        discussion: "Exits 0 when every chain is intact, 1 when one is broken (naming the talks and the first bad event)."
    )

    @Option(help: "The SQLite database.") var database = "shuttle.sqlite"

    func run() async throws {
        let store = try RecordFiles.open(database)
        var broken = 0
        for (talks, verification) in try await store.verifyAll() {
            switch verification {
            case .intact(let events, let head):
                print("\(talks): intact, \(events) events, head \(head.prefix(16))…")
            case .broken(let seq, let reason):
                broken += 1
                print("\(talks): BROKEN at event \(seq): \(reason)")
            }
        }
        if broken > 0 {
            printError("error: \(broken) talks with a broken record in \(database)")
            throw ExitCode(1)
        }
    }
}

/// `shuttle backup`: a consistent copy of a live database, whose chains are checked.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database while the server runs, then check every hash chain in the copy.",
        discussion: "The copy is the database as of one moment (SQLite's online backup). Exits 0 when every chain in the copy is intact, 1 when one is broken, 65 when the copy cannot be made (the target exists, the source is missing)."
    )

    @Option(help: "The SQLite database to copy.") var database = "shuttle.sqlite"
    @Option(help: "The new file to write (never overwritten).") var to: String

    func run() async throws {
        let store = try RecordFiles.open(database)
        try await RecordFiles.storeErrorsAsData(to) { try await store.backup(to: to) }
        let copy = try RecordFiles.open(to)
        var events = 0
        var broken: [String] = []
        let results = try await copy.verifyAll()
        for (talks, verification) in results {
            switch verification {
            case .intact(let count, _): events += count
            case .broken(let seq, let reason): broken.append("\(talks): BROKEN at event \(seq): \(reason)")
            }
        }
        guard broken.isEmpty else {
            broken.forEach { print($0) }
            printError("error: the copy \(to) holds \(broken.count) talks with a broken record; the source \(database) may too (run shuttle verify)")
            throw ExitCode(1)
        }
        print("Backed up \(database) to \(to): \(results.count) talks, \(events) events, every hash chain intact.")
    }
}

/// `shuttle export`: a talks' record as JSON lines, optionally only what one member may see.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a talks' record as JSON lines (seq, hash, audience, type and the event's fields).",
        discussion: "With --member, only the events that member may see, decided by the same rule the server uses."
    )

    @Option(help: "The SQLite database.") var database = "shuttle.sqlite"
    @Option(help: "The talks to export.") var talks: String
    @Option(help: "Export only what this member may see.") var member: String?

    func run() async throws {
        let store = try RecordFiles.open(database)
        let id = TalksID(talks)
        let links: [RecordChain.Link]
        do {
            links = try await store.links(of: id, after: 0)
        } catch let error as StoreError {
            throw Failure.data("\(database): \(error)")
        }
        var events: [RecordedEvent] = []
        for link in links { events.append(try RecordChain.decode(link.json)) }
        let state = TalksState(folding: events)
        var visible = Set(events.map(\.seq))
        if let member {
            guard let reader = state.members[MemberID(member)] else { throw Failure.data("talks '\(talks)' has no member '\(member)'") }
            visible = Set(Visibility.visible(to: reader, in: events, state: state).map(\.seq))
        }
        for link in links where visible.contains(link.seq) {
            print(link.publishedJSON)
        }
    }
}

enum RecordFiles {
    /// The store at `path`; a missing file is an error unless `create`.
    static func open(_ path: String, create: Bool = false) throws -> SQLiteTalksStore {
        guard create || FileManager.default.fileExists(atPath: path) else { throw Failure.data("\(path): no such database") }
        do {
            return try SQLiteTalksStore(path: path)
        } catch {
            throw Failure.data("\(path): cannot open the database: \(error)")
        }
    }

    /// Runs `body`, reporting a store's refusal as bad input about `path` (exit 65).
    static func storeErrorsAsData<T>(_ path: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw Failure.data("\(path): \(error)")
        }
    }
}
