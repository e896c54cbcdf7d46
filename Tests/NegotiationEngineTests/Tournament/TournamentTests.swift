import NegotiationEngine
import Testing

struct TournamentTests {
    static func competitors(_ names: [String]) -> [Tournament.Competitor] {
        names.map { name in Tournament.Competitor(name: name) { NegotiatorCatalog.make(name)! } }
    }

    @Test func everyOrderedPairOnEveryScenarioWithEachRepetition() {
        let scenarios = (0..<2).map {
            ScenarioGenerator.linearAdditive(issues: 2, options: 3, parties: 2, seed: UInt64($0))
        }
        let tournament = Tournament(
            scenarios: scenarios,
            competitors: Self.competitors(["boulware", "linear", "conceder"]),
            repetitions: 3
        )
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
        let selfPlay = Tournament(
            scenarios: scenarios,
            competitors: Self.competitors(["boulware", "linear"]),
            selfPlay: true
        )
        #expect(selfPlay.matches.count == 2 * 4)
    }

    /// Threads change nothing: the records are the same with one worker as with four.
    @Test func resultsDoNotDependOnThreads() throws {
        let scenarios = (0..<3).map {
            ScenarioGenerator.linearAdditive(issues: 3, options: 4, parties: 2, seed: UInt64($0), reservationValue: 0.3)
        }
        let tournament = Tournament(
            scenarios: scenarios,
            competitors: Self.competitors(NegotiatorCatalog.names),
            protocolKind: .shuttle,
            deadline: .steps(30),
            repetitions: 2,
            seed: 5
        )
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
        let scenario = ScenarioGenerator.linearAdditive(
            issues: 3,
            options: 4,
            parties: 2,
            seed: 8,
            reservationValue: 0.25
        )
        let tournament = Tournament(
            scenarios: [scenario],
            competitors: Self.competitors(["boulware", "conceder", "frequency", "random"]),
            protocolKind: kind,
            deadline: .steps(40),
            repetitions: 2
        )
        let records = try tournament.run(jobs: 2)
        var points: [[Double]] = []
        scenario.space.forEachOutcome {
            points.append(scenario.utilities(of: $0))
            return true
        }
        let frontier = points.filter { p in !points.contains { q in q[0] >= p[0] && q[1] >= p[1] && q != p } }
        let nash = frontier.filter { $0[0] > 0.25 && $0[1] > 0.25 }.max {
            ($0[0] - 0.25) * ($0[1] - 0.25) < ($1[0] - 0.25) * ($1[1] - 0.25)
        }!
        func distance(_ a: [Double], _ b: [Double]) -> Double {
            ((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1])).squareRoot()
        }
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
            let mine = records.flatMap { record in
                record.match.seats.enumerated().filter { $0.element == index }.map { (record, $0.offset) }
            }
            #expect(score.negotiations == mine.count)
            #expect(
                abs(score.meanUtility - mine.map { $0.0.utilities[$0.1] }.reduce(0, +) / Double(mine.count)) < 1e-12
            )
            #expect(score.agreementRate == Double(mine.filter { $0.0.agreement != nil }.count) / Double(mine.count))
        }
    }

    @Test func refusesScenariosItCannotSeat() {
        let three = ScenarioGenerator.linearAdditive(issues: 2, options: 2, parties: 3, seed: 1)
        let tooFew = Tournament(scenarios: [three], competitors: Self.competitors(["boulware", "linear"]))
        #expect(throws: Tournament.Failure.self) { try tooFew.run() }
        let shared = Tournament(
            scenarios: [three],
            competitors: Self.competitors(["boulware", "linear"]),
            selfPlay: true
        )
        #expect((try? shared.run())?.count == 8)
        let alone = ScenarioGenerator.linearAdditive(issues: 2, options: 2, parties: 1, seed: 1)
        #expect(throws: Tournament.Failure.self) {
            try Tournament(scenarios: [alone], competitors: Self.competitors(["boulware", "linear"])).run()
        }
        let lonely = Tournament(scenarios: [], competitors: Self.competitors(["boulware"]))
        #expect(throws: Tournament.Failure.self) { try lonely.run() }
    }

    /// Three seats and four negotiators: each of the 4·3·2 line-ups once (with self-play, 4³).
    @Test func everyAssignmentOfThreeSeats() {
        let three = ScenarioGenerator.linearAdditive(issues: 2, options: 3, parties: 3, seed: 2)
        let names = ["boulware", "linear", "conceder", "tit-for-tat"]
        let tournament = Tournament(scenarios: [three], competitors: Self.competitors(names))
        let seats = tournament.matches.map(\.seats)
        #expect(seats.count == 24)
        #expect(Set(seats).count == 24)
        #expect(seats.allSatisfy { Set($0).count == 3 && $0.allSatisfy((0..<4).contains) })
        #expect(seats == seats.sorted { $0.lexicographicallyPrecedes($1) })
        let assignments = tournament.assignments(seatCount: 3)
        #expect(assignments.total == 24 && !assignments.isSample)
        let selfPlay = Tournament(scenarios: [three], competitors: Self.competitors(names), selfPlay: true)
        #expect(Set(selfPlay.matches.map(\.seats)).count == 64)
    }

    /// Two-party scenarios keep their line-ups and seeds when multilateral ones join after them.
    @Test func twoPartyMatchesStayAsTheyWere() {
        let two = ScenarioGenerator.linearAdditive(issues: 2, options: 3, parties: 2, seed: 3)
        let three = ScenarioGenerator.linearAdditive(issues: 2, options: 3, parties: 3, seed: 4)
        let names = ["boulware", "linear", "conceder"]
        let alone = Tournament(scenarios: [two], competitors: Self.competitors(names), repetitions: 2, seed: 9).matches
        let mixed = Tournament(scenarios: [two, three], competitors: Self.competitors(names), repetitions: 2, seed: 9)
            .matches
        #expect(Array(mixed.prefix(alone.count)) == alone)
        #expect(mixed.count == alone.count + 6 * 2)
    }

    /// Too many line-ups: a sample of the size asked, distinct, the same for the same seed.
    @Test func aSampleWhenThereAreTooMany() {
        let nine = ScenarioGenerator.linearAdditive(issues: 2, options: 2, parties: 9, seed: 5)
        let names = ["boulware", "linear", "conceder", "tit-for-tat", "frequency"]
        func tournament(seed: UInt64) -> Tournament {
            Tournament(
                scenarios: [nine, nine],
                competitors: Self.competitors(names),
                seed: seed,
                selfPlay: true,
                maximumAssignments: 50
            )
        }
        let sample = tournament(seed: 1).assignments(seatCount: 9)
        #expect(sample.total == 1_953_125)
        #expect(sample.isSample)
        #expect(Set(sample.seats).count == 50)
        #expect(tournament(seed: 1).assignments(seatCount: 9) == sample)
        #expect(tournament(seed: 2).assignments(seatCount: 9).seats != sample.seats)
        let matches = tournament(seed: 1).matches
        #expect(matches.count == 100)
        #expect(matches.filter { $0.scenario == 0 }.map(\.seats) == matches.filter { $0.scenario == 1 }.map(\.seats))
        #expect(Tournament.assignmentCount(competitors: 100, seats: 64, selfPlay: true) == nil)
    }

    /// Every seat of a three-party negotiation is scored: its utility is the agreement's (or its
    /// reservation value), and each negotiator's scores average the seats it took.
    @Test(arguments: NegotiationProtocol.allCases)
    func everySeatIsScored(kind: NegotiationProtocol) throws {
        let three = ScenarioGenerator.linearAdditive(issues: 3, options: 4, parties: 3, seed: 6, reservationValue: 0.2)
        let names = ["boulware", "linear", "conceder", "tit-for-tat"]
        let tournament = Tournament(
            scenarios: [three],
            competitors: Self.competitors(names),
            protocolKind: kind,
            deadline: .steps(40),
            repetitions: 2
        )
        let records = try tournament.run(jobs: 2)
        #expect(records.count == 48)
        let analysis = ScenarioAnalysis(three)
        for record in records {
            #expect(record.utilities.count == 3)
            let expected = record.agreement.map { three.utilities(of: $0) } ?? three.parties.map(\.reservationValue)
            #expect(record.utilities == expected)
            let nash = analysis.nash!.utilities
            let distance = zip(record.utilities, nash).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            #expect(abs(record.distanceToNash - distance) < 1e-12)
        }
        #expect(records.contains { $0.agreement != nil })
        let scores = tournament.scores(records)
        for (competitor, score) in scores.enumerated() {
            let taken = records.flatMap { record in
                record.match.seats.enumerated().filter { $0.element == competitor }.map { record.utilities[$0.offset] }
            }
            #expect(score.negotiations == taken.count)
            #expect(abs(score.meanUtility - taken.reduce(0, +) / Double(taken.count)) < 1e-12)
        }
    }
}
