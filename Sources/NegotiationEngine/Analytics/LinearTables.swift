/// Every party's weighted contribution for every option, for scenarios whose utilities are all
/// linear additive: the tables the merge, the fast enumeration and the zone count work on.
struct LinearTables: Sendable {
    let partyCount: Int
    /// `contributions[party][issue][option]`
    let contributions: [[[Double]]]
    let functions: [LinearAdditiveUtility]

    init?(_ scenario: Scenario) {
        var functions: [LinearAdditiveUtility] = []
        for party in scenario.parties {
            guard case .linearAdditive(let function) = party.utility else { return nil }
            functions.append(function)
        }
        self.functions = functions
        partyCount = functions.count
        contributions = functions.map { $0.contributions(in: scenario.space) }
    }

    var issueCount: Int { contributions.first?.count ?? 0 }

    /// The per-party contribution vector of `option` of `issue`.
    func point(issue: Int, option: Int) -> [Double] {
        (0..<partyCount).map { contributions[$0][issue][option] }
    }

    /// `totals` with each party's cap applied.
    func capped(_ totals: [Double]) -> [Double] {
        zip(functions, totals).map { $0.capped($1) }
    }
}

extension ParetoFrontier {
    /// The issue-by-issue merge for linear additive utilities.
    ///
    /// Level k holds the frontier of the sums over the first k issues; level k + 1 adds each of
    /// issue k's non-dominated options to each of its points and keeps the non-dominated sums.
    /// Each level records, per point, its parent and option, so one package per frontier point
    /// is read back at the end without carrying whole packages through the levels.
    ///
    /// - Complexity: O(Σ levels · options · log) time, O(levels · frontier) memory.
    static func merged(_ tables: LinearTables, allowedOptions: [[Int]]) -> [UtilityPoint] {
        let parties = tables.partyCount
        var sums = [Double](repeating: 0, count: parties)  // flat, `parties` values per point
        var parents: [[Int32]] = []
        var choices: [[UInt32]] = []
        for issue in 0..<tables.issueCount {
            let options = nondominatedOptions(tables, issue: issue, allowed: allowedOptions[issue])
            let (nextSums, levelParents, levelChoices) =
                parties == 2
                ? mergeTwoParties(sums, options: options, tables: tables, issue: issue)
                : mergeManyParties(sums, options: options, tables: tables, issue: issue)
            sums = nextSums
            parents.append(levelParents)
            choices.append(levelChoices)
        }
        let count = sums.count / max(parties, 1)
        var points: [UtilityPoint] = []
        points.reserveCapacity(count)
        var anyCapped = false
        for index in 0..<count {
            var indices = [UInt32](repeating: 0, count: tables.issueCount)
            var node = index
            for level in stride(from: tables.issueCount - 1, through: 0, by: -1) {
                indices[level] = choices[level][node]
                node = Int(parents[level][node])
            }
            let raw = Array(sums[(index * parties)..<((index + 1) * parties)])
            let utilities = tables.capped(raw)
            if utilities != raw { anyCapped = true }
            points.append(UtilityPoint(outcome: Outcome(indices), utilities: utilities))
        }
        // A cap can make frontier points equal or dominated; everything else stays exact.
        return anyCapped || parties != 2 ? nondominated(points) : points
    }

    /// The options of `issue` whose contribution vectors no other allowed option weakly
    /// dominates (the first of equal ones).
    private static func nondominatedOptions(_ tables: LinearTables, issue: Int, allowed: [Int]) -> [Int] {
        let points = allowed.map { UtilityPoint(outcome: Outcome([$0]), utilities: tables.point(issue: issue, option: $0)) }
        // Keep the first option among equal vectors, so results do not depend on the sort.
        var firstOfVector: [[Double]: Int] = [:]
        for point in points where firstOfVector[point.utilities] == nil { firstOfVector[point.utilities] = point.outcome[0] }
        return nondominated(points).map { firstOfVector[$0.utilities]! }.sorted()
    }

    private struct PairCandidate {
        var first: Double
        var second: Double
        var parent: Int32
        var option: UInt32
    }

    private static func mergeTwoParties(
        _ sums: [Double], options: [Int], tables: LinearTables, issue: Int
    ) -> ([Double], [Int32], [UInt32]) {
        let count = sums.count / 2
        var candidates: [PairCandidate] = []
        candidates.reserveCapacity(count * options.count)
        let firstTable = tables.contributions[0][issue]
        let secondTable = tables.contributions[1][issue]
        for option in options {
            let a = firstTable[option]
            let b = secondTable[option]
            for index in 0..<count {
                candidates.append(
                    PairCandidate(first: sums[2 * index] + a, second: sums[2 * index + 1] + b, parent: Int32(index), option: UInt32(option))
                )
            }
        }
        candidates.sort { $0.first != $1.first ? $0.first > $1.first : $0.second > $1.second }
        var nextSums: [Double] = []
        var parents: [Int32] = []
        var choices: [UInt32] = []
        var best = -Double.infinity
        for candidate in candidates where candidate.second > best {
            best = candidate.second
            nextSums.append(candidate.first)
            nextSums.append(candidate.second)
            parents.append(candidate.parent)
            choices.append(candidate.option)
        }
        return (nextSums, parents, choices)
    }

    private static func mergeManyParties(
        _ sums: [Double], options: [Int], tables: LinearTables, issue: Int
    ) -> ([Double], [Int32], [UInt32]) {
        let parties = tables.partyCount
        let count = sums.count / max(parties, 1)
        var candidates: [UtilityPoint] = []
        candidates.reserveCapacity(count * options.count)
        for option in options {
            let add = tables.point(issue: issue, option: option)
            for index in 0..<count {
                var vector = [Double](repeating: 0, count: parties)
                for party in 0..<parties { vector[party] = sums[index * parties + party] + add[party] }
                candidates.append(UtilityPoint(outcome: Outcome([UInt32(index), UInt32(option)]), utilities: vector))
            }
        }
        let kept = nondominated(candidates)
        var nextSums: [Double] = []
        nextSums.reserveCapacity(kept.count * parties)
        for point in kept { nextSums.append(contentsOf: point.utilities) }
        return (nextSums, kept.map { Int32($0.outcome[0]) }, kept.map { UInt32($0.outcome[1]) })
    }
}
