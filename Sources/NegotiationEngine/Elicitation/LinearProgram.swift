/// A small linear program, solved exactly enough for elicitation by the two-phase simplex method
/// with Bland's rule (which cannot cycle).
///
/// Ours rather than a package's: the engine depends on nothing beyond the toolchain, and the
/// programs elicitation solves have at most a few hundred variables and rows, where a dense
/// tableau is simple and fast.
///
/// Maximizes `objective · x` subject to `x ≥ 0`, `row · x ≤ bound` for each `atMost` row and
/// `row · x = bound` for each `equal` row.
public struct LinearProgram: Sendable {
    public var objective: [Double]
    public var atMost: [(row: [Double], bound: Double)] = []
    public var equal: [(row: [Double], bound: Double)] = []

    public init(objective: [Double]) {
        self.objective = objective
    }

    /// The optimum: the variables' values and the objective's, or `nil` when no `x` satisfies
    /// every row. (An unbounded program also answers `nil`; elicitation's are all bounded.)
    public func maximize() -> (x: [Double], value: Double)? {
        var tableau = Tableau(self)
        guard tableau.solvePhaseOne() else { return nil }
        guard tableau.solvePhaseTwo(objective) else { return nil }
        let x = tableau.values(count: objective.count)
        return (x, zip(objective, x).reduce(0) { $0 + $1.0 * $1.1 })
    }
}

/// The simplex tableau: one row per constraint, columns for the variables, the slacks and the
/// artificial variables, and the right-hand side last.
private struct Tableau {
    static let epsilon = 1e-9

    var rows: [[Double]]
    var basis: [Int]
    let variables: Int
    let artificialStart: Int
    var width: Int { rows.first?.count ?? 0 }

    init(_ program: LinearProgram) {
        let n = program.objective.count
        let slackCount = program.atMost.count
        let constraints = program.atMost.count + program.equal.count
        variables = n
        artificialStart = n + slackCount
        let columns = artificialStart + constraints + 1
        rows = []
        basis = []
        for (index, (row, bound)) in program.atMost.enumerated() {
            var line = [Double](repeating: 0, count: columns)
            for (j, value) in row.enumerated() { line[j] = value }
            line[n + index] = 1
            line[columns - 1] = bound
            rows.append(line)
        }
        for (row, bound) in program.equal {
            var line = [Double](repeating: 0, count: columns)
            for (j, value) in row.enumerated() { line[j] = value }
            line[columns - 1] = bound
            rows.append(line)
        }
        // Each row starts on its own artificial variable, with a right-hand side made positive.
        for index in rows.indices {
            if rows[index][columns - 1] < 0 { rows[index] = rows[index].map { -$0 } }
            rows[index][artificialStart + index] = 1
            basis.append(artificialStart + index)
        }
    }

    /// Drives the artificial variables out; false when the rows cannot all hold.
    mutating func solvePhaseOne() -> Bool {
        var cost = [Double](repeating: 0, count: width - 1)
        for column in artificialStart..<(width - 1) { cost[column] = -1 }
        run(cost, allowed: width - 1)
        let infeasibility = basis.enumerated().reduce(0.0) { total, entry in
            entry.element >= artificialStart ? total + rows[entry.offset][width - 1] : total
        }
        guard infeasibility <= Self.epsilon * Double(max(1, rows.count)) else { return false }
        // An artificial variable still basic at zero leaves for any column that can replace it.
        for index in basis.indices where basis[index] >= artificialStart {
            if let column = (0..<artificialStart).first(where: { abs(rows[index][$0]) > Self.epsilon }) {
                pivot(row: index, column: column)
            }
        }
        return true
    }

    /// Optimizes `objective` over the feasible rows, never letting an artificial variable back in.
    mutating func solvePhaseTwo(_ objective: [Double]) -> Bool {
        var cost = [Double](repeating: 0, count: width - 1)
        for (j, value) in objective.enumerated() { cost[j] = value }
        return run(cost, allowed: artificialStart)
    }

    /// Maximizes `cost` by pivoting on columns below `allowed`; false when unbounded.
    @discardableResult
    mutating func run(_ cost: [Double], allowed: Int) -> Bool {
        while true {
            // Reduced costs: cost − (basic costs) · column. Bland: the first column that improves.
            var entering: Int?
            for column in 0..<allowed where !basis.contains(column) {
                var reduced = cost[column]
                for (index, basic) in basis.enumerated() { reduced -= cost[basic] * rows[index][column] }
                if reduced > Self.epsilon {
                    entering = column
                    break
                }
            }
            guard let column = entering else { return true }
            var leaving: Int?
            var best = Double.infinity
            for index in rows.indices where rows[index][column] > Self.epsilon {
                let ratio = rows[index][width - 1] / rows[index][column]
                if ratio < best - Self.epsilon || (abs(ratio - best) <= Self.epsilon && basis[index] < basis[leaving!])
                {
                    best = ratio
                    leaving = index
                }
            }
            guard let row = leaving else { return false }
            pivot(row: row, column: column)
        }
    }

    mutating func pivot(row: Int, column: Int) {
        let divisor = rows[row][column]
        for j in rows[row].indices { rows[row][j] /= divisor }
        for index in rows.indices where index != row {
            let factor = rows[index][column]
            guard factor != 0 else { continue }
            for j in rows[index].indices { rows[index][j] -= factor * rows[row][j] }
        }
        basis[row] = column
    }

    func values(count: Int) -> [Double] {
        var x = [Double](repeating: 0, count: count)
        for (index, basic) in basis.enumerated() where basic < count { x[basic] = rows[index][width - 1] }
        return x
    }
}
