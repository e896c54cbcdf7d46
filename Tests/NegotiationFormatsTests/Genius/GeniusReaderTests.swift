import Foundation
import NegotiationEngine
import Testing

@testable import NegotiationFormats

struct GeniusReaderTests {
    @Test func geniusReadingRescalesShiftsClampsAndCaps() throws {
        let loaded = try Fixtures.lunch(.genius)
        let scenario = loaded.scenario
        #expect(scenario.space.issues.map(\.name) == ["dish", "minutes", "place"])
        #expect(scenario.parties.map(\.name) == ["lunch-ann", "lunch-bob"])
        let ann = scenario.parties[0]
        let space = scenario.space
        // soup, 5 minutes, canteen: 0.5·(2/10) + 0.3·clamp(0.3·(5−5) + 0.1) + 0.3·(1/4)
        let low = try #require(space.outcome(labels: ["soup", "5", "canteen"]))
        #expect(abs(ann.utility.utility(of: low, in: space) - 0.205) < 1e-12)
        // pasta, 9 minutes, cafe: 0.5 + 0.3·clamp(1.3) + 0.3 = 1.1, capped at 1.
        let high = try #require(space.outcome(labels: ["pasta", "9", "cafe"]))
        #expect(ann.utility.utility(of: high, in: space) == 1)
        #expect(ann.reservationValue == 0.3)
        #expect(ann.discount == nil)
        let bob = scenario.parties[1]
        #expect(bob.reservationValue == 0.25)
        #expect(bob.discount == .normalizedTime(0.8))
    }

    @Test func negmasReadingUsesRawNumbers() throws {
        let scenario = try Fixtures.lunch(.negmas).scenario
        let space = scenario.space
        let ann = scenario.parties[0]
        // soup, 5, canteen: 0.5·2 + 0.3·(0.3·5 + 0.1) + 0.3·1, no shift, no clamp, no cap.
        let low = try #require(space.outcome(labels: ["soup", "5", "canteen"]))
        #expect(abs(ann.utility.utility(of: low, in: space) - 1.78) < 1e-12)
        let high = try #require(space.outcome(labels: ["pasta", "9", "cafe"]))
        #expect(abs(ann.utility.utility(of: high, in: space) - (5 + 0.3 * 2.8 + 1.2)) < 1e-12)
        // A discounted profile loses its reservation value in NegMAS.
        #expect(scenario.parties[1].reservationValue == -.infinity)
        #expect(scenario.parties[1].discount == .perRound(0.8))
    }

    @Test func warnsWhenWeightsDoNotAddUpToOne() throws {
        let warnings = try Fixtures.lunch(.genius).warnings
        #expect(warnings.count == 1)
        #expect(warnings[0].file == "lunch-ann.xml")
        #expect(warnings[0].description.contains("1.1"))
    }

    @Test func toleratesCommentsRawAmpersandsAndLatin1() throws {
        let loaded = try GeniusReader.scenario(
            domain: ("domain.xml", try Fixtures.bytes("tolerated/domain.xml")),
            profiles: [
                ("profile-a.xml", try Fixtures.bytes("tolerated/profile-a.xml")),
                ("profile-b.xml", try Fixtures.bytes("tolerated/profile-b.xml")),
            ]
        )
        let issue = loaded.scenario.space.issues[0]
        #expect(issue.name == "café & bar")
        #expect(issue.values == .discrete(["crème", "A & B"]))
        let space = loaded.scenario.space
        #expect(loaded.scenario.parties[0].utility.utility(of: Outcome([1]), in: space) == 0.5)
        #expect(loaded.scenario.parties[1].utility.utility(of: Outcome([1]), in: space) == 1)
    }

    static let domain = """
        <negotiation_template><utility_space><objective index="0" name="root">
        <issue index="1" name="dish" type="discrete"><item index="1" value="pasta"/><item index="2" value="soup"/></issue>
        <issue index="2" name="minutes" type="integer" lowerbound="1" upperbound="3"/>
        </objective></utility_space></negotiation_template>
        """

