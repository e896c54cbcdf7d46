import NegotiationEngine
import Testing

struct OutcomeSpaceTests {
    let space = OutcomeSpace(issues: [
        Issue(name: "colour", options: ["red", "green", "blue"]),
        Issue(name: "years", integers: -1...2),
        Issue(name: "price", reals: 10...40),
    ])

    @Test func enumeratesEveryOutcomeOnceInLexicographicOrder() {
        let finite = space.discretized(steps: 3)
        var seen: [Outcome] = []
        finite.forEachOutcome {
            seen.append($0)
            return true
        }
        #expect(seen.count == 3 * 4 * 3)
        #expect(finite.count == OutcomeCount(36))
        #expect(Set(seen).count == seen.count)
        #expect(seen == seen.sorted())
        var stopped = 0
        finite.forEachOutcome { _ in
            stopped += 1
            return stopped < 5
        }
        #expect(stopped == 5)
    }

    @Test func labelsReadBackToTheSameOutcome() throws {
        let finite = space.discretized(steps: 4)
        #expect(finite.issues[2].optionCount == 4)
        #expect(finite.issues[2].numericValue(ofOption: 0) == 10)
        #expect(finite.issues[2].numericValue(ofOption: 3) == 40)
        finite.forEachOutcome { outcome in
            #expect(finite.outcome(labels: finite.labels(of: outcome)) == outcome)
            return true
        }
        let outcome = try #require(finite.outcome(labels: ["blue", "-1", "20"]))
        #expect(outcome.optionIndices == [2, 0, 1])
        #expect(finite.outcome(labels: ["purple", "0", "10"]) == nil)
        #expect(finite.outcome(labels: ["red", "3", "10"]) == nil)
        #expect(finite.outcome(labels: ["red"]) == nil)
    }

    @Test func realIssuesAreInfiniteUntilDiscretised() {
        #expect(!space.isFinite)
        #expect(space.issues[2].optionCount == nil)
        #expect(space.discretized(steps: 2).isFinite)
    }

    @Test func spacesFarBeyondMemoryAreCountedNotMaterialised() {
        let issues = (0..<30).map { Issue(name: "i\($0)", options: (0..<10).map { "v\($0)" }) }
        let huge = OutcomeSpace(issues: issues)
        #expect(huge.count.description == "1" + String(repeating: "0", count: 30))
        var first: Outcome?
        huge.forEachOutcome {
            first = $0
            return false
        }
        #expect(first?.optionIndices == [UInt32](repeating: 0, count: 30))
    }
}
