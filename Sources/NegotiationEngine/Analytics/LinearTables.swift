/// Every party's weighted contribution for every option, for scenarios whose utilities are all
/// linear additive: the tables the merge, the fast enumeration and the zone count work on.
struct LinearTables: Sendable {
    let partyCount: Int
    /// `contributions[party][issue][option]`: weight × value.
    let contributions: [[[Double]]]
    let functions: [LinearAdditiveUtility]
    let space: OutcomeSpace

    init?(_ scenario: Scenario) {
        var functions: [LinearAdditiveUtility] = []
        for party in scenario.parties {
            guard case .linearAdditive(let function) = party.utility else { return nil }
            functions.append(function)
        }
        self.functions = functions
        space = scenario.space
        partyCount = functions.count
        contributions = functions.map { $0.contributions(in: scenario.space) }
    }

    /// `totals` with each party's cap applied.
    func capped(_ totals: [Double]) -> [Double] {
        zip(functions, totals).map { $0.capped($1) }
    }
}

/// A number a frontier can be built on: `Double` in binary arithmetic, `Int128` in exact.
protocol FrontierNumber: Comparable, Hashable, AdditiveArithmetic, Sendable {}
extension Double: FrontierNumber {}
extension Int128: FrontierNumber {}

extension ParetoFrontier {
    /// The issue-by-issue merge for linear additive utilities: exact sums when every party adds
    /// in decimal arithmetic (``ExactTables``), `Double` sums otherwise.
    static func merged(_ tables: LinearTables, allowedOptions: [[Int]]) -> [UtilityPoint] {
        let parties = tables.partyCount
        if let exact = ExactTables(tables) {
            let (sums, outcomes) = mergedSums(exact.contributions, allowedOptions: allowedOptions)
            var points = outcomes.enumerated().map { index, outcome in
                ExactPoint(
                    outcome: outcome,
                    totals: (0..<parties).map { exact.capped(sums[index * parties + $0], party: $0) }
                )
            }
            // A cap can make frontier points equal or dominated; for more than two parties the
            // merge's order is not the frontier's.
            if exact.hasCaps || parties != 2 { points = undominated(points) }
            return points.map { point in
                UtilityPoint(
                    outcome: point.outcome,
                    utilities: (0..<parties).map { exact.utility(point.totals[$0], party: $0) }
                )
            }
        }
        let (sums, outcomes) = mergedSums(tables.contributions, allowedOptions: allowedOptions)
        var anyCapped = false
        let points = outcomes.enumerated().map { index, outcome in
            let raw = Array(sums[(index * parties)..<((index + 1) * parties)])
            let utilities = tables.capped(raw)
            if utilities != raw { anyCapped = true }
            return UtilityPoint(outcome: outcome, utilities: utilities)
        }
        return anyCapped || parties != 2 ? nondominated(points) : points
    }

    /// A package and every party's exact total.
    struct ExactPoint: FrontierPoint {
        var outcome: Outcome
        var totals: [Int128]
        var vector: [Int128] { totals }
    }

    /// An option of an issue, or a partial sum of the merge, with its vector.
    struct Candidate<Value: FrontierNumber>: FrontierPoint {
        var parent: Int32
        var option: UInt32
        var vector: [Value]
    }

