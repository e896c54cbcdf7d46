import ArgumentParser
import Foundation
import TalksServer
import TalksStore
import TalksStoreSQLite

/// `shuttle operator add|list|remove`: who may open talks on a server.
struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator",
        abstract: "Manage the operators: the people who may open talks on this server.",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an operator and print their token, once, alone on the last line.",
            discussion:
                "Shuttle keeps only the token's hash: keep the token; if it is lost, remove the operator and add them again."
        )

        @Argument(help: "The operator's name: 1 to 64 letters, digits, '.', '_' or '-'.") var name: String
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let store = try await database.open(create: true)
            let token = try await RecordFiles.storeErrorsAsData(database.shown) {
                try await Operators.add(name, to: store)
            }
            print("Operator '\(name)' added to \(database.shown).")
            print(
                "Their page: the server's address, then /#operator= and the token below (http://127.0.0.1:8080/#operator=TOKEN)."
            )
            print("The token is shown once; Shuttle keeps only its hash.")
            print(token)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the operators and when each was added.")

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let operators = try await database.open().operators()
            if operators.isEmpty {
                print(
                    "No operators in \(database.shown). Add one with: shuttle operator add NAME --database \(database.shown)"
                )
            }
            let format = ISO8601DateFormatter()
            for item in operators {
                print("\(item.name)\tadded \(format.string(from: Date(timeIntervalSince1970: item.added)))")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an operator: their token stops opening talks at once, on a running server too.",
            discussion: "The talks they opened go on; their mediators and members keep their links."
        )

        @Argument(help: "The operator's name.") var name: String
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            guard try await database.open().removeOperator(name) else {
                throw Failure.data("\(database.shown): no operator named '\(name)'")
            }
            print("Operator '\(name)' removed from \(database.shown).")
        }
    }
}
