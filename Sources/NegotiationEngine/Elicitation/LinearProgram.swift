/// A small linear program, solved exactly enough for elicitation by the two-phase simplex method
/// (Dantzig's rule, with Bland's, which cannot cycle, when pivots stop improving).
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
/// artificial variables, and the right-hand side last; stored row by row in one array, so that a
/// pivot touches memory in order.
private struct Tableau {
    static let epsilon = 1e-9
    /// Degenerate pivots in a row after which Bland's rule takes over from Dantzig's.
    static let degenerateRun = 50

    var cells: [Double]
    var basis: [Int]
    let variables: Int
    let artificialStart: Int
    let width: Int
    var height: Int { basis.count }

    init(_ program: LinearProgram) {
        let n = program.objective.count
        let slackCount = program.atMost.count
        let constraints = program.atMost.count + program.equal.count
        variables = n
        artificialStart = n + slackCount
        width = artificialStart + constraints + 1
        cells = [Double](repeating: 0, count: constraints * width)
        basis = []
        let lines = program.atMost.map { ($0.row, $0.bound) } + program.equal.map { ($0.row, $0.bound) }
        for (index, (row, bound)) in lines.enumerated() {
            let start = index * width
            for (j, value) in row.enumerated() { cells[start + j] = value }
            if index < slackCount { cells[start + n + index] = 1 }
            cells[start + width - 1] = bound
            // Each row starts on its own artificial variable, with a right-hand side made positive.
            if bound < 0 { for j in 0..<width { cells[start + j] = -cells[start + j] } }
            cells[start + artificialStart + index] = 1
            basis.append(artificialStart + index)
        }
    }

    subscript(row: Int, column: Int) -> Double { cells[row * width + column] }
    func rightHandSide(_ row: Int) -> Double { cells[row * width + width - 1] }

    /// Drives the artificial variables out; false when the rows cannot all hold.
    mutating func solvePhaseOne() -> Bool {
        var cost = [Double](repeating: 0, count: width - 1)
        for column in artificialStart..<(width - 1) { cost[column] = -1 }
        run(cost, allowed: width - 1)
        let infeasibility = basis.enumerated().reduce(0.0) { total, entry in
            entry.element >= artificialStart ? total + rightHandSide(entry.offset) : total
        }
        guard infeasibility <= Self.epsilon * Double(max(1, height)) else { return false }
        // An artificial variable still basic at zero leaves for any column that can replace it.
        for index in basis.indices where basis[index] >= artificialStart {
            if let column = (0..<artificialStart).first(where: { abs(self[index, $0]) > Self.epsilon }) {
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

    /// Maximizes `cost` by pivoting on columns below `allowed`; false when unbounded. Dantzig's
    /// rule (the column that improves most) takes few pivots; after a run of pivots that improve
    /// nothing, Bland's (the first column that improves), which cannot cycle, until one does.
    @discardableResult
    mutating func run(_ cost: [Double], allowed: Int) -> Bool {
        var degenerate = 0
        var isBasic = [Bool](repeating: false, count: width)
        for column in basis { isBasic[column] = true }
        while true {
            let bland = degenerate >= Self.degenerateRun
            var entering: Int?
            var steepest = Self.epsilon
            for column in 0..<allowed where !isBasic[column] {
                var reduced = cost[column]
                for index in 0..<height where cost[basis[index]] != 0 {
                    reduced -= cost[basis[index]] * cells[index * width + column]
                }
                if reduced > steepest {
                    entering = column
                    steepest = reduced
                    if bland { break }
                }
            }
            guard let column = entering else { return true }
            var leaving: Int?
            var best = Double.infinity
            for index in 0..<height where self[index, column] > Self.epsilon {
                let ratio = rightHandSide(index) / self[index, column]
                if ratio < best - Self.epsilon || (abs(ratio - best) <= Self.epsilon && basis[index] < basis[leaving!])
                {
                    best = ratio
                    leaving = index
                }
            }
            guard let row = leaving else { return false }
            degenerate = best <= Self.epsilon ? degenerate + 1 : 0
            isBasic[basis[row]] = false
            isBasic[column] = true
            pivot(row: row, column: column)
        }
    }

    mutating func pivot(row: Int, column: Int) {
        let width = width
        cells.withUnsafeMutableBufferPointer { cells in
            let start = row * width
            let divisor = cells[start + column]
            for j in 0..<width { cells[start + j] /= divisor }
            for index in 0..<(cells.count / width) where index != row {
                let base = index * width
                let factor = cells[base + column]
                guard factor != 0 else { continue }
                for j in 0..<width { cells[base + j] -= factor * cells[start + j] }
            }
        }
        basis[row] = column
    }

    func values(count: Int) -> [Double] {
        var x = [Double](repeating: 0, count: count)
        for (index, basic) in basis.enumerated() where basic < count { x[basic] = rightHandSide(index) }
        return x
    }
}
