import NegotiationEngine
import Talks
import Testing

/// Post-settlement improvement: once every party has accepted a package, the mediator asks for
/// packages each strictly prefers, puts one to them, and the agreed package stands unless all
/// accept it.
struct ImprovementsTests {
    static let agenda = [
        AgendaIssue(name: "enrichment", options: ["none", "low", "mid", "high"]),
        AgendaIssue(name: "relief", options: ["full", "phased", "partial", "none"]),
        AgendaIssue(name: "inspections", options: ["snap", "scheduled", "remote"]),
    ]

    /// Random preferences over the agenda: random weights and values, sometimes a forbidden option.
    static func randomPreferences(_ random: inout SeededGenerator) -> Preferences {
        var weights: [String: Double] = [:]
        var values: [String: [String: Double]] = [:]
        var forbidden: [String: [String]] = [:]
        let raw = agenda.map { _ in Double.random(in: 0.1...1, using: &random) }
        for (issue, weight) in zip(agenda, raw) {
            weights[issue.name] = weight / raw.reduce(0, +)
            values[issue.name] = Dictionary(
                uniqueKeysWithValues: issue.options.map { ($0, Double.random(in: 0...1, using: &random)) }
            )
            if Double.random(in: 0..<1, using: &random) < 0.3 {
                forbidden[issue.name] = [issue.options.randomElement(using: &random)!]
            }
        }
        return Preferences(
            weights: weights,
            values: values,
            forbidden: forbidden,
            reservationValue: Double.random(in: 0...0.3, using: &random)
        )
    }

    /// Talks where every party stored `preferences` and accepted the mediator's proposal of `agreed` (P1).
    static func agreed(_ agreed: [String: String], parties: [String], preferences: [Preferences]) throws -> Fixture {
        var fixture = try Fixture(parties: parties)
        try fixture.run(.setAgenda(agenda), by: fixture.mediator)
        for (party, stored) in zip(parties, preferences) {
            try fixture.run(.storePreferences(stored), by: Fixture.id(party, .principal))
        }
        try fixture.run(.propose(.package(agreed), parties: parties), by: fixture.mediator)
        for party in parties {
            try fixture.run(.answer(proposal: "P1", answer: .accept, counter: nil), by: Fixture.id(party, .principal))
        }
        return fixture
    }

    static func allPackages() -> [[String: String]] {
        agenda.reduce([[:]]) { partial, issue in
            partial.flatMap { package in issue.options.map { package.merging([issue.name: $0]) { $1 } } }
        }
    }

