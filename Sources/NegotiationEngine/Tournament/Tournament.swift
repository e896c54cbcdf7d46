import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Every assignment of competitors to the seats of every scenario (for two parties: every ordered
/// pair, both role orders), repeated with seeds, spread over worker threads. Scenarios of three
/// or more parties seat as many negotiators (see ``Assignments``). Each negotiation gets its own
/// negotiators and a seed derived from the tournament's, so the results do not depend on the
/// number of threads.
public struct Tournament: Sendable {
    /// A negotiator type in the tournament: a name and a way to make a fresh one.
    public struct Competitor: Sendable {
        public var name: String
        public var make: @Sendable () -> any Negotiator

        public init(name: String, make: @escaping @Sendable () -> any Negotiator) {
            self.name = name
            self.make = make
        }
    }

    /// One negotiation to run: `seats[k]` is the competitor playing party k.
    public struct Match: Sendable, Hashable {
        public var scenario: Int
        public var seats: [Int]
        public var repetition: Int
        public var seed: UInt64
    }

    /// What one negotiation gave.
    public struct Record: Sendable {
        public var match: Match
        public var agreement: Outcome?
        public var ending: NegotiationResult.Ending
        /// Each seat's utility: of the agreement (discounted where the party discounts), or its
        /// reservation value (0 when it has none) without one.
        public var utilities: [Double]
        public var steps: Int
        public var distanceToFrontier: Double
        public var distanceToNash: Double

        /// The sum of the seats' utilities.
        public var welfare: Double { utilities.reduce(0, +) }

        public init(
            match: Match,
            agreement: Outcome?,
            ending: NegotiationResult.Ending,
            utilities: [Double],
            steps: Int,
            distanceToFrontier: Double,
            distanceToNash: Double
        ) {
            self.match = match
            self.agreement = agreement
            self.ending = ending
            self.utilities = utilities
            self.steps = steps
            self.distanceToFrontier = distanceToFrontier
            self.distanceToNash = distanceToNash
        }
    }

    /// Per competitor, over every seat it took.
    public struct Score: Sendable {
        public var name: String
        public var negotiations: Int
        public var meanUtility: Double
        public var agreementRate: Double
        public var meanDistanceToFrontier: Double
        public var meanDistanceToNash: Double
        public var meanWelfare: Double
        public var meanSteps: Double
    }

    public enum Failure: Error, CustomStringConvertible {
        case unsupportedPartyCount(scenario: String, parties: Int)
        case tooFewForSeats(scenario: String, seats: Int, competitors: Int)
        case ranking(scenario: String, UtilityRanking.Failure)
        case tooFewCompetitors

        public var description: String {
            switch self {
            case .unsupportedPartyCount(let scenario, let parties):
                "scenario \(scenario) has \(parties) part\(parties == 1 ? "y" : "ies"); a negotiation needs 2 to 64"
            case .tooFewForSeats(let scenario, let seats, let competitors):
                "scenario \(scenario) has \(seats) seats but only \(competitors) negotiators are given; name \(seats) or more, or allow self-play so one negotiator may take several seats"
            case .ranking(let scenario, let failure): "scenario \(scenario): \(failure)"
            case .tooFewCompetitors: "a tournament needs at least two negotiators (or one with self-play)"
            }
        }
    }

    public var scenarios: [Scenario]
    public var competitors: [Competitor]
    public var protocolKind: NegotiationProtocol
    public var deadline: Deadline
    public var repetitions: Int
    public var seed: UInt64
    /// Whether a competitor also meets itself.
    public var selfPlay: Bool
    /// The shuttle mediator's chance of relaying an offer rather than showing its own package.
    public var relayProbability: Double
    /// Whether the shuttle protocol's mediator is the informed one (``ShuttleMediation``), which
    /// holds every seat's preferences in confidence, rather than the relaying one.
    public var informedMediator: Bool
    /// The most assignments of competitors to seats run per scenario; above it, a seeded sample
    /// of this many (see ``assignments(seatCount:)``).
    public var maximumAssignments: Int
    /// Seconds of wall clock after which a negotiation is ended as timed out (between steps),
    /// so that one that never ends cannot hold the tournament; `nil` for none.
    public var negotiationTimeout: Double?

    public init(
        scenarios: [Scenario],
        competitors: [Competitor],
        protocolKind: NegotiationProtocol = .alternatingOffers,
        deadline: Deadline = .steps(100),
        repetitions: Int = 1,
        seed: UInt64 = 0,
        selfPlay: Bool = false,
        relayProbability: Double = 0.5,
        informedMediator: Bool = false,
        maximumAssignments: Int = 10_000
    ) {
        self.scenarios = scenarios
        self.competitors = competitors
        self.protocolKind = protocolKind
        self.deadline = deadline
        self.repetitions = repetitions
        self.seed = seed
        self.selfPlay = selfPlay
        self.relayProbability = relayProbability
        self.informedMediator = informedMediator
        self.maximumAssignments = maximumAssignments
    }

    /// Every negotiation, in a fixed order: scenario, assignment (for two seats: first seat, then
    /// second), repetition.
    public var matches: [Match] {
        var matches: [Match] = []
        let bySize = Dictionary(uniqueKeysWithValues: assignmentsBySize.map { ($0.seatCount, $0) })
        for (scenario, description) in scenarios.enumerated() {
            for seats in bySize[description.parties.count]!.seats {
                for repetition in 0..<repetitions {
                    let index = UInt64(matches.count)
                    matches.append(
                        Match(
                            scenario: scenario,
                            seats: seats,
                            repetition: repetition,
                            seed: NegotiationTable.derive(seed, index &+ 1)
                        )
                    )
                }
            }
        }
        return matches
    }

    /// The assignments of each scenario size the tournament has, smallest first.
    public var assignmentsBySize: [Assignments] {
        Set(scenarios.map(\.parties.count)).sorted().map { assignments(seatCount: $0) }
    }

    /// What a tournament needs of a scenario, computed once and shared by its negotiations.
    struct Prepared: Sendable {
        var rankings: [UtilityRanking]
        var frontier: [[Double]]
        var nash: [Double]?
        var disagreement: [Double]
        /// For the informed mediator: ``ScenarioAnalysis/suggestions``.
        var suggestions: [UtilityPoint]?
    }

    /// Ranks and analyses every scenario, on up to `jobs` threads.
    func prepare(jobs: Int) throws(Failure) -> [Prepared] {
        guard competitors.count >= 2 || (selfPlay && !competitors.isEmpty) else { throw .tooFewCompetitors }
        for scenario in scenarios {
            let n = scenario.parties.count
            guard (2...64).contains(n) else { throw .unsupportedPartyCount(scenario: scenario.name, parties: n) }
            if !selfPlay, competitors.count < n {
                throw .tooFewForSeats(scenario: scenario.name, seats: n, competitors: competitors.count)
            }
        }
        let results = Self.parallelMap(scenarios, jobs: jobs) { scenario -> Result<Prepared, Failure> in
            do throws(UtilityRanking.Failure) {
                let rankings = try UtilityRanking.rankings(for: scenario)
                let analysis = ScenarioAnalysis(scenario)
                return .success(
                    Prepared(
                        rankings: rankings,
                        frontier: analysis.frontier.map(\.utilities),
                        nash: analysis.nash?.utilities,
                        disagreement: scenario.parties.map { $0.reservationValue.isFinite ? $0.reservationValue : 0 },
                        suggestions: informedMediator ? analysis.suggestions : nil
                    )
                )
            } catch {
                return .failure(.ranking(scenario: scenario.name, error))
            }
        }
        return try results.map { result throws(Failure) in try result.get() }
    }

    /// Runs every match (or, with `shard`, its slice) on `jobs` threads; `progress(done, total)`
    /// is called (from worker threads) after each negotiation, and `finished(index, record)` with
    /// each record as it ends (its index among the slice's matches), so that a caller can keep it
    /// before the next ends. The records in `done`, by index, are taken as they are rather than
    /// run again: a run resumed after a crash.
    public func run(
        jobs: Int = 1,
        shard: Shard = .whole,
        done: [Int: Record] = [:],
        progress: (@Sendable (Int, Int) -> Void)? = nil,
        finished: (@Sendable (Int, Record) -> Void)? = nil
    ) throws(Failure) -> [Record] {
        let matches = shard.slice(of: self.matches)
        let remaining = matches.indices.filter { done[$0] == nil }
        // Preparing checks every scenario (and says why one cannot be seated); a run resumed
        // with every negotiation done has nothing left to prepare for.
        let prepared = remaining.isEmpty && !matches.isEmpty ? [] : try prepare(jobs: jobs)
        let ran = Self.parallelMap(remaining, jobs: jobs, progress: progress) { index in
            let record = play(matches[index], prepared[matches[index].scenario])
            finished?(index, record)
            return record
        }
        var records = done
        for (index, record) in zip(remaining, ran) { records[index] = record }
        return matches.indices.map { records[$0]! }
    }

    /// One of `count` deterministic slices of a tournament, for running it on several machines:
    /// shard `number` (from 1) takes the matches whose position in ``matches`` leaves
    /// `number − 1` when divided by `count`, so every slice mixes every scenario and pairing.
    /// Each match keeps the seed it has in the whole tournament, so the slices' negotiations are
    /// the whole run's, to the bit.
    public struct Shard: Sendable, Hashable {
        public var number: Int
        public var count: Int

        public static let whole = Shard(number: 1, count: 1)

        public init(number: Int, count: Int) {
            precondition(count >= 1 && (1...count).contains(number), "shard \(number) of \(count)")
            self.number = number
            self.count = count
        }

        /// This shard's matches of `matches`, in order.
        public func slice<Element>(of matches: [Element]) -> [Element] {
            stride(from: number - 1, to: matches.count, by: count).map { matches[$0] }
        }

        /// Which of `count` shards holds the match at `position` of the whole tournament, and
        /// where (from 0) among that shard's matches: the inverse of ``slice(of:)``.
        public static func holder(of position: Int, among count: Int) -> (shard: Int, index: Int) {
            (position % count + 1, position / count)
        }
    }

    /// `transform` of every element, in order, computed on up to `jobs` threads that take the next
    /// element as they finish; `progress(done, total)` after each.
    static func parallelMap<Element: Sendable, Mapped: Sendable>(
        _ elements: [Element],
        jobs: Int,
        progress: (@Sendable (Int, Int) -> Void)? = nil,
        _ transform: @Sendable (Element) -> Mapped
    ) -> [Mapped] {
        let results = Mutex<[Mapped?]>(Array(repeating: nil, count: elements.count))
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, elements.count))) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < elements.count else { return }
                let result = transform(elements[index])
                results.withLock { $0[index] = result }
                progress?(done.add(1, ordering: .relaxed).newValue, elements.count)
            }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// One negotiation of `match`, with its scores.
    func play(_ match: Match, _ prepared: Prepared) -> Record {
        let scenario = scenarios[match.scenario]
        let negotiators = match.seats.map { competitors[$0].make() }
        let result = protocolKind.mechanism(
            scenario,
            rankings: prepared.rankings,
            negotiators: negotiators,
            deadline: deadline,
            seed: match.seed,
            recordsTrace: false,
            relayProbability: relayProbability,
            suggestions: prepared.suggestions
        ).run(timeLimit: negotiationTimeout)
        var utilities = prepared.disagreement
        if let agreement = result.agreement {
            for (party, description) in scenario.parties.enumerated() {
                let elapsed: Double
                switch description.discount {
                case .perRound: elapsed = Double(max(result.steps - 1, 0))
                default: elapsed = result.relativeTime
                }
                utilities[party] = description.discountedUtility(of: agreement, in: scenario.space, elapsed: elapsed)
            }
        }
        return Record(
            match: match,
            agreement: result.agreement,
            ending: result.ending,
            utilities: utilities,
            steps: result.steps,
            distanceToFrontier: Self.distance(from: utilities, toNearestOf: prepared.frontier),
            distanceToNash: prepared.nash.map { Self.distance(utilities, $0) } ?? .nan
        )
    }

    /// `match` again, with its full trace (the same seed gives the same negotiation).
    public func replay(_ match: Match) throws(UtilityRanking.Failure) -> NegotiationResult {
        let scenario = scenarios[match.scenario]
        return protocolKind.mechanism(
            scenario,
            rankings: try UtilityRanking.rankings(for: scenario),
            negotiators: match.seats.map { competitors[$0].make() },
            deadline: deadline,
            seed: match.seed,
            relayProbability: relayProbability,
            suggestions: informedMediator ? ScenarioAnalysis(scenario).suggestions : nil
        ).run()
    }

    static func distance(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for k in a.indices { sum += (a[k] - b[k]) * (a[k] - b[k]) }
        return sqrt(sum)
    }

    static func distance(from point: [Double], toNearestOf points: [[Double]]) -> Double {
        points.reduce(Double.infinity) { min($0, distance(point, $1)) }
    }

    /// Per-competitor scores over `records`, in the order of ``competitors``.
    public func scores(_ records: [Record]) -> [Score] {
        Self.scores(
            of: records.map { record in
                Scored(
                    seats: record.match.seats,
                    utilities: record.utilities,
                    agreed: record.agreement != nil,
                    steps: record.steps,
                    distanceToFrontier: record.distanceToFrontier,
                    distanceToNash: record.distanceToNash
                )
            },
            names: competitors.map(\.name)
        )
    }

    /// What a negotiation counts for in the scores: enough to score negotiations read back from
    /// files (a tournament run in shards is scored once they are merged).
    public struct Scored: Sendable {
        /// The competitor in each seat, by their position among the tournament's competitors.
        public var seats: [Int]
        public var utilities: [Double]
        public var agreed: Bool
        public var steps: Int
        public var distanceToFrontier: Double
        public var distanceToNash: Double

        public init(
            seats: [Int],
            utilities: [Double],
            agreed: Bool,
            steps: Int,
            distanceToFrontier: Double,
            distanceToNash: Double
        ) {
            self.seats = seats
            self.utilities = utilities
            self.agreed = agreed
            self.steps = steps
            self.distanceToFrontier = distanceToFrontier
            self.distanceToNash = distanceToNash
        }
    }

    /// Scores of the competitors `names` over `negotiations`, in the order given: sums are formed
    /// in that order, so the same negotiations in the same order give the same scores to the bit.
    public static func scores(of negotiations: [Scored], names: [String]) -> [Score] {
        names.indices.map { competitor in
            var count = 0
            var utility = 0.0
            var agreements = 0
            var frontier = 0.0
            var nash = 0.0
            var nashCount = 0
            var welfare = 0.0
            var steps = 0.0
            for negotiation in negotiations {
                for (seat, who) in negotiation.seats.enumerated() where who == competitor {
                    count += 1
                    utility += negotiation.utilities[seat]
                    if negotiation.agreed { agreements += 1 }
                    frontier += negotiation.distanceToFrontier
                    if !negotiation.distanceToNash.isNaN {
                        nash += negotiation.distanceToNash
                        nashCount += 1
                    }
                    welfare += negotiation.utilities.reduce(0, +)
                    steps += Double(negotiation.steps)
                }
            }
            let n = Double(max(count, 1))
            return Score(
                name: names[competitor],
                negotiations: count,
                meanUtility: utility / n,
                agreementRate: Double(agreements) / n,
                meanDistanceToFrontier: frontier / n,
                meanDistanceToNash: nashCount > 0 ? nash / Double(nashCount) : .nan,
                meanWelfare: welfare / n,
                meanSteps: steps / n
            )
        }
    }
}