    /// Level k holds the frontier of the sums over the first k issues; level k + 1 adds each of
    /// issue k's non-dominated options to each of its points and keeps the non-dominated sums.
    /// Each level records, per point, its parent and option, so one package per frontier point
    /// is read back at the end without carrying whole packages through the levels.
    ///
    /// - Parameter contributions: `[party][issue][option]`.
    /// - Returns: the sums, `parties` values per point, and each point's package.
    /// - Complexity: O(Σ levels · options · log) time, O(levels · frontier) memory.
    static func mergedSums<Value: FrontierNumber>(
        _ contributions: [[[Value]]],
        allowedOptions: [[Int]]
    ) -> (sums: [Value], outcomes: [Outcome]) {
        let parties = contributions.count
        let issueCount = allowedOptions.count
        var sums = [Value](repeating: .zero, count: parties)  // flat, `parties` values per point
        var parents: [[Int32]] = []
        var choices: [[UInt32]] = []
        for issue in 0..<issueCount {
            let options = nondominatedOptions(contributions, issue: issue, allowed: allowedOptions[issue])
            let (nextSums, levelParents, levelChoices) =
                parties == 2
                ? mergeTwoParties(
                    sums,
                    options: options,
                    first: contributions[0][issue],
                    second: contributions[1][issue]
                )
                : mergeManyParties(sums, options: options, contributions: contributions, issue: issue)
            sums = nextSums
            parents.append(levelParents)
            choices.append(levelChoices)
        }
        let count = sums.count / max(parties, 1)
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(count)
        for index in 0..<count {
            var indices = [UInt32](repeating: 0, count: issueCount)
            var node = index
            for level in stride(from: issueCount - 1, through: 0, by: -1) {
                indices[level] = choices[level][node]
                node = Int(parents[level][node])
            }
            outcomes.append(Outcome(indices))
        }
        return (sums, outcomes)
    }

    /// The options of `issue` whose contribution vectors no other allowed option weakly
    /// dominates (the first of equal ones).
    private static func nondominatedOptions<Value: FrontierNumber>(
        _ contributions: [[[Value]]],
        issue: Int,
        allowed: [Int]
    ) -> [Int] {
        let points = allowed.map { option in
            Candidate(parent: 0, option: UInt32(option), vector: contributions.map { $0[issue][option] })
        }
        // Keep the first option among equal vectors, so results do not depend on the sort.
        var firstOfVector: [[Value]: Int] = [:]
        for point in points where firstOfVector[point.vector] == nil { firstOfVector[point.vector] = Int(point.option) }
        return undominated(points).map { firstOfVector[$0.vector]! }.sorted()
    }

    private struct PairCandidate<Value: FrontierNumber> {
        var first: Value
        var second: Value
        var parent: Int32
        var option: UInt32
    }

    private static func mergeTwoParties<Value: FrontierNumber>(
        _ sums: [Value],
        options: [Int],
        first firstTable: [Value],
        second secondTable: [Value]
    ) -> ([Value], [Int32], [UInt32]) {
        let count = sums.count / 2
        var candidates: [PairCandidate<Value>] = []
        candidates.reserveCapacity(count * options.count)
        for option in options {
            let a = firstTable[option]
            let b = secondTable[option]
            for index in 0..<count {
                candidates.append(
                    PairCandidate(
                        first: sums[2 * index] + a,
                        second: sums[2 * index + 1] + b,
                        parent: Int32(index),
                        option: UInt32(option)
                    )
                )
            }
        }
        candidates.sort { $0.first != $1.first ? $0.first > $1.first : $0.second > $1.second }
        var nextSums: [Value] = []
        var parents: [Int32] = []
        var choices: [UInt32] = []
        var best: Value?
        for candidate in candidates where best.map({ candidate.second > $0 }) ?? true {
            best = candidate.second
            nextSums.append(candidate.first)
            nextSums.append(candidate.second)
            parents.append(candidate.parent)
            choices.append(candidate.option)
        }
        return (nextSums, parents, choices)
    }

    private static func mergeManyParties<Value: FrontierNumber>(
        _ sums: [Value],
        options: [Int],
        contributions: [[[Value]]],
        issue: Int
    ) -> ([Value], [Int32], [UInt32]) {
        let parties = contributions.count
        let count = sums.count / max(parties, 1)
        var candidates: [Candidate<Value>] = []
        candidates.reserveCapacity(count * options.count)
        for option in options {
            let add = contributions.map { $0[issue][option] }
            for index in 0..<count {
                let vector = (0..<parties).map { sums[index * parties + $0] + add[$0] }
                candidates.append(Candidate(parent: Int32(index), option: UInt32(option), vector: vector))
            }
        }
        let kept = undominated(candidates)
        var nextSums: [Value] = []
        nextSums.reserveCapacity(kept.count * parties)
        for point in kept { nextSums.append(contentsOf: point.vector) }
        return (nextSums, kept.map(\.parent), kept.map(\.option))
    }
}
