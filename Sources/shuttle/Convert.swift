import ArgumentParser
import NegotiationEngine
import NegotiationFormats

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a scenario between GENIUS XML, GeniusWeb JSON and Shuttle JSON.",
        discussion: """
            With --to genius, OUTPUT is a folder that receives domain.xml and one profile per party; \
            with --to geniusweb, domain.json and one profile per party. With --to json, OUTPUT is the \
            .json file. GENIUS profiles are read with GENIUS's meaning unless --reading negmas is given. \
            What a format cannot hold (GeniusWeb has no discount) is named in a warning.
            """
    )

    enum Target: String, ExpressibleByArgument { case genius, geniusweb, json }

    @Argument(help: "A folder, a domain and its profiles, or a .json scenario.") var scenario: [String]
    @Option(help: "The format to write: genius, geniusweb or json.") var to: Target
    @Option(help: "Where to write.") var output: String
    @Option(help: "How to read GENIUS profiles: genius or negmas.") var reading: GeniusReading = .genius

    func run() throws {
        let loaded = try ScenarioFiles.load(scenario, reading: reading)
        for warning in loaded.warnings { printError("\(warning)") }
        switch to {
        case .json:
            let bytes = try ShuttleScenarioFormat.write(loaded.scenario)
            try ScenarioFiles.write(String(decoding: bytes, as: UTF8.self), to: output)
        case .genius:
            try ScenarioFiles.writeGenius(loaded.scenario, to: output) { _, party in fileName(party.name) }
        case .geniusweb:
            let names = profileNames(loaded.scenario)
            for warning in try ScenarioFiles.writeGeniusWeb(
                loaded.scenario,
                to: output,
                profileName: { index, _ in names[index] }
            ) {
                printError("\(warning)")
            }
        }
        print("Wrote \(output)")
    }

    /// A file name per party, numbered where two parties' names would give the same one (or
    /// the domain's).
    private func profileNames(_ scenario: Scenario) -> [String] {
        var used: Set<String> = ["domain"]
        return scenario.parties.enumerated().map { index, party in
            var name = fileName(party.name)
            if used.contains(name) { name += "-\(index + 1)" }
            used.insert(name)
            return name
        }
    }

    private func fileName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}
