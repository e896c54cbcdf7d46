import Foundation
import NegotiationEngine
import Testing

@testable import NegotiationFormats

struct ShuttleScenarioFormatTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Samples/april-2025-talks.json")

    @Test func theShippedSampleLoadsAndSaysItIsIllustrative() throws {
        let bytes = Array(try Data(contentsOf: Self.sample))
        let loaded = try ShuttleScenarioFormat.read(bytes, file: "april-2025-talks.json")
        let scenario = loaded.scenario
        #expect(loaded.warnings.isEmpty)
        #expect(scenario.parties.map(\.name) == ["United States", "Iran"])
        #expect(scenario.space.issues.count == 5)
        #expect(scenario.parties.allSatisfy { !$0.forbiddenOptions.isEmpty && $0.reservationValue > 0 })
        #expect(String(decoding: bytes, as: UTF8.self).contains("ILLUSTRATIVE"))
        let analysis = ScenarioAnalysis(scenario)
        #expect(analysis.nash != nil, "the sample has a zone of agreement")
        #expect(analysis.agreementZone.count < analysis.outcomeCount, "and red lines that bind")
    }

    @Test(arguments: 0..<30)
    func writtenScenariosReadBackEqual(seed: Int) throws {
        var scenario = ScenarioGenerator.linearAdditive(
            issues: 1 + seed % 5,
            options: 1 + seed % 4,
            parties: 2 + seed % 3,
            seed: UInt64(seed)
        )
        scenario.space.issues.append(Issue(name: "years", integers: -2...4))
        for index in scenario.parties.indices {
            guard case .linearAdditive(var utility) = scenario.parties[index].utility else { continue }
            utility.weights.append(0.1)
            utility.evaluators.append(
                .linear(slope: 0.1 * Double(index + 1), offset: 0.3, origin: 0, clampedToUnit: false)
            )
            scenario.parties[index].utility = .linearAdditive(utility)
            scenario.parties[index].reservationValue = 0.05 * Double(seed % 7)
            scenario.parties[index].forbiddenOptions = seed % 2 == 0 ? [0: [0]] : [:]
            scenario.parties[index].discount = seed % 3 == 0 ? .normalizedTime(0.75) : nil
        }
        let bytes = try ShuttleScenarioFormat.write(scenario)
        let read = try ShuttleScenarioFormat.read(bytes, file: "s.json").scenario
        #expect(read == scenario)
    }

    static let minimal =
        #"{"name": "n", "issues": [{"name": "a", "options": ["x", "y"]}], "parties": [{"name": "P", "preferences": {"a": {"weight": 1, "values": {"x": 1, "y": 0}}}}]}"#

    @Test(
        arguments: [
            ("", "the file is empty", nil),
            ("[1, 2", "not valid JSON", nil),
            ("{}", "the required key 'name' is missing", nil),
            (
                minimal.replacingOccurrences(of: #""x": 1, "#, with: ""), "no value for option 'x'",
                #".parties[0].preferences["a"]"#
            ),
            (minimal.replacingOccurrences(of: #""y": 0"#, with: #""y": 0, "z": 1"#), "has no option 'z'", nil),
            (
                minimal.replacingOccurrences(of: #"{"a": {"#, with: #"{"b": {"#), "unknown issue 'b'",
                ".parties[0].preferences"
            ),
            (
                minimal.replacingOccurrences(of: #""weight": 1"#, with: #""weight": -1"#), "not a non-negative number",
                nil
            ),
            (
                minimal.replacingOccurrences(of: #""options": ["x", "y"]"#, with: #""options": []"#), "has no option",
                ".issues[0]"
            ),
            (
                minimal.replacingOccurrences(of: #""options": ["x", "y"]"#, with: #""integers": {"min": 5, "max": 1}"#),
                "min 5 above max 1", nil
            ),
            (
                minimal.replacingOccurrences(of: #""name": "n""#, with: #""name": "n", "format": "other/2""#),
                "unknown format", nil
            ),
            (
                minimal.replacingOccurrences(of: "}}}}]}", with: #"}}}, "forbidden": {"a": ["w"]}}]}"#),
                "has no option 'w'", nil
            ),
            (minimal.replacingOccurrences(of: "}}}}]}", with: #"}}}, "discount": 3}]}"#), "outside (0, 1]", nil),
            (minimal.replacingOccurrences(of: #""weight": 1"#, with: #""weight": "heavy""#), "expected", nil),
        ] as [(String, String, String?)]
    )
    func refusesBadScenariosNamingWhere(json: String, message: String, element: String?) {
        #expect {
            try ShuttleScenarioFormat.read(Array(json.utf8), file: "bad.json")
        } throws: { error in
            guard let error = error as? FormatError else { return false }
            return error.file == "bad.json" && error.message.contains(message)
                && (element == nil || error.element == element)
        }
    }

    @Test func warnsWhenWeightsDoNotAddUpToOne() throws {
        let json = Self.minimal.replacingOccurrences(of: #""weight": 1"#, with: #""weight": 0.5"#)
        let loaded = try ShuttleScenarioFormat.read(Array(json.utf8), file: "w.json")
        #expect(
            loaded.warnings.map(\.description) == [
                "w.json: warning: the weights of party 'P' add up to 0.5, not 1; they are used as written"
            ]
        )
    }

    @Test func boxesCannotBeWrittenAsJSON() {
        let space = OutcomeSpace(issues: [Issue(name: "a", integers: 0...1)])
        let scenario = Scenario(
            name: "b",
            space: space,
            parties: [Party(name: "p", utility: .hyperRectangles(HyperRectangleUtility(rectangles: [])))]
        )
        #expect(throws: FormatError.self) { try ShuttleScenarioFormat.write(scenario) }
    }
}
