import Foundation
import NegotiationEngine
import Testing

@testable import NegotiationFormats

struct GeniusWebReaderTests {
    static func holidayFiles(
        _ names: [String] = ["holiday.json", "profileA.json", "profileB.json", "settings.json"]
    ) throws -> [(name: String, bytes: [UInt8])] {
        try names.map { ($0, try Fixtures.bytes("geniusweb-holiday/\($0)")) }
    }

    static func read(_ files: [(String, String)], ignoringOthers: Bool = false) throws(FormatError) -> LoadedScenario {
        try GeniusWebReader.scenario(files: files.map { ($0.0, Array($0.1.utf8)) }, ignoringOthers: ignoringOthers)
    }

    /// The fixture folder read by content: issues in the domain's order, a range in ones as an
    /// integer issue, a range in 500s as its values, the reservation bid's utility, the stray
    /// settings file skipped with a warning.
    @Test func readsAFolderByContent() throws {
        let loaded = try GeniusWebReader.scenario(files: Self.holidayFiles(), ignoringOthers: true)
        let scenario = loaded.scenario
        #expect(scenario.name == "holiday")
        #expect(
            scenario.space.issues == [
                Issue(name: "destination", options: ["coast", "mountains", "city"]),
                Issue(name: "nights", integers: 3...7),
                Issue(name: "budget", options: ["1000", "1500", "2000"]),
            ]
        )
        #expect(scenario.parties.map(\.name) == ["profileA", "profileB"])
        // By hand: A values (city, 5 nights, 1500) at 0.5·0.1 + 0.3·0.6 + 0.2·0.5.
        #expect(abs(scenario.parties[0].reservationValue - 0.33) < 1e-12)
        #expect(scenario.parties[1].reservationValue == 0)
        let best = scenario.space.outcome(labels: ["coast", "7", "1000"])!
        #expect(abs(scenario.utilities(of: best)[0] - 1) < 1e-12)
        #expect(abs(scenario.utilities(of: best)[1] - (0.4 * 0.2 + 0.25 * 0 + 0.35 * 0)) < 1e-12)
        #expect(loaded.warnings.map(\.file) == ["settings.json"])
        #expect(loaded.warnings[0].message.contains("ignored"))
    }

    /// The older keys (`discreteutils`, `numberutils`, a range as a list) mean what the newer do.
    @Test func olderKeysMeanTheSame() throws {
        let newer = try String(decoding: Fixtures.bytes("geniusweb-holiday/profileB.json"), as: UTF8.self)
            .replacingOccurrences(of: "discreteutils", with: "DiscreteValueSetUtilities")
            .replacingOccurrences(of: "numberutils", with: "NumberValueSetUtilities")
            .replacingOccurrences(of: "[3, 7, 1]", with: "{\"low\": 3, \"high\": 7, \"step\": 1}")
        let domain = try String(decoding: Fixtures.bytes("geniusweb-holiday/holiday.json"), as: UTF8.self)
        let older = try GeniusWebReader.scenario(files: Self.holidayFiles(["holiday.json", "profileB.json"])).scenario
        let rewritten = try Self.read([("holiday.json", domain), ("profileB.json", newer)]).scenario
        #expect(older.parties == rewritten.parties)
        #expect(older.allUtilities() == rewritten.allUtilities())
    }

    /// A profile alone carries its domain.
    @Test func aProfileAloneIsAScenario() throws {
        let alone = try GeniusWebReader.scenario(files: Self.holidayFiles(["profileA.json"])).scenario
        let withDomain = try GeniusWebReader.scenario(files: Self.holidayFiles(["holiday.json", "profileA.json"]))
            .scenario
        #expect(alone.space == withDomain.space)
        #expect(alone.parties == withDomain.parties)
    }

    /// The frontier of the fixture is the one enumeration finds (brute force on a small file).
    @Test func frontierEqualsEnumeration() throws {
        let scenario = try GeniusWebReader.scenario(files: Self.holidayFiles(), ignoringOthers: true).scenario
        var options = ScenarioAnalysis.Options()
        let fast = ScenarioAnalysis(scenario, options: options)
        options.frontierMethod = .enumeration
        let brute = ScenarioAnalysis(scenario, options: options)
        #expect(fast.frontier.map(\.outcome) == brute.frontier.map(\.outcome))
        #expect(fast.frontier.map(\.utilities) == brute.frontier.map(\.utilities))
        #expect(fast.frontier.count > 2)
    }

    static let domain =
        #"{"name": "d", "issuesValues": {"colour": {"values": ["red", "blue"]}, "size": {"range": [1, 3, 1]}}}"#

    static func profile(
        utilities: String =
            #"{"colour": {"DiscreteValueSetUtilities": {"valueUtilities": {"red": 1, "blue": 0}}}, "size": {"NumberValueSetUtilities": {"lowValue": 1, "lowUtility": 0, "highValue": 3, "highUtility": 1}}}"#,
        weights: String = #"{"colour": 0.5, "size": 0.5}"#,
        extra: String = ""
    ) -> String {
        #"{"LinearAdditiveUtilitySpace": {"name": "p", "issueUtilities": \#(utilities), "issueWeights": \#(weights)\#(extra)}}"#
    }

    /// Wrong files are refused with the file, the JSON path and what is wrong.
    @Test(arguments: [
        (
            profile(
                utilities:
                    #"{"colour": {"DiscreteValueSetUtilities": {"valueUtilities": {"red": 1, "green": 0}}}, "size": {"numberutils": {"lowValue": 1, "lowUtility": 0, "highValue": 3, "highUtility": 1}}}"#
            ),
            "p.json: .LinearAdditiveUtilitySpace.issueUtilities.colour.DiscreteValueSetUtilities.valueUtilities.green: issue 'colour' has no value 'green'"
        ),
        (
            profile(
                utilities:
                    #"{"colour": {"DiscreteValueSetUtilities": {"valueUtilities": {"red": 1.5, "blue": 0}}}, "size": {"numberutils": {"lowValue": 1, "lowUtility": 0, "highValue": 3, "highUtility": 1}}}"#
            ),
            "p.json: .LinearAdditiveUtilitySpace.issueUtilities.colour.DiscreteValueSetUtilities.valueUtilities.red: the utility 1.5 is outside [0, 1]"
        ),
        (
            profile(weights: #"{"colour": 0.5}"#),
            "p.json: .LinearAdditiveUtilitySpace.issueWeights: the profile gives no weight for the domain's issue 'size'"
        ),
        (
            profile(weights: #"{"colour": 0.5, "size": "lots"}"#),
            "p.json: .LinearAdditiveUtilitySpace.issueWeights.size: 'lots' is not a finite number"
        ),
        (
            profile(
                utilities:
                    #"{"colour": {"NumberValueSetUtilities": {"lowValue": 1, "lowUtility": 0, "highValue": 3, "highUtility": 1}}, "size": {"numberutils": {"lowValue": 1, "lowUtility": 0, "highValue": 3, "highUtility": 1}}}"#
            ),
            "p.json: .LinearAdditiveUtilitySpace.issueUtilities.colour.NumberValueSetUtilities: issue 'colour' is a list of values; it needs DiscreteValueSetUtilities"
        ),
        (
            profile(extra: #", "reservationBid": {"issuevalues": {"colour": "red", "size": 9}}"#),
            "p.json: .LinearAdditiveUtilitySpace.reservationBid.issuevalues.size: issue 'size' has no value 9"
        ),
        (
            profile(
                extra:
                    #", "domain": {"name": "d", "issuesValues": {"colour": {"values": ["red"]}, "size": {"range": [1, 3, 1]}}}"#
            ),
            "p.json: .LinearAdditiveUtilitySpace.domain: this profile's domain gives issue 'colour' other values than the domain d.json"
        ),
        (
            "{\"LinearAdditiveUtilitySpace\": {\n  \"name\": \"p\",\n  \"issueWeights\": {\"colour\": 0.5,}\n}}",
            "p.json:3: not valid JSON: expected a key in quotes"
        ),
        (
            #"{"SumOfGroupsUtilitySpace": {}}"#,
            "p.json: the top level: a SumOfGroupsUtilitySpace profile is not supported: Shuttle reads LinearAdditiveUtilitySpace profiles"
        ),
    ])
    func wrongFilesAreRefusedWithTheirPath(profile: String, message: String) {
        #expect(throws: FormatError.self) { try Self.read([("d.json", Self.domain), ("p.json", profile)]) }
        do {
            _ = try Self.read([("d.json", Self.domain), ("p.json", profile)])
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func wrongDomainsAreRefusedWithTheirPath() {
        let cases = [
            (
                #"{"name": "d", "issuesValues": {"size": {"range": {"low": 5, "high": 1, "step": 1}}}}"#,
                "d.json: .issuesValues.size.range: issue 'size' has low 5 above high 1"
            ),
            (
                #"{"name": "d", "issuesValues": {"size": {"range": [1, 5]}}}"#,
                "d.json: .issuesValues.size.range: a range list is [low, high, step]; this one has 2 numbers"
            ),
            (
                #"{"name": "d", "issuesValues": {"my size": {"colours": []}}}"#,
                "d.json: .issuesValues[\"my size\"]: issue 'my size' needs 'values' (a list) or 'range' (low, high, step)"
            ),
            (
                #"{"name": "d", "issuesValues": {"c": {"values": ["a", "a"]}}}"#,
                "d.json: .issuesValues.c.values[1]: issue 'c' lists the value 'a' twice"
            ),
        ]
        for (domain, message) in cases {
            do {
                _ = try Self.read([("d.json", domain), ("p.json", Self.profile())])
                Issue.record("accepted \(domain)")
            } catch {
                #expect(error.description == message)
            }
        }
    }

    /// Named files must each be GeniusWeb; in a folder, strays are skipped with a note.
    @Test func strayFilesAreRefusedUnlessReadingAFolder() throws {
        let stray = #"{"format": "shuttle-scenario/1"}"#
        #expect(throws: FormatError.self) {
            try Self.read([("d.json", Self.domain), ("p.json", Self.profile()), ("s.json", stray)])
        }
        let loaded = try Self.read(
            [("d.json", Self.domain), ("p.json", Self.profile()), ("s.json", stray)],
            ignoringOthers: true
        )
        #expect(loaded.scenario.parties.count == 1)
        #expect(loaded.warnings.map(\.file) == ["s.json"])
        #expect(!GeniusWebReader.recognizes(Array(stray.utf8)))
        #expect(GeniusWebReader.recognizes(Array(Self.domain.utf8)))
    }

    /// A range in steps that are not whole keeps its values as the decimals the file wrote.
    @Test func decimalRangesKeepTheirDecimals() throws {
        let domain = #"{"name": "d", "issuesValues": {"rate": {"range": {"low": 0.1, "high": 0.45, "step": 0.1}}}}"#
        let profile =
            #"{"LinearAdditiveUtilitySpace": {"issueUtilities": {"rate": {"NumberValueSetUtilities": {"lowValue": 0.1, "lowUtility": 0, "highValue": 0.4, "highUtility": 1}}}, "issueWeights": {"rate": 1}, "reservationBid": {"issuevalues": {"rate": 0.30}}}}"#
        let scenario = try Self.read([("d.json", domain), ("p.json", profile)]).scenario
        #expect(scenario.space.issues[0] == Issue(name: "rate", options: ["0.1", "0.2", "0.3", "0.4"]))
        let values = scenario.allUtilities().map { $0[0] }
        #expect(values.count == 4)
        for (value, expected) in zip(values, [0, 1.0 / 3, 2.0 / 3, 1]) { #expect(abs(value - expected) < 1e-12) }
        #expect(abs(scenario.parties[0].reservationValue - 2.0 / 3) < 1e-12)
    }

    /// JSON's own syntax: escapes, nesting, numbers; and what it refuses.
    @Test func jsonTreeReadsTheSyntax() throws {
        let tree = try JSONTree.parse(
            Array(#" {"a\u00e9\n": [1, -2.5e3, true, null, "\ud83d\ude00"], "b": {}} "#.utf8),
            file: "t.json"
        )
        guard case .object(let members) = tree, case .array(let values) = members[0].value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["aé\n", "b"])
        guard case .number(let text) = values[1], case .string(let emoji) = values[4] else {
            Issue.record("wrong values")
            return
        }
        #expect(text == "-2.5e3")
        #expect(emoji == "😀")
        for bad in ["{\"a\": 1", "[1 2]", "{\"a\" 1}", "01x", "\"tab\there\"", String(repeating: "[", count: 300)] {
            #expect(throws: FormatError.self) { try JSONTree.parse(Array(bad.utf8), file: "t.json") }
        }
    }
}
