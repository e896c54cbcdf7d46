import NegotiationEngine
import Talks
import Testing

struct SuggestionsTests {
    static let us = Preferences(
        weights: ["enrichment": 0.6, "relief": 0.4],
        values: ["enrichment": ["none": 1, "3.67%": 0.6, "20%": 0], "relief": ["full": 0, "phased": 0.6, "none": 1]],
        forbidden: ["enrichment": ["20%"]],
        reservationValue: 0.3
    )
    static let iran = Preferences(
        weights: ["enrichment": 0.4, "relief": 0.6],
        values: ["enrichment": ["none": 0, "3.67%": 0.7, "20%": 1], "relief": ["full": 1, "phased": 0.7, "none": 0]],
        forbidden: ["relief": ["none"]],
        reservationValue: 0.35
    )

    func fixture(us: Preferences? = Self.us, iran: Preferences? = Self.iran) throws -> Fixture {
        var fixture = try Fixture()
        if let us { try fixture.run(.storePreferences(us), by: Fixture.id("US", .technicalLead)) }
        if let iran { try fixture.run(.storePreferences(iran), by: Fixture.id("Iran", .expert)) }
        return fixture
    }

    @Test func saysWhoHasNotStoredPreferencesInsteadOfGuessing() throws {
        #expect(try fixture(iran: nil).talks.suggestions() == .missingPreferences(["Iran"]))
        #expect(try fixture(us: nil, iran: nil).talks.suggestions() == .missingPreferences(["US", "Iran"]))
    }

    @Test func suggestsEfficientPackagesInsideEveryRedLine() throws {
        let talks = try fixture().talks
        guard case .packages(let packages) = talks.suggestions(limit: 10) else {
            Issue.record("expected packages")
            return
        }
        #expect(!packages.isEmpty)
        for package in packages {
            #expect(package["enrichment"] != "20%" && package["relief"] != "none", "no forbidden option")
            #expect(talks.utility(of: package, for: "US")! >= 0.3)
            #expect(talks.utility(of: package, for: "Iran")! >= 0.35)
        }
    }

    /// The answer names packages and nothing else: every string in it is an agenda issue or option,
    /// so no utility, weight or reservation value can be read from it.
    @Test func revealsNoNumbers() throws {
        let talks = try fixture().talks
        let answer = talks.suggestions(limit: 100)
        guard case .packages(let packages) = answer else {
            Issue.record("expected packages")
            return
        }
        let words = Set(Fixture.agenda.flatMap { [$0.name] + $0.options })
        for package in packages {
            #expect(package.keys.allSatisfy(words.contains) && package.values.allSatisfy(words.contains))
        }
        let text = "\(answer)"
        for secret in ["0.6", "0.4", "0.7", "0.3", "0.35"] { #expect(!text.contains(secret), "\(secret)") }
        #expect("\(Self.us)" == "Preferences(redacted)")
    }

    /// Changing one party's values for packages that are neither on the frontier nor in the zone
    /// leaves the answer as it was: it depends on nothing the mediator could use to read them.
    @Test func staysTheSameWhenOnlyIrrelevantUtilitiesChange() throws {
        let before = try fixture().talks.suggestions(limit: 100)
        var changed = Self.us
        // "20%" is forbidden to the US: its value for the US moves no suggestion.
        changed.values["enrichment"]?["20%"] = 0.2
        let after = try fixture(us: changed).talks.suggestions(limit: 100)
        #expect(before == after)
        guard case .packages(let packages) = before else {
            Issue.record("expected packages")
            return
        }
        #expect(packages.count >= 2)
    }

    @Test func aPartyCanSeeItsOwnUtilityOnly() throws {
        let talks = try fixture(iran: nil).talks
        #expect(talks.utility(of: ["enrichment": "none", "relief": "none"], for: "US") == 1)
        #expect(talks.utility(of: ["enrichment": "none", "relief": "none"], for: "Iran") == nil)
        #expect(talks.utility(of: ["enrichment": "none"], for: "US") == nil, "a package names every issue")
    }

    @Test func preferencesMustFitTheAgenda() throws {
        var fixture = try Fixture()
        var wrong = Self.us
        wrong.values["enrichment"]?["60%"] = 1
        #expect(throws: TalksError.rule("issue 'enrichment' has no option '60%'")) {
            try fixture.run(.storePreferences(wrong), by: Fixture.id("US", .principal))
        }
        #expect(throws: TalksError.forbidden("the mediator has no preferences to store")) {
            try fixture.run(.storePreferences(Self.us), by: fixture.mediator)
        }
    }
}

extension SuggestionsTests {
    /// Preferences made from an engine party read back to the same party.
    @Test func preferencesRoundTripThroughTheEngine() throws {
        let agenda = Fixture.agenda
        let party = try Self.us.party(named: "US", agenda: agenda).get()
        let space = OutcomeSpace(issues: agenda.map { Issue(name: $0.name, options: $0.options) })
        let back = try #require(Preferences(party, in: space))
        #expect(back == Self.us)
        #expect(try back.party(named: "US", agenda: agenda).get() == party)
    }
}
