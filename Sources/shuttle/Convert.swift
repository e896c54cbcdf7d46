import ArgumentParser
import NegotiationEngine
import NegotiationFormats

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a scenario between GENIUS XML and Shuttle JSON.",
        discussion: """
            With --to genius, OUTPUT is a folder that receives domain.xml and one profile per party. \
            With --to json, OUTPUT is the .json file. Profiles are read with GENIUS's meaning unless \
            --reading negmas is given.
            """
    )

    enum Target: String, ExpressibleByArgument { case genius, json }

    @Argument(help: "A folder, a domain and its profiles, or a .json scenario.") var scenario: [String]
    @Option(help: "The format to write: genius or json.") var to: Target
    @Option(help: "Where to write.") var output: String
    @Option(help: "How to read GENIUS profiles: genius or negmas.") var reading: GeniusReading = .genius

    func run() throws {
        let loaded = try ScenarioFiles.load(scenario, reading: reading)
        for warning in loaded.warnings { printError("warning: \(warning)") }
        switch to {
        case .json:
            let bytes = try ShuttleScenarioFormat.write(loaded.scenario)
            try ScenarioFiles.write(String(decoding: bytes, as: UTF8.self), to: output)
        case .genius:
            try ScenarioFiles.writeGenius(loaded.scenario, to: output) { _, party in fileName(party.name) }
        }
        print("Wrote \(output)")
    }

    private func fileName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}
