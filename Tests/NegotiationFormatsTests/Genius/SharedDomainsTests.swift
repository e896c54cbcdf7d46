import Foundation
import NegotiationEngine
import Testing

@testable import NegotiationFormats

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
            let scenario = try SharedDomains.load(SharedDomains.folder.appendingPathComponent(name), reading: .negmas)
                .scenario
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

extension SharedDomainsTests {
    /// On every real folder small enough to enumerate, read with GENIUS's meaning: the frontier
    /// is the one brute force finds in exact decimal arithmetic (each weight and value the
    /// decimal its text reads as, every total an integer count of 10⁻ˢ), computed here apart
    /// from the engine. Before exact ties, Barter B kept a package that another dominates once
    /// 0.9000000000000001 is read as the 0.9 it is.
    @Test func frontierEqualsExactBruteForceOnRealFolders() throws {
        var checked: [String] = []
        for folder in SharedDomains.folders {
            let scenario = try SharedDomains.load(folder, reading: .genius).scenario
            guard scenario.space.isFinite, let count = scenario.space.count.intValue, count <= 30_000,
                let exact = ExactTotals(scenario)
            else { continue }
            var vectors: [[Int128]: Outcome] = [:]
            scenario.space.forEachOutcome { outcome in
                let vector = exact.totals(of: outcome)
                if vectors[vector] == nil { vectors[vector] = outcome }
                return true
            }
            // Highest first: a vector can be dominated only by one before it.
            var kept: [[Int128]] = []
            for vector in vectors.keys.sorted(by: { $0.lexicographicallyPrecedes($1, by: >) })
            where !kept.contains(where: { zip($0, vector).allSatisfy { $0 >= $1 } }) {
                kept.append(vector)
            }
            let brute = Set(kept)
            let frontier = ParetoFrontier.compute(for: scenario)
            let found = frontier.map { exact.totals(of: $0.outcome) }
            #expect(Set(found) == brute, "\(folder.lastPathComponent)")
            #expect(found.count == brute.count, "\(folder.lastPathComponent): one point per exact vector")
            checked.append(folder.lastPathComponent)
        }
        #expect(checked.count >= 20, "\(checked)")
        #expect(checked.contains("anac2012-BarterB"))
    }

    /// Each party's total as an integer count of 10⁻ˢ, from the decimal text of every weight and
    /// value: the reference for exact ties, written apart from the engine's own.
    struct ExactTotals {
        /// Per party, per issue, per option: weight × value in units of the party's 10⁻ˢ.
        var tables: [[[Int128]]] = []
        var caps: [Int128?] = []

        init?(_ scenario: Scenario) {
            for party in scenario.parties {
                guard case .linearAdditive(let function) = party.utility else { return nil }
                var products: [[(Int128, Int)]] = []
                for (position, issue) in scenario.space.issues.enumerated() {
                    let weight = Self.decimal(function.weights[position])
                    products.append(
                        (0..<issue.optionCount!).map { option in
                            let value = Self.decimal(function.value(ofOption: option, issue: issue, at: position))
                            return (weight.0 * value.0, weight.1 + value.1)
                        }
                    )
                }
                let cap = function.maximumTotal.map(Self.decimal)
                let places = (products.joined().map(\.1) + [cap?.1 ?? 0]).max()!
                var overflow = false
                func units(_ decimal: (Int128, Int)) -> Int128 {
                    var value = decimal.0
                    for _ in 0..<(places - decimal.1) {
                        let (next, over) = value.multipliedReportingOverflow(by: 10)
                        overflow = overflow || over
                        value = next
                    }
                    return value
                }
                tables.append(products.map { $0.map(units) })
                caps.append(cap.map(units))
                if overflow { return nil }
            }
        }

        func totals(of outcome: Outcome) -> [Int128] {
            zip(tables, caps).map { table, cap in
                let total = table.indices.reduce(Int128(0)) { $0 + table[$1][Int(outcome[$1])] }
                return cap.map { min(total, $0) } ?? total
            }
        }

        /// `value`'s shortest decimal text as digits and places after the point.
        static func decimal(_ value: Double) -> (Int128, Int) {
            let parts = value.description.split(separator: "e")
            var digits: Int128 = 0
            var places = 0
            var afterPoint = false
            for character in parts[0] where character != "-" {
                if character == "." {
                    afterPoint = true
                    continue
                }
                digits = digits * 10 + Int128(character.wholeNumberValue!)
                if afterPoint { places += 1 }
            }
            places -= parts.count > 1 ? Int(parts[1])! : 0
            if places < 0 {
                digits *= (0..<(-places)).reduce(1) { value, _ in value * 10 }
                places = 0
            }
            return (value < 0 ? -digits : digits, places)
        }
    }
}