    /// Brute force over the agenda: the packages every party strictly prefers to `agreed` inside
    /// every red line, sorted by squared distance to the Nash point (the acceptable package with
    /// the largest product of gains over the reservation values), ties in the agenda's order.
    static func bruteForce(
        _ talks: Talks,
        over agreed: [String: String],
        parties: [String],
        preferences: [Preferences]
    ) -> [[String: String]] {
        let packages = allPackages()
        func utilities(_ package: [String: String]) -> [Double] { parties.map { talks.utility(of: package, for: $0)! } }
        func acceptable(_ package: [String: String]) -> Bool {
            zip(preferences, utilities(package)).allSatisfy { stored, utility in
                utility >= stored.reservationValue
                    && !stored.forbidden.contains { package[$0.key].map($0.value.contains) == true }
            }
        }
        let acceptables = packages.filter(acceptable)
        guard
            let nash = acceptables.max(by: { a, b in
                func product(_ p: [String: String]) -> Double {
                    zip(utilities(p), preferences).reduce(1) { $0 * ($1.0 - $1.1.reservationValue) }
                }
                return product(a) < product(b)
            })
        else { return [] }
        let target = utilities(nash)
        let floor = utilities(agreed)
        let better = acceptables.filter { zip(utilities($0), floor).allSatisfy { $0 > $1 } }
        func distance(_ p: [String: String]) -> Double {
            zip(utilities(p), target).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        return better.enumerated().sorted { a, b in
            let (x, y) = (distance(a.element), distance(b.element))
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    /// On random preferences for two and three parties and random agreed packages, the answer is
    /// the brute-force list, in the same order; an empty list when nothing beats the agreement.
    @Test(arguments: [2, 3])
    func improvementsEqualBruteForce(partyCount: Int) throws {
        var random = SeededGenerator(seed: UInt64(partyCount))
        let parties = ["US", "Iran", "EU"].prefix(partyCount).map { $0 }
        var sawNone = false
        var sawSome = false
        for _ in 0..<25 {
            let preferences = parties.map { _ in Self.randomPreferences(&random) }
            let agreed = Self.allPackages().randomElement(using: &random)!
            let talks = try Self.agreed(agreed, parties: parties, preferences: preferences).talks
            let expected = Self.bruteForce(talks, over: agreed, parties: parties, preferences: preferences)
            #expect(try talks.improvements(of: "P1", limit: .max) == .packages(expected))
            #expect(try talks.improvements(of: "P1", limit: 3) == .packages(Array(expected.prefix(3))))
            sawNone = sawNone || expected.isEmpty
            sawSome = sawSome || expected.count > 1
        }
        #expect(sawNone && sawSome, "both outcomes were exercised")
    }

    static let parties = ["US", "Iran"]
    static let preferences = [
        Preferences(
            weights: ["enrichment": 0.5, "relief": 0.3, "inspections": 0.2],
            values: [
                "enrichment": ["none": 1, "low": 0.7, "mid": 0.4, "high": 0],
                "relief": ["full": 0, "phased": 0.5, "partial": 0.7, "none": 1],
                "inspections": ["snap": 1, "scheduled": 0.6, "remote": 0.2],
            ],
            reservationValue: 0.3
        ),
        Preferences(
            weights: ["enrichment": 0.4, "relief": 0.4, "inspections": 0.2],
            values: [
                "enrichment": ["none": 0, "low": 0.5, "mid": 0.8, "high": 1],
                "relief": ["full": 1, "phased": 0.7, "partial": 0.4, "none": 0],
                "inspections": ["snap": 0.3, "scheduled": 1, "remote": 0.5],
            ],
            reservationValue: 0.3
        ),
    ]
    /// An agreement both parties can improve on (by scheduled inspections, for one).
    static let weak = ["enrichment": "mid", "relief": "partial", "inspections": "remote"]

    static func settled() throws -> Fixture {
        var fixture = try Fixture(parties: parties)
        try fixture.run(.setAgenda(agenda), by: fixture.mediator)
        for (party, stored) in zip(parties, preferences) {
            try fixture.run(.storePreferences(stored), by: Fixture.id(party, .principal))
        }
        try fixture.run(.propose(.package(weak), parties: parties), by: fixture.mediator)
        return fixture
    }

    @Test func onlyAnAgreementAcceptedByEveryPartyCanBeImproved() throws {
        var fixture = try Self.settled()
        #expect(
            throws: TalksError.rule(
                "proposal P1 has not been accepted by every party; improvements come after an agreement"
            )
        ) {
            try fixture.talks.improvements(of: "P1")
        }
        try fixture.run(.answer(proposal: "P1", answer: .accept, counter: nil), by: Fixture.id("US", .principal))
        #expect(throws: TalksError.self) { try fixture.talks.improvements(of: "P1") }
        try fixture.run(.answer(proposal: "P1", answer: .accept, counter: nil), by: Fixture.id("Iran", .principal))
        #expect(try fixture.talks.improvements(of: "P1") != .packages([]))
        #expect(throws: TalksError.notFound("no package proposal P9")) { try fixture.talks.improvements(of: "P9") }
    }

    /// The mediator proposes an improvement; it goes to every party in its own numbers; a
    /// rejection lets it lapse and the agreement stands; a later one accepted by all replaces it.
    @Test func anImprovementReplacesTheAgreementOnlyWhenEveryPartyAcceptsIt() throws {
        var fixture = try Self.settled()
        for party in Self.parties {
            try fixture.run(.answer(proposal: "P1", answer: .accept, counter: nil), by: Fixture.id(party, .principal))
        }
        #expect(fixture.talks.state.standingAgreement?.id == "P1")
        guard case .packages(let better) = try fixture.talks.improvements(of: "P1", limit: 50), better.count >= 2 else {
            Issue.record("expected at least two improvements")
            return
        }
        // A package that is not better for both is refused, saying no more than that.
        #expect(
            throws: TalksError.rule("that package is not one every party strictly prefers to P1 inside every red line")
        ) {
            try fixture.run(.proposeImprovement(of: "P1", package: Self.weak), by: fixture.mediator)
        }
        #expect(throws: TalksError.forbidden("only the mediator may propose improvements")) {
            try fixture.run(.proposeImprovement(of: "P1", package: better[0]), by: Fixture.id("US", .principal))
        }
        try fixture.run(.proposeImprovement(of: "P1", package: better[0]), by: fixture.mediator)
        #expect(throws: TalksError.rule("improvement P2 of P1 is still before the parties")) {
            try fixture.run(.proposeImprovement(of: "P1", package: better[1]), by: fixture.mediator)
        }
        #expect(
            throws: TalksError.invalid("an improvement is accepted or rejected; the agreed package stands otherwise")
        ) {
            try fixture.run(
                .answer(proposal: "P2", answer: .counter, counter: .package(better[1])),
                by: Fixture.id("US", .principal)
            )
        }
        let lapsed = try fixture.run(
            .answer(proposal: "P2", answer: .reject, counter: nil),
            by: Fixture.id("US", .principal)
        )
        #expect(
            lapsed.map(\.event).last
                == .improvementSettled(id: "P2", improves: "P1", parties: Self.parties, adopted: false)
        )
        #expect(
            fixture.talks.state.standingAgreement?.id == "P1",
            "a rejected improvement leaves the agreement standing"
        )
        #expect(throws: TalksError.rule("that improvement has been settled")) {
            try fixture.run(.answer(proposal: "P2", answer: .accept, counter: nil), by: Fixture.id("Iran", .principal))
        }

        try fixture.run(.proposeImprovement(of: "P1", package: better[1]), by: fixture.mediator)
        try fixture.run(.answer(proposal: "P3", answer: .accept, counter: nil), by: Fixture.id("Iran", .principal))
        #expect(
            fixture.talks.state.standingAgreement?.id == "P1",
            "the agreement stands while one party has not accepted"
        )
        let adopted = try fixture.run(
            .answer(proposal: "P3", answer: .accept, counter: nil),
            by: Fixture.id("US", .principal)
        )
        #expect(
            adopted.map(\.event).last
                == .improvementSettled(id: "P3", improves: "P1", parties: Self.parties, adopted: true)
        )
        #expect(fixture.talks.state.standingAgreement?.id == "P3")
        // Each party reads the improvement and its settlement on its shuttle channel only, in its own numbers.
        for party in Self.parties {
            let seen = fixture.visible(to: Fixture.id(party, .principal)).map(\.event).filter {
                if case .improvementProposed = $0 { true } else if case .improvementSettled = $0 { true } else { false }
            }
            #expect(seen.count == 4)
        }
    }
}
