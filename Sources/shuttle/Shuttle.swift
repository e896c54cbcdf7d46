import ArgumentParser

@main
struct Shuttle: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shuttle",
        abstract: "Mediated, indirect negotiation: analyse scenarios exactly, read and write GENIUS files.",
        subcommands: [
            Analyze.self, Negotiate.self, TournamentCommand.self, Generate.self, Convert.self, Serve.self, Demo.self,
            OperatorCommand.self, KeyCommand.self, Elicit.self, Verify.self, VerifyView.self, Backup.self, Copy.self,
            Export.self,
        ]
    )

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            if let code = exitCode(for: error) { Self.exit(withError: code) }
            Self.exit(withError: error)
        }
    }
}
