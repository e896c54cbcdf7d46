import NegotiationEngine
import Talks
import TalksTesting
import Testing

/// Rehearsal in the room: a delegation plays its own preferences against counterparts that play
/// its guess of the other side's, and nothing of it leaves the room.
struct RehearsalTests {
    static let usGuessOfIran = ImprovementsTests.preferences[1]

    /// Talks on the three-issue agenda where the US stored its preferences and its guess of Iran's.
    static func fixture() throws -> Fixture {
        var fixture = try Fixture(parties: ImprovementsTests.parties)
        try fixture.run(.setAgenda(ImprovementsTests.agenda), by: fixture.mediator)
        try fixture.run(.storePreferences(ImprovementsTests.preferences[0]), by: Fixture.id("US", .expert))
        try fixture.run(.storeGuess(about: "Iran", usGuessOfIran), by: Fixture.id("US", .technicalLead))
        return fixture
    }

    static let everyone =
        ["mediator"] + ["US", "Iran"].flatMap { party in Role.allCases.map { "\(party)-\($0.rawValue)" } }

    @Test func guessesAndRehearsalsAreSeenInTheirRoomOnly() throws {
        var fixture = try Self.fixture()
        let settings = RehearsalSettings(
            counterpart: "conceder",
            negotiationProtocol: "sao",
            steps: 20,
            seed: 3,
            player: "boulware"
        )
        try fixture.run(.recordRehearsal(settings), by: Fixture.id("US", .principal))
        for name in Self.everyone {
            let member = fixture.talks.state.members[MemberID(name)]!
            let seen = fixture.visible(to: member.id).map(\.event).filter {
                switch $0 {
                case .guessStored, .rehearsalHeld: true
                default: false
                }
            }
            #expect(seen.count == (member.party == "US" ? 2 : 0), "\(name)")
            for event in fixture.record {
                #expect(
                    Visibility.canSee(member, event, in: fixture.talks.state)
                        == VisibilityOracle.shouldSee(member, event.event, state: fixture.talks.state)
                )
            }
        }
        #expect(throws: TalksError.forbidden("observers read; they do not write")) {
            try fixture.run(.recordRehearsal(settings), by: Fixture.id("US", .observer))
        }
        #expect(throws: TalksError.rule("US's own preferences are stored as preferences, not as a guess")) {
            try fixture.run(.storeGuess(about: "US", Self.usGuessOfIran), by: Fixture.id("US", .principal))
        }
        #expect(throws: TalksError.rule("enter your guess of US's preferences first: the counterpart plays it")) {
            try fixture.run(.storePreferences(ImprovementsTests.preferences[1]), by: Fixture.id("Iran", .principal))
            try fixture.run(.recordRehearsal(settings), by: Fixture.id("Iran", .principal))
        }
    }

    /// Watched, a rehearsal is the engine's own negotiation of the delegation's preferences
    /// against its guess, event for event.
    @Test(arguments: ["sao", "single-text", "shuttle"])
    func aWatchedRehearsalIsTheEnginesNegotiation(kind: String) throws {
        let talks = try Self.fixture().talks
        let settings = RehearsalSettings(
            counterpart: "tit-for-tat",
            negotiationProtocol: kind,
            steps: 30,
            seed: 9,
            player: "linear"
        )
        let transcript = try talks.rehearse(for: "US", settings, moves: [])
        let space = OutcomeSpace(issues: ImprovementsTests.agenda.map { Issue(name: $0.name, options: $0.options) })
        let parties = zip(["US", "Iran"], ImprovementsTests.preferences).map {
            try! $1.party(named: $0, agenda: ImprovementsTests.agenda).get()
        }
        let scenario = Scenario(name: "direct", space: space, parties: parties)
        let direct = NegotiationProtocol(rawValue: kind)!.mechanism(
            scenario,
            rankings: try UtilityRanking.rankings(for: scenario),
            negotiators: [TimeBasedNegotiator.linear(), NaiveTitForTat()],
            deadline: .steps(30),
            seed: 9
        ).run()
        #expect(transcript.lines.count == direct.trace.count)
        #expect(transcript.lines.map(\.step) == direct.trace.map(\.step))
        #expect(
            transcript.agreement
                == direct.agreement.map {
                    Dictionary(uniqueKeysWithValues: zip(space.issues.map(\.name), space.labels(of: $0)))
                }
        )
        #expect(transcript.request == nil && transcript.ending != nil)
    }

    /// Played move by move, each answer extends the same rehearsal: what came before never
    /// changes, the seat sees only its audience (in the shuttle, never the other side's offers),
    /// and the moves replay to the same end.
    @Test(arguments: ["sao", "single-text", "shuttle"])
    func aPlayedRehearsalReplaysFromItsMoves(kind: String) throws {
        let talks = try Self.fixture().talks
        let settings = RehearsalSettings(counterpart: "conceder", negotiationProtocol: kind, steps: 12, seed: 4)
        let best = ["enrichment": "none", "relief": "none", "inspections": "snap"]
        var moves: [RehearsalMove] = []
        var previous = try talks.rehearse(for: "US", settings, moves: [])
        var rounds = 0
        while let request = previous.request {
            rounds += 1
            switch request.type {
            case "propose": moves.append(.offer(best))
            case "respond": moves.append(rounds > 6 ? .accept : .reject)
            default: moves.append(rounds > 6 ? .accept : .reject)
            }
            let next = try talks.rehearse(for: "US", settings, moves: moves)
            #expect(
                Array(next.lines.prefix(previous.lines.count)) == previous.lines,
                "a move never rewrites what came before"
            )
            #expect(next.lines.count >= previous.lines.count)
            previous = next
            if rounds > 100 { break }
        }
        #expect(previous.ending != nil, "the rehearsal ends")
        #expect(rounds > 1)
        if kind == "shuttle" {
            #expect(
                !previous.lines.contains { $0.by == "Iran" },
                "in the shuttle the seat never sees the other side's moves"
            )
        }
        #expect(try talks.rehearse(for: "US", settings, moves: moves) == previous)
    }

    @Test func movesThatDoNotFitAreRefusedSayingWhich() throws {
        let talks = try Self.fixture().talks
        let settings = RehearsalSettings(counterpart: "conceder", negotiationProtocol: "sao", steps: 10, seed: 1)
        #expect(throws: TalksError.invalid("move 1 answers a request for an offer with accept or reject")) {
            try talks.rehearse(for: "US", settings, moves: [.accept])
        }
        #expect(
            throws: TalksError.invalid("move 1 offers a package that does not name one option of every agenda issue")
        ) {
            try talks.rehearse(for: "US", settings, moves: [.offer(["enrichment": "none"])])
        }
        #expect(
            throws: TalksError.invalid(
                "unknown negotiator 'nobody'; choose from \(NegotiatorCatalog.names.joined(separator: ", "))"
            )
        ) {
            try talks.rehearse(
                for: "US",
                RehearsalSettings(counterpart: "nobody", negotiationProtocol: "sao", steps: 10, seed: 1),
                moves: []
            )
        }
        #expect(throws: TalksError.invalid("a rehearsal lasts 1 to 200 steps")) {
            try talks.rehearse(
                for: "US",
                RehearsalSettings(counterpart: "linear", negotiationProtocol: "sao", steps: 0, seed: 1),
                moves: []
            )
        }
        #expect(throws: TalksError.rule("store your delegation's preferences first: the rehearsal plays them")) {
            try talks.rehearse(for: "Iran", settings, moves: [])
        }
    }
}
