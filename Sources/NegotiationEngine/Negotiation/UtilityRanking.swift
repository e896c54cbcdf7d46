/// One party's outcomes sorted by its own utility: what a negotiator needs to answer "the least
/// I can offer now is u; which package is that?" in O(log n).
///
/// Built once per scenario and party and shared (it is immutable) by every negotiation that
/// seats the party, so a tournament pays for the sort once, not once per negotiation.
/// Outcomes outside the party's red lines (forbidden options) are left out: a negotiator that
/// proposes from the ranking cannot propose them.
public final class UtilityRanking: Sendable {
    /// The largest space a ranking enumerates (16 bytes an outcome).
    public static let maximumOutcomes = 20_000_000

    public let space: OutcomeSpace
    /// Ascending; ties in the order the space enumerates outcomes (first issue most significant).
    public let utilities: [Double]
    /// `ranked[k]` is the mixed-radix index of the outcome with the k-th smallest utility.
    private let ranked: [UInt32]
    /// The first rank whose utility reaches the reservation value; ranks before it are irrational.
    public let firstRational: Int
    private let contributions: [[Double]]?
    private let exact: ExactLinearUtility?
    private let party: Party
    private let radices: [Int]

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case tooLarge(outcomes: String)
        case noAllowedOutcome(party: String)

        public var description: String {
            switch self {
            case .tooLarge(let outcomes):
                "the scenario has \(outcomes) outcomes; negotiators rank at most \(UtilityRanking.maximumOutcomes) (discretise real issues or choose fewer options)"
            case .noAllowedOutcome(let party):
                "every outcome crosses a red line of \(party); nothing can be proposed"
            }
        }
    }

    /// Ranks the outcomes of every party of `scenario`, in one pass over the space.
    public static func rankings(for scenario: Scenario) throws(Failure) -> [UtilityRanking] {
        let count = scenario.space.count
        guard let total = count.intValue, total <= maximumOutcomes, scenario.space.isFinite else {
            throw .tooLarge(outcomes: count.description)
        }
        let parties = scenario.parties.count
        var columns = [[(Double, UInt32)]](repeating: [], count: parties)
        for party in 0..<parties { columns[party].reserveCapacity(total) }
        var index: UInt32 = 0
        let evaluator = OutcomeEvaluator(scenario)
        let allOptions = scenario.space.optionCounts.map { Array(0..<$0) }
        evaluator.forEach(allowedOptions: allOptions) { outcome, utilities in
            for party in 0..<parties where scenario.parties[party].allows(outcome) {
                columns[party].append((utilities[party], index))
            }
            index &+= 1
            return true
        }
        var rankings: [UtilityRanking] = []
        for party in 0..<parties {
            guard !columns[party].isEmpty else { throw .noAllowedOutcome(party: scenario.parties[party].name) }
            columns[party].sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            rankings.append(UtilityRanking(scenario: scenario, party: party, sorted: columns[party]))
        }
        return rankings
    }

    private init(scenario: Scenario, party index: Int, sorted: [(Double, UInt32)]) {
        space = scenario.space
        party = scenario.parties[index]
        utilities = sorted.map(\.0)
        ranked = sorted.map(\.1)
        radices = scenario.space.optionCounts
        exact =
            if case .linearAdditive(let function) = party.utility {
                function.exact(in: scenario.space)
            } else {
                nil
            }
        if exact == nil, case .linearAdditive(let function) = party.utility, function.maximumTotal == nil {
            contributions = function.contributions(in: scenario.space)
        } else {
            contributions = nil
        }
        firstRational = Self.lowerBound(of: party.reservationValue, in: utilities)
    }

    /// The first index of ascending `values` holding at least `value` (`values.count` if none).
    private static func lowerBound(of value: Double, in values: [Double]) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    public var count: Int { utilities.count }
    public var best: Outcome { outcome(atRank: count - 1) }
    public var bestUtility: Double { utilities[count - 1] }
    public var worstUtility: Double { utilities[0] }
    public var hasRationalOutcome: Bool { firstRational < count }

    /// The outcome at `rank` (0 is the worst for the party).
    public func outcome(atRank rank: Int) -> Outcome {
        var rest = Int(ranked[rank])
        var options = [UInt32](repeating: 0, count: radices.count)
        for issue in stride(from: radices.count - 1, through: 0, by: -1) {
            options[issue] = UInt32(rest % radices[issue])
            rest /= radices[issue]
        }
        return Outcome(options)
    }

    /// The options of the outcome at `rank` written into `options` (one per issue), without
    /// building an ``Outcome``: for scanning many ranks, since each outcome built allocates.
    func options(atRank rank: Int, into options: inout [Int]) {
        var rest = Int(ranked[rank])
        for issue in stride(from: radices.count - 1, through: 0, by: -1) {
            options[issue] = rest % radices[issue]
            rest /= radices[issue]
        }
    }

    /// The party's utility of any outcome, bit-identical to the values the ranking sorted.
    public func utility(of outcome: Outcome) -> Double {
        if let exact { return exact.utility(exact.total(of: outcome)) }
        guard let contributions else { return party.utility.utility(of: outcome, in: space) }
        var total = 0.0
        for issue in 0..<contributions.count { total += contributions[issue][outcome[issue]] }
        return total
    }

    /// The first rank whose utility is at least `utility` (``count`` when there is none).
    public func firstRank(atLeast utility: Double) -> Int {
        Self.lowerBound(of: utility, in: utilities)
    }

    /// The first rank holding `utilities[rank]` (the earliest of a run of equal utilities).
    public func firstRank(equalTo rank: Int) -> Int {
        firstRank(atLeast: utilities[rank])
    }

    /// The outcome NegMAS's presorted inverter returns for "the worst outcome at or above
    /// `least`": the first rational rank at or above it, unless an outcome within 10⁻⁶ below it
    /// is strictly nearer (NegMAS's clamping tolerance), and the best outcome when nothing is
    /// rational.
    func worstOutcome(atLeast least: Double) -> Outcome {
        guard hasRationalOutcome else { return best }
        let firstAtLeast = firstRank(atLeast: least)
        let chosen = min(max(firstAtLeast, firstRational), count - 1)
        var rank = chosen
        let below = firstAtLeast - 1
        if below >= 0, utilities[below] >= least - 1e-6,
            least - utilities[below] < abs(utilities[chosen] - least)
        {
            rank = firstRank(equalTo: below)
        }
        return outcome(atRank: rank)
    }
}
