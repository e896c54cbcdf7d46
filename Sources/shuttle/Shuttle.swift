import ArgumentParser

@main
struct Shuttle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shuttle",
        abstract: "Mediated, indirect negotiation: analyse scenarios exactly, read and write GENIUS files.",
        subcommands: [Analyze.self, Generate.self, Convert.self]
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if let code = exitCode(for: error) { Self.exit(withError: code) }
            Self.exit(withError: error)
        }
    }
}
