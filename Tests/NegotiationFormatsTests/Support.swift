import Foundation
import NegotiationEngine

@testable import NegotiationFormats

enum Fixtures {
    /// The folder of this target's fixtures.
    static var folder: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(path)))
    }

    static func lunch(_ reading: GeniusReading) throws -> LoadedScenario {
        try GeniusReader.scenario(
            domain: ("lunch-domain.xml", try bytes("lunch/lunch-domain.xml")),
            profiles: [
                ("lunch-ann.xml", try bytes("lunch/lunch-ann.xml")),
                ("lunch-bob.xml", try bytes("lunch/lunch-bob.xml")),
            ],
            reading: reading
        )
    }
}

/// `../shared/domains` beside the clone, when it is there.
enum SharedDomains {
    static let folder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/domains")

    static var available: Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("README.md").path)
    }

    static var folders: [URL] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.sorted().map { folder.appendingPathComponent($0) }.filter {
            var directory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0.path, isDirectory: &directory) && directory.boolValue
        }
    }

    /// Loads a folder the way `shuttle analyze FOLDER` does: its one domain, then its profiles by file name.
    static func load(_ url: URL, reading: GeniusReading) throws -> LoadedScenario {
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path)
            .filter { $0.hasSuffix(".xml") && !$0.hasSuffix("pareto.xml") }.sorted()
        let files = try names.map { ($0, Array(try Data(contentsOf: url.appendingPathComponent($0)))) }
        return try GeniusReader.scenario(files: files, reading: reading)
    }
}

extension Scenario {
    /// A random linear scenario with an integer issue `years` (3…7) added, which each party values
    /// linearly with weight 0.2: up for the first, down for the others.
    static func randomWithYears(seed: Int, clampedToUnit: Bool) -> Scenario {
        var scenario = ScenarioGenerator.linearAdditive(
            issues: 1 + seed % 4,
            options: 2 + seed % 5,
            parties: 2 + seed % 2,
            seed: UInt64(seed)
        )
        scenario.space.issues.append(Issue(name: "years", integers: 3...7))
        for index in scenario.parties.indices {
            guard case .linearAdditive(var utility) = scenario.parties[index].utility else { continue }
            utility.weights = utility.weights.map { $0 * 0.8 } + [0.2]
            utility.evaluators.append(
                .linear(
                    slope: index == 0 ? 0.25 : -0.25,
                    offset: index == 0 ? 0 : 1,
                    origin: 3,
                    clampedToUnit: clampedToUnit
                )
            )
            scenario.parties[index].utility = .linearAdditive(utility)
        }
        return scenario
    }

    /// Every package's utilities, for comparing two readings of the same scenario.
    func allUtilities() -> [[Double]] {
        var result: [[Double]] = []
        space.forEachOutcome {
            result.append(utilities(of: $0))
            return true
        }
        return result
    }
}
