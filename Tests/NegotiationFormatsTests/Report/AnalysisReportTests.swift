import Foundation
import NegotiationEngine
import Testing

@testable import NegotiationFormats

struct AnalysisReportTests {
    func report(_ scenario: Scenario) -> AnalysisReport {
        AnalysisReport(scenario: scenario, analysis: ScenarioAnalysis(scenario), reading: "genius")
    }

    @Test func jsonHasTheDocumentedKeysInOrder() throws {
        let scenario = ScenarioGenerator.linearAdditive(
            issues: 3,
            options: 4,
            parties: 2,
            seed: 5,
            reservationValue: 0.3
        )
        let text = report(scenario).json()
        let keys = [
            "outcomes", "parties", "reservation", "paretoSize", "pareto", "nash", "kalai", "welfare", "egalitarian",
            "agreementZone",
        ]
        let positions = keys.map { text.range(of: "\"\($0)\":")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.map { $0! } == positions.map { $0! }.sorted())

        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["outcomes"] as? Int == 64)
        #expect(object["parties"] as? [String] == ["party1", "party2"])
        let pareto = try #require(object["pareto"] as? [[String: Any]])
        #expect(pareto.count == object["paretoSize"] as? Int)
        let firsts = pareto.compactMap { ($0["utilities"] as? [Double])?.first }
        #expect(firsts == firsts.sorted(by: >))
        let outcome = try #require(pareto.first?["outcome"] as? [String: String])
        #expect(Set(outcome.keys) == ["issue1", "issue2", "issue3"])
        let zone = try #require(object["agreementZone"] as? [String: Any])
        #expect(zone["outcomes"] != nil && zone["fraction"] != nil)
    }

    @Test func hugeCountsAreExactIntegersAndMissingSolutionsAreNull() throws {
        let scenario = ScenarioGenerator.linearAdditive(
            issues: 25,
            options: 10,
            parties: 2,
            seed: 1,
            reservationValue: 2
        )
        let text = report(scenario).json(pretty: false)
        #expect(text.hasPrefix("{\"outcomes\":10000000000000000000000000,"))
        #expect(text.contains("\"nash\":null"))
        #expect(text.contains("\"agreementZone\":{\"outcomes\":0,\"fraction\":0,\"exact\":true}"))
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
    }

    @Test func summaryNamesTheSolutions() {
        let scenario = ScenarioGenerator.linearAdditive(issues: 3, options: 3, parties: 2, seed: 2)
        let summary = report(scenario).summary()
        for word in [
            "Outcomes:", "27", "Pareto frontier:", "Nash:", "Kalai–Smorodinsky:", "Maximum welfare:", "Egalitarian:",
            "Zone of agreement:",
        ] {
            #expect(summary.contains(word), "\(word)")
        }
    }

    @Test func jsonStringsAreEscaped() {
        #expect(JSONValue.string("a\"b\\c\nd\u{1}").serialized() == #""a\"b\\c\nd\u0001""#)
        #expect(JSONValue.array([.number(0.1), .number(3), .finite(.infinity)]).serialized() == "[0.1,3,null]")
    }
}