    static func profile(
        dish: String = #"<item value="pasta" evaluation="1"/><item value="soup" evaluation="0.5"/>"#,
        minutes: String = #"<evaluator ftype="linear" slope="0.1" offset="0"/>"#,
        weights: String = #"<weight index="1" value="0.5"/><weight index="2" value="0.5"/>"#,
        extra: String = ""
    ) -> String {
        """
        <utility_space>
        <objective index="0" name="root">
        <issue index="1" name="dish" type="discrete">\(dish)</issue>
        <issue index="2" name="minutes" type="integer" lowerbound="1" upperbound="3">\(minutes)</issue>
        \(weights)
        </objective>
        \(extra)
        </utility_space>
        """
    }

    @Test(
        arguments: [
            (
                profile(dish: #"<item value="pizza" evaluation="1"/>"#),
                "the domain's issue 'dish' has no option 'pizza'", "<item value=\"pizza\">"
            ),
            (
                profile(dish: #"<item value="pasta" evaluation="-1"/><item value="soup" evaluation="1"/>"#),
                "is negative", "<item value=\"pasta\">"
            ),
            (profile(dish: #"<item value="pasta" evaluation="1"/>"#), "no evaluation for option 'soup'", nil),
            (
                profile(dish: #"<item value="pasta" evaluation="lots"/><item value="soup" evaluation="1"/>"#),
                "'lots' is not a finite number", nil
            ),
            (profile(weights: #"<weight index="1" value="1"/>"#), "the issue 'minutes' has no <weight>", nil),
            (
                profile(weights: #"<weight index="1" value="0.5"/><weight index="7" value="0.5"/>"#),
                "no issue of this profile has index 7", nil
            ),
            (profile(minutes: ""), "the numeric issue 'minutes' has no <evaluator>", nil),
            (profile(minutes: #"<evaluator ftype="exponential" slope="1"/>"#), "not supported", nil),
            (profile(extra: #"<discount_factor value="2"/>"#), "outside [0, 1]", nil),
            (profile(extra: #"<reservation value="abc"/>"#), "is not a finite number", nil),
            (
                profile().replacingOccurrences(of: #"name="minutes""#, with: #"name="drinks""#),
                "the domain has no issue 'drinks'", nil
            ),
            (
                "<utility_space><objective index=\"0\"><issue index=\"1\" name=\"dish\" type=\"discrete\"><item value=\"pasta\" evaluation=\"1\"/><item value=\"soup\" evaluation=\"1\"/></issue><weight index=\"1\" value=\"1\"/></objective></utility_space>",
                "does not evaluate the domain's issue 'minutes'", nil
            ),
            ("<negotiation_template/>", "not a GENIUS profile", nil),
            ("", "the file is empty", nil),
            ("not xml at all", "holds no XML element", nil),
        ] as [(String, String, String?)]
    )
    func refusesBadProfilesNamingFileAndElement(profile: String, message: String, element: String?) {
        #expect {
            try GeniusReader.scenario(
                domain: ("d.xml", Array(Self.domain.utf8)),
                profiles: [("bad-profile.xml", Array(profile.utf8))]
            )
        } throws: { error in
            guard let error = error as? FormatError else { return false }
            let elementMatches = element.map { error.element?.contains($0) == true } ?? true
            return error.file == "bad-profile.xml" && error.message.contains(message) && elementMatches
                && error.description.hasPrefix("bad-profile.xml")
        }
    }

    @Test(arguments: [
        (
            #"<negotiation_template><utility_space><objective><issue name="n" type="integer" lowerbound="5" upperbound="1"/></objective></utility_space></negotiation_template>"#,
            "above upperbound"
        ),
        (
            #"<negotiation_template><utility_space><objective><issue name="d" type="discrete"/></objective></utility_space></negotiation_template>"#,
            "has no <item>"
        ),
        (
            #"<negotiation_template><utility_space><objective></objective></utility_space></negotiation_template>"#,
            "declares no issue"
        ),
        (
            #"<negotiation_template><utility_space><objective><issue name="a" type="discrete"><item value="x"/></issue><issue name="a" type="discrete"><item value="y"/></issue></objective></utility_space></negotiation_template>"#,
            "declared twice"
        ),
        (
            #"<negotiation_template><utility_space><objective><issue name="a" type="colour"/></objective></utility_space></negotiation_template>"#,
            "unknown issue type 'colour'"
        ),
        (#"<negotiation_template><utility_space/></negotiation_template>"#, "no <objective>"),
        (#"<html><body/></html>"#, "not a GENIUS domain"),
    ])
    func refusesBadDomains(domain: String, message: String) {
        #expect {
            try GeniusReader.scenario(domain: ("bad-domain.xml", Array(domain.utf8)), profiles: [])
        } throws: { error in
            guard let error = error as? FormatError else { return false }
            return error.file == "bad-domain.xml" && error.message.contains(message) && error.line != nil
        }
    }

    @Test func errorsPointAtTheLine() throws {
        let profile = Self.profile(dish: "\n\n" + #"<item value="pizza" evaluation="1"/>"#)
        do {
            _ = try GeniusReader.scenario(
                domain: ("d.xml", Array(Self.domain.utf8)),
                profiles: [("p.xml", Array(profile.utf8))]
            )
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 5)
            #expect(
                error.description == "p.xml:5: <item value=\"pizza\">: the domain's issue 'dish' has no option 'pizza'"
            )
        }
    }

    @Test func readsHyperRectangleProfiles() throws {
        let domain = """
            <negotiation_template><utility_space><objective>
            <issue index="1" name="a" type="integer" lowerbound="1" upperbound="4"/>
            <issue index="2" name="b" type="integer" lowerbound="0" upperbound="3"/>
            </objective></utility_space></negotiation_template>
            """
        let profile = """
            <utility_space type="nonlinear"><objective>
            <issue index="1" name="a" type="integer" lowerbound="1" upperbound="4"/>
            <issue index="2" name="b" type="integer" lowerbound="0" upperbound="3"/>
            <utility maxutility="50"><ufun type="PlainUfun" weight="1" aggregation="sum">
            <hyperRectangle utility="30"><INCLUDES index="1" min="2" max="3"/></hyperRectangle>
            <hyperRectangle utility="20"><INCLUDES index="1" min="3" max="4"/><INCLUDES index="2" min="0" max="0"/></hyperRectangle>
            </ufun></utility></objective></utility_space>
            """
        let scenario = try GeniusReader.scenario(
            domain: ("d.xml", Array(domain.utf8)),
            profiles: [("p.xml", Array(profile.utf8))]
        ).scenario
        let space = scenario.space
        let party = scenario.parties[0]
        #expect(party.utility.utility(of: try #require(space.outcome(labels: ["3", "0"])), in: space) == 1)
        #expect(party.utility.utility(of: try #require(space.outcome(labels: ["2", "1"])), in: space) == 0.6)
        #expect(party.utility.utility(of: try #require(space.outcome(labels: ["1", "0"])), in: space) == 0)
    }
}

extension GeniusReaderTests {
    @Test func filesAreToldApartByTheirRootElement() throws {
        let profile = Array(Self.profile().utf8)
        let domain = Array(Self.domain.utf8)
        let loaded = try GeniusReader.scenario(files: [("b.xml", profile), ("d.xml", domain), ("a.xml", profile)])
        #expect(loaded.scenario.parties.map(\.name) == ["b", "a"], "profiles keep the order given")
        #expect(loaded.scenario.name == "d")
    }

    @Test(arguments: [
        (["domain", "domain", "profile"], "a second domain file"),
        (["profile", "profile"], "none of the files is a domain"),
        (["domain"], "no profile"),
        (["domain", "html"], "not a GENIUS file"),
    ])
    func aSetOfFilesNeedsOneDomainAndSomeProfiles(kinds: [String], message: String) {
        let files = kinds.enumerated().map { index, kind -> (name: String, bytes: [UInt8]) in
            let text = kind == "domain" ? Self.domain : kind == "profile" ? Self.profile() : "<html/>"
            return ("\(kind)\(index).xml", Array(text.utf8))
        }
        #expect {
            try GeniusReader.scenario(files: files)
        } throws: { ($0 as? FormatError)?.message.contains(message) == true }
    }
}
