import NegotiationEngine
import Testing

/// The simplex on programs whose optimum is known by hand.
struct LinearProgramTests {
    @Test func aTextbookProgramReachesItsVertex() throws {
        // max x + y, x + 2y ≤ 4, 3x + y ≤ 6: the optimum is (1.6, 1.2), 2.8.
        var program = LinearProgram(objective: [1, 1])
        program.atMost = [([1, 2], 4), ([3, 1], 6)]
        let solution = try #require(program.maximize())
        #expect(abs(solution.x[0] - 1.6) < 1e-9 && abs(solution.x[1] - 1.2) < 1e-9)
        #expect(abs(solution.value - 2.8) < 1e-9)
    }

    @Test func equalitiesAndNegativeBoundsAreHonoured() throws {
        // max x, x + y = 1, x ≤ 0.7, −y ≤ −0.1 (y ≥ 0.1).
        var program = LinearProgram(objective: [1, 0])
        program.equal = [([1, 1], 1)]
        program.atMost = [([1, 0], 0.7), ([0, -1], -0.1)]
        let solution = try #require(program.maximize())
        #expect(abs(solution.x[0] - 0.7) < 1e-9 && abs(solution.x[1] - 0.3) < 1e-9)
    }

    @Test func anInfeasibleProgramSaysSo() {
        // x ≥ 2 and x ≤ 1.
        var program = LinearProgram(objective: [1])
        program.atMost = [([-1], -2), ([1], 1)]
        #expect(program.maximize() == nil)
        var equal = LinearProgram(objective: [0, 0])
        equal.equal = [([1, 1], 1), ([1, 1], 2)]
        #expect(equal.maximize() == nil)
    }

    @Test func aDegenerateProgramDoesNotCycle() throws {
        // Beale's example, which cycles under the largest-coefficient rule; Bland's rule ends.
        var program = LinearProgram(objective: [0.75, -150, 0.02, -6])
        program.atMost = [
            ([0.25, -60, -0.04, 9], 0), ([0.5, -90, -0.02, 3], 0), ([0, 0, 1, 0], 1),
        ]
        let solution = try #require(program.maximize())
        #expect(abs(solution.value - 0.05) < 1e-9)
    }
}
