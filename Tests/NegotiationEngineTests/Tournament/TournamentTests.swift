import NegotiationEngine
import Testing

struct TournamentTests {
    static func competitors(_ names: [String]) -> [Tournament.Competitor] {
        names.map { name in Tournament.Competitor(name: name) { NegotiatorCatalog.make(name)! } }
    }

    @Test func everyOrderedPairOnEveryScenarioWithEachRepetition() {
        let scenarios = (0..<2).map { ScenarioGenerator.linearAdditive(issues: 2, options: 3, parties: 2, seed: UInt64($0)) }
        let tournament = Tournament(scenarios: scenarios, competitors: Self.competitors(["boulware", "linear", "conceder"]), repetitions: 3)
        let matches = tournament.matches
        #expect(matches.count == 2 * 3 * 2 * 3)
        for scenario in 0..<2 {
            for a in 0..<3 {
                for b in 0..<3 where a != b {
                    #expect(matches.filter { $0.scenario == scenario && $0.seats == [a, b] }.count == 3)
                }
            }
        }
        #expect(Set(matches.map(\.seed)).count == matches.count, "each negotiation has its own seed")
        let selfPlay = Tournament(scenarios: scenarios, competitors: Self.competitors(["boulware", "linear"]), selfPlay: true)
        #expect(selfPlay.matches.count == 2 * 4)
    }

    /// Threads change nothing: the records are the same with one worker as with four.
    @Test func resultsDoNotDependOnThreads() throws {
        let scenarios = (0..<3).map { ScenarioGenerator.linearAdditive(issues: 3, options: 4, parties: 2, seed: UInt64($0), reservationValue: 0.3) }
        let tournament = Tournament(
            scenarios: scenarios, competitors: Self.competitors(NegotiatorCatalog.names), protocolKind: .shuttle,
            deadline: .steps(30), repetitions: 2, seed: 5)
        let one = try tournament.run(jobs: 1)
        let four = try tournament.run(jobs: 4)
        #expect(one.map(\.agreement) == four.map(\.agreement))
        #expect(one.map(\.utilities) == four.map(\.utilities))
        #expect(one.map(\.match) == tournament.matches)
    }

    /// Each record's numbers follow from its agreement: utilities (reservation value without one),
    /// welfare, and distances computed here by brute force over every outcome.
    @Test(arguments: NegotiationProtocol.allCases)
    func recordsMeasureTheOutcome(kind: NegotiationProtocol) throws {
        let scenario = ScenarioGenerator.linearAdditive(issues: 3, options: 4, parties: 2, seed: 8, reservationValue: 0.25)
        let tournament = Tournament(
            scenarios: [scenario], competitors: Self.competitors(["boulware", "conceder", "frequency", "random"]),
            protocolKind: kind, deadline: .steps(40), repetitions: 2)
        let records = try tournament.run(jobs: 2)
        var points: [[Double]] = []
        scenario.space.forEachOutcome { points.append(scenario.utilities(of: $0)); return true }
        let frontier = points.filter { p in !points.contains { q in q[0] >= p[0] && q[1] >= p[1] && q != p } }
        let nash = frontier.filter { $0[0] > 0.25 && $0[1] > 0.25 }.max { ($0[0] - 0.25) * ($0[1] - 0.25) < ($1[0] - 0.25) * ($1[1] - 0.25) }!
        func distance(_ a: [Double], _ b: [Double]) -> Double { ((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1])).squareRoot() }
        for record in records {
            let expected = record.agreement.map { scenario.utilities(of: $0) } ?? [0.25, 0.25]
            #expect(record.utilities == expected)
            #expect(record.welfare == expected[0] + expected[1])
            #expect(abs(record.distanceToFrontier - frontier.map { distance(expected, $0) }.min()!) < 1e-12)
            #expect(abs(record.distanceToNash - distance(expected, nash)) < 1e-12)
            #expect(record.steps <= 40)
        }
        let scores = tournament.scores(records)
        for (index, score) in scores.enumerated() {
            let mine = records.flatMap { record in record.match.seats.enumerated().filter { $0.element == index }.map { (record, $0.offset) } }
            #expect(score.negotiations == mine.count)
            #expect(abs(score.meanUtility - mine.map { $0.0.utilities[$0.1] }.reduce(0, +) / Double(mine.count)) < 1e-12)
            #expect(score.agreementRate == Double(mine.filter { $0.0.agreement != nil }.count) / Double(mine.count))
        }
    }

    @Test func refusesScenariosWithoutTwoParties() {
        let three = ScenarioGenerator.linearAdditive(issues: 2, options: 2, parties: 3, seed: 1)
        let tournament = Tournament(scenarios: [three], competitors: Self.competitors(["boulware", "linear"]))
        #expect(throws: Tournament.Failure.self) { try tournament.run() }
        let lonely = Tournament(scenarios: [], competitors: Self.competitors(["boulware"]))
        #expect(throws: Tournament.Failure.self) { try lonely.run() }
    }
}
