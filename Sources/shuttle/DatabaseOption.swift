import ArgumentParser
import Foundation
import TalksStore
import TalksStorePostgres
import TalksStoreSQLite

/// `--database`: where talks are kept, a SQLite file or a PostgreSQL database by URL.
struct DatabaseOption: ParsableArguments {
    @Option(
        help:
            "A SQLite file, or postgres://USER:PASSWORD@HOST:PORT/DB. SHUTTLE_DATABASE may name it instead, which keeps a password out of the process list. (default: shuttle.sqlite)"
    )
    var database: String?

    /// The database named, by the option, the environment, or the default.
    var name: String { database ?? ProcessInfo.processInfo.environment["SHUTTLE_DATABASE"] ?? "shuttle.sqlite" }

    /// The name as shown in messages: a URL's password hidden.
    var shown: String { Self.shown(name) }

    var isPostgres: Bool { PostgresTalksStore.isURL(name) }

    /// The store; a missing SQLite file is an error unless `create`.
    func open(create: Bool = false) async throws -> any TalksStore {
        try await Self.open(name, create: create)
    }

    static func shown(_ name: String) -> String {
        PostgresTalksStore.isURL(name) ? PostgresTalksStore.redacted(name) : name
    }

    static func open(_ name: String, create: Bool = false) async throws -> any TalksStore {
        guard PostgresTalksStore.isURL(name) else { return try RecordFiles.open(name, create: create) }
        do {
            return try await PostgresTalksStore(url: name)
        } catch let error as StoreError {
            throw Failure.data("\(shown(name)): \(error)")
        } catch {
            throw Failure.data("\(shown(name)): cannot open the database: \(error)")
        }
    }
}
