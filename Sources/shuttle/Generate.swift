import ArgumentParser
import NegotiationEngine
import NegotiationFormats

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a random linear additive scenario as GENIUS XML (for benchmarks and tests).",
        discussion:
            "The same options give the same files on every machine. DIR receives domain.xml and profile1.xml, profile2.xml, …"
    )

    @Option(help: "Number of issues.") var issues: Int
    @Option(help: "Options per issue.") var options: Int
    @Option(help: "Number of parties.") var parties = 2
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Every party's reservation value.") var reservation = 0.0
    @Argument(help: "The folder to write (created if needed).", completion: .directory) var directory: String

    func validate() throws {
        guard issues >= 1 else { throw ValidationError("--issues must be at least 1") }
        guard options >= 1 else { throw ValidationError("--options must be at least 1") }
        guard parties >= 1 else { throw ValidationError("--parties must be at least 1") }
        guard reservation.isFinite else { throw ValidationError("--reservation must be a number") }
    }

    func run() throws {
        let scenario = ScenarioGenerator.linearAdditive(
            issues: issues,
            options: options,
            parties: parties,
            seed: seed,
            reservationValue: reservation
        )
        try ScenarioFiles.writeGenius(scenario, to: directory) { index, _ in "profile\(index + 1)" }
        print("Wrote \(scenario.name) (\(scenario.space.count) outcomes) to \(directory)")
    }
}
