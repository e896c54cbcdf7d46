import NegotiationEngine
import Testing

@testable import NegotiationFormats

/// Shards of a tournament merge into the whole run's files, and a merge that cannot be made says
/// which shard is wrong.
struct TournamentShardsTests {
    static let tournament = tournament(parties: [2, 2])
    /// A two-party and a three-party scenario in one tournament.
    static let mixed = tournament(parties: [2, 3])

    static func tournament(parties: [Int]) -> Tournament {
        Tournament(
            scenarios: [
                ScenarioGenerator.linearAdditive(
                    issues: 3,
                    options: 4,
                    parties: parties[0],
                    seed: 1,
                    reservationValue: 0.2
                ),
                ScenarioGenerator.linearAdditive(
                    issues: 2,
                    options: 5,
                    parties: parties[1],
                    seed: 2,
                    reservationValue: 0.3
                ),
            ],
            competitors: ["boulware", "conceder", "tit-for-tat"].map { name in
                Tournament.Competitor(name: name) { NegotiatorCatalog.make(name)! }
            },
            protocolKind: .alternatingOffers,
            deadline: .steps(40),
            repetitions: 2,
            seed: 7
        )
    }

    static func parts(_ count: Int, of tournament: Tournament = tournament) throws -> [TournamentShards.Part] {
        try (1...count).map { number in
            let shard = Tournament.Shard(number: number, count: count)
            let records = try tournament.run(jobs: 2, shard: shard)
            return TournamentShards.Part(
                source: "shard\(number)",
                manifest: TournamentShards.manifest(
                    tournament,
                    shard: shard,
                    negotiations: records.count,
                    seconds: 0.5,
                    jobs: 2
                ),
                negotiations: NegotiationReport.negotiationsCSV(tournament, records)
            )
        }
    }

    /// 24 negotiations in 5 uneven slices (5, 5, 5, 5, 4), merged in reverse order.
    @Test(arguments: [1, 3, 5, 24, 30])
    func mergedShardsAreTheWholeRunByteForByte(count: Int) throws {
        let records = try Self.tournament.run(jobs: 2)
        let merged = try TournamentShards.merge(try Self.parts(count).reversed())
        #expect(merged.negotiationsCSV == NegotiationReport.negotiationsCSV(Self.tournament, records))
        #expect(merged.scoresCSV == NegotiationReport.scoresCSV(Self.tournament.scores(records)))
        #expect(merged.negotiations == 24)
        #expect(merged.seconds == 0.5 * Double(count))
    }

    /// Three-seat rows (one utility column per seat, two-seat rows padded) merge the same way.
    @Test func mergedMultilateralShardsAreTheWholeRun() throws {
        let records = try Self.mixed.run(jobs: 2)
        let whole = NegotiationReport.negotiationsCSV(Self.mixed, records)
        let lines = whole.split(separator: "\n")
        #expect(
            lines[0]
                == "scenario,seat_1,seat_2,seat_3,repetition,seed,ending,steps,agreement,utility_1,utility_2,utility_3,welfare,distance_to_frontier,distance_to_nash"
        )
        #expect(lines.count == 1 + 12 + 12)
        #expect(
            lines[1].split(separator: ",", omittingEmptySubsequences: false)[3] == "",
            "a two-party row leaves the third seat empty"
        )
        let merged = try TournamentShards.merge(try Self.parts(4, of: Self.mixed).shuffled())
        #expect(merged.negotiationsCSV == whole)
        #expect(merged.scoresCSV == NegotiationReport.scoresCSV(Self.mixed.scores(records)))
        #expect(merged.negotiations == 24)
    }

    @Test func aMergeThatCannotBeMadeSaysWhichShardIsWrong() throws {
        let parts = try Self.parts(3)
        #expect(throws: TournamentShards.Failure(description: "shards missing: 2 of 3")) {
            try TournamentShards.merge([parts[0], parts[2]])
        }
        #expect(throws: TournamentShards.Failure(description: "shard1: shard 1 given twice")) {
            try TournamentShards.merge([parts[0], parts[1], parts[2], parts[0]])
        }
        var other = Self.tournament
        other.seed = 8
        let foreign = TournamentShards.Part(
            source: "elsewhere",
            manifest: TournamentShards.manifest(
                other,
                shard: Tournament.Shard(number: 2, count: 3),
                negotiations: 8,
                seconds: 0,
                jobs: 1
            ),
            negotiations: parts[1].negotiations
        )
        let another = TournamentShards.Failure(
            description:
                "elsewhere: a shard of another tournament (its settings or its scenarios' contents differ from the first shard's)"
        )
        #expect(throws: another) { try TournamentShards.merge([parts[0], foreign, parts[2]]) }
        // The same scenario names and settings, one party's preferences changed: files edited
        // between the shards' runs, or read another way.
        var edited = Self.tournament
        edited.scenarios[0].parties[0].reservationValue += 0.01
        let reread = TournamentShards.Part(
            source: "elsewhere",
            manifest: TournamentShards.manifest(
                edited,
                shard: Tournament.Shard(number: 2, count: 3),
                negotiations: 8,
                seconds: 0,
                jobs: 1
            ),
            negotiations: parts[1].negotiations
        )
        #expect(throws: another) { try TournamentShards.merge([parts[0], reread, parts[2]]) }
        // A shard run with a negotiation time limit the others did not have.
        var limited = Self.tournament
        limited.negotiationTimeout = 5
        let timed = TournamentShards.Part(
            source: "elsewhere",
            manifest: TournamentShards.manifest(
                limited,
                shard: Tournament.Shard(number: 2, count: 3),
                negotiations: 8,
                seconds: 0,
                jobs: 1
            ),
            negotiations: parts[1].negotiations
        )
        #expect(throws: another) { try TournamentShards.merge([parts[0], timed, parts[2]]) }
        var cut = parts[1]
        cut.negotiations = String(cut.negotiations.dropLast(5))
        #expect(throws: TournamentShards.Failure.self) { try TournamentShards.merge([parts[0], cut, parts[2]]) }
        var short = parts[2]
        short.negotiations =
            short.negotiations.split(separator: "\n", omittingEmptySubsequences: false).dropLast(2).joined(
                separator: "\n"
            ) + "\n"
        #expect(throws: TournamentShards.Failure(description: "shard3: shard 3 of 3 should hold 8 negotiations, not 7"))
        {
            try TournamentShards.merge([parts[0], parts[1], short])
        }
        var garbled = parts[0]
        garbled.manifest = "{}"
        #expect(
            throws: TournamentShards.Failure(
                description: "shard1: shard.json is not a shard's manifest (shard, shards, tournament)"
            )
        ) {
            try TournamentShards.merge([garbled])
        }
    }
}
