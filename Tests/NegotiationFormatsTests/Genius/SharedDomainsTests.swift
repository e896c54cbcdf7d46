import Foundation
import NegotiationEngine
@testable import NegotiationFormats
import Testing

/// The real GENIUS / ANAC files in ../shared/domains, where they are beside the clone.
@Suite(.enabled(if: SharedDomains.available, "needs ../shared/domains beside the clone"))
struct SharedDomainsTests {
    @Test func everyFolderLoadsInBothReadings() throws {
        let folders = SharedDomains.folders
        #expect(folders.count >= 30)
        for folder in folders {
            for reading in GeniusReading.allCases {
                let loaded = try SharedDomains.load(folder, reading: reading)
                #expect(loaded.scenario.parties.count >= 2, "\(folder.lastPathComponent)")
            }
        }
    }

    /// With GENIUS's meaning, the fast frontier equals brute force on every folder small enough
    /// to enumerate in a debug build.
    @Test func fastFrontierEqualsBruteForceUnderGeniusDefinitions() throws {
        var checked = 0
        for folder in SharedDomains.folders {
            var scenario = try SharedDomains.load(folder, reading: .genius).scenario
            if !scenario.space.isFinite { scenario = scenario.discretized(steps: 31) }
            guard let count = scenario.space.count.intValue, count <= 30_000 else { continue }
            let fast = ParetoFrontier.compute(for: scenario)
            let slow = ParetoFrontier.enumerated(scenario)
            #expect(Set(fast.map(\.utilities)) == Set(slow.map(\.utilities)), "\(folder.lastPathComponent)")
            #expect(fast.allSatisfy { scenario.utilities(of: $0.outcome) == $0.utilities })
            checked += 1
        }
        #expect(checked >= 25)
    }

    /// GENIUS's own precomputed frontier for the 10^10-package nonlinear domain.
    @Test func frontierMatchesGeniusPrecomputedParetoFile() throws {
        let folder = SharedDomains.folder.appendingPathComponent("anac2014-10issues")
        let scenario = try SharedDomains.load(folder, reading: .genius).scenario
        #expect(scenario.space.count.description == "10000000000")
        let text = try String(contentsOf: folder.appendingPathComponent("pareto.xml"), encoding: .utf8)
        let expected = text.split(separator: "\n").compactMap { line -> [Double]? in
            let numbers = line.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            return numbers.count == 2 ? numbers : nil
        }
        let frontier = ParetoFrontier.compute(for: scenario)
        #expect(frontier.count == expected.count)
        for point in expected {
            #expect(frontier.contains { zip($0.utilities, point).allSatisfy { abs($0 - $1) < 1e-6 } }, "\(point)")
        }
    }
}

extension SharedDomainsTests {
    /// The domains README lists, per folder, the outcome count and the number of distinct frontier
    /// vectors NegMAS 0.16 computes. With `--reading negmas` Shuttle must find the same.
    @Test func negmasReadingReproducesNegmasFrontierSizes() throws {
        let readme = try String(contentsOf: SharedDomains.folder.appendingPathComponent("README.md"), encoding: .utf8)
        var checked = 0
        for line in readme.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 11, let frontierSize = Int(cells[10]),
                let outcomes = Int(cells[3].replacingOccurrences(of: ",", with: ""))
            else { continue }
            let name = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            let scenario = try SharedDomains.load(SharedDomains.folder.appendingPathComponent(name), reading: .negmas).scenario
            var options = ScenarioAnalysis.Options()
            options.disagreement = .negmas
            options.rationalFrontierOnly = true
            let analysis = ScenarioAnalysis(scenario, options: options)
            #expect(analysis.outcomeCount == OutcomeCount(outcomes), "\(name)")
            #expect(analysis.frontier.count == frontierSize, "\(name)")
            checked += 1
        }
        #expect(checked >= 30)
    }
}
