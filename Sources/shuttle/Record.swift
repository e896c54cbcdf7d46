import ArgumentParser
import Foundation
import Talks
import TalksStore
import TalksStoreSQLite

/// `shuttle verify`: checks every talks' hash chain in a database.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the record: every talks' events in order and every hash in the chain.",
        discussion:
            "Exits 0 when every chain is intact, 1 when one is broken (naming the talks and the first bad event)."
    )

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        _ = try await RecordFiles.checkChains(try await database.open(), in: database.shown, listingIntact: true)
    }
}

/// `shuttle backup`: a consistent copy of a live database, whose chains are checked.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database while the server runs, then check every hash chain in the copy.",
        discussion:
            "The copy is the database as of one moment (SQLite's online backup). Exits 0 when every chain in the copy is intact, 1 when one is broken, 65 when the copy cannot be made (the target exists, the source is missing)."
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "The new file to write (never overwritten).") var to: String

    func run() async throws {
        guard !database.isPostgres else {
            throw Failure.data(
                "\(database.shown): shuttle backup copies a SQLite file; back up PostgreSQL with pg_dump, and check a restore with shuttle verify"
            )
        }
        let store = try RecordFiles.open(database.name)
        try await RecordFiles.storeErrorsAsData(to) { try await store.backup(to: to) }
        let (talks, events) = try await RecordFiles.checkChains(try RecordFiles.open(to), in: to, listingIntact: false)
        print("Backed up \(database.shown) to \(to): \(talks) talks, \(events) events, every hash chain intact.")
    }
}

/// `shuttle copy`: a deployment moved to another database (SQLite to PostgreSQL, or back).
struct Copy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Copy every talks, operator and credential from one database to another that holds none of them, then check every hash chain in the copy.",
        discussion:
            "Each a SQLite file or postgres://USER:PASSWORD@HOST:PORT/DB. Every copied event keeps its text and hash; tokens keep working. Exits 0 when the copy is complete and intact, 65 when it cannot be made (a conflict, a broken source), 1 when a chain in the copy is broken."
    )

    @Option(help: "The database to copy from.") var from: String
    @Option(help: "The database to copy into (a new SQLite file, or an empty PostgreSQL database).") var to: String

    func run() async throws {
        let source = try await DatabaseOption.open(from)
        let destination = try await DatabaseOption.open(to, create: true)
        let (talks, events) = try await RecordFiles.storeErrorsAsData(DatabaseOption.shown(to)) {
            try await source.copy(to: destination)
        }
        _ = try await RecordFiles.checkChains(destination, in: DatabaseOption.shown(to), listingIntact: false)
        print(
            "Copied \(DatabaseOption.shown(from)) to \(DatabaseOption.shown(to)): \(talks) talks, \(events) events, every hash chain intact."
        )
    }
}

/// `shuttle export`: a talks' record as JSON lines, optionally only what one member may see.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a talks' record as JSON lines (seq, hash, audience, type and the event's fields).",
        discussion: "With --member, only the events that member may see, decided by the same rule the server uses."
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "The talks to export.") var talks: String
    @Option(help: "Export only what this member may see.") var member: String?

    func run() async throws {
        let store = try await database.open()
        let id = TalksID(talks)
        let links = try await RecordFiles.storeErrorsAsData(database.shown) { try await store.links(of: id, after: 0) }
        var events: [RecordedEvent] = []
        for link in links { events.append(try RecordChain.decode(link.json)) }
        let state = TalksState(folding: events)
        var visible = Set(events.map(\.seq))
        if let member {
            guard let reader = state.members[MemberID(member)] else {
                throw Failure.data("talks '\(talks)' has no member '\(member)'")
            }
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
        guard create || FileManager.default.fileExists(atPath: path) else {
            throw Failure.data("\(path): no such database")
        }
        do {
            return try SQLiteTalksStore(path: path)
        } catch {
            throw Failure.data("\(path): cannot open the database: \(error)")
        }
    }

    /// Checks every talks' chain in `store`, printing each broken one (and each intact one when
    /// `listingIntact`); exits 1 naming `path` when one is broken. Returns the talks and events counted.
    static func checkChains(
        _ store: any TalksStore,
        in path: String,
        listingIntact: Bool
    ) async throws -> (talks: Int, events: Int) {
        var broken = 0
        var events = 0
        let results = try await store.verifyAll()
        for (talks, verification) in results {
            switch verification {
            case .intact(let count, let head):
                events += count
                if listingIntact { print("\(talks): intact, \(count) events, head \(head.prefix(16))…") }
            case .broken(let seq, let reason):
                broken += 1
                print("\(talks): BROKEN at event \(seq): \(reason)")
            }
        }
        if broken > 0 {
            printError("error: \(broken) talks with a broken record in \(path)")
            throw ExitCode(1)
        }
        return (results.count, events)
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
