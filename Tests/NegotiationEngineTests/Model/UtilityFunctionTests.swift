import NegotiationEngine
import Testing

struct UtilityFunctionTests {
    @Test func linearAdditiveWeighsAndCaps() {
        let space = OutcomeSpace(issues: [Issue(name: "a", options: ["x", "y"]), Issue(name: "n", integers: 2...6)])
        let utility = LinearAdditiveUtility(
            weights: [0.6, 0.6],
            evaluators: [.table([0.5, 1]), .linear(slope: 0.5, offset: 0.2, origin: 2, clampedToUnit: true)],
            maximumTotal: 1
        )
        let function = UtilityFunction.linearAdditive(utility)
        // x, n=2: 0.6·0.5 + 0.6·0.2
        #expect(abs(function.utility(of: Outcome([0, 0]), in: space) - 0.42) < 1e-12)
        // n=4 evaluates to clamp(0.5·2 + 0.2) = 1; y, n=4: 0.6 + 0.6 = 1.2, capped at 1.
        #expect(utility.value(ofOption: 2, issue: space.issues[1], at: 1) == 1)
        #expect(function.utility(of: Outcome([1, 2]), in: space) == 1)
        let unclamped = LinearAdditiveUtility(
            weights: [1],
            evaluators: [.linear(slope: 0.5, offset: 0.2, origin: 0, clampedToUnit: false)]
        )
        #expect(unclamped.value(ofOption: 4, issue: space.issues[1], at: 0) == 0.5 * 6 + 0.2)
    }

    @Test func boxesAddWhatAPackageFallsIn() {
        let space = OutcomeSpace(issues: [Issue(name: "a", integers: 0...9), Issue(name: "b", integers: 0...9)])
        let utility = HyperRectangleUtility(
            rectangles: [
                .init(bounds: [0: 2...5], utility: 30), .init(bounds: [0: 4...9, 1: 0...1], utility: 20),
                .init(bounds: [:], utility: 10),
            ],
            normalizer: 60
        )
        #expect(utility.utility(of: Outcome([4, 1])) == 1)
        #expect(utility.utility(of: Outcome([3, 1])) == 40.0 / 60)
        #expect(utility.utility(of: Outcome([9, 9])) == 10.0 / 60)
        #expect(UtilityFunction.hyperRectangles(utility).utility(of: Outcome([0, 0]), in: space) == 10.0 / 60)
    }

    @Test func discountsFollowEachToolsClock() {
        let space = OutcomeSpace(issues: [Issue(name: "a", options: ["x"])])
        let utility = UtilityFunction.linearAdditive(LinearAdditiveUtility(weights: [1], evaluators: [.table([0.8])]))
        let genius = Party(name: "g", utility: utility, discount: .normalizedTime(0.5))
        let negmas = Party(name: "n", utility: utility, discount: .perRound(0.5))
        #expect(genius.discountedUtility(of: Outcome([0]), in: space, elapsed: 1) == 0.4)
        #expect(negmas.discountedUtility(of: Outcome([0]), in: space, elapsed: 3) == 0.1)
        #expect(
            Party(name: "plain", utility: utility).discountedUtility(of: Outcome([0]), in: space, elapsed: 9) == 0.8
        )
    }

    @Test func aPartyDescribesItselfWithoutItsNumbers() {
        let party = Party(
            name: "Delegation A",
            utility: .linearAdditive(LinearAdditiveUtility(weights: [0.123456], evaluators: [.table([0.987654])])),
            reservationValue: 0.4242,
            forbiddenOptions: [0: [0]]
        )
        let text = "\(party)"
        #expect(text.contains("Delegation A"))
        for secret in ["0.123456", "0.987654", "0.4242"] { #expect(!text.contains(secret)) }
    }
}

extension UtilityFunctionTests {
    @Test func aPartyDumpsWithoutItsNumbers() {
        let party = Party(
            name: "Delegation B",
            utility: .linearAdditive(LinearAdditiveUtility(weights: [0.31415], evaluators: [.table([0.27182])])),
            reservationValue: 0.1618
        )
        var dumped = ""
        dump(party, to: &dumped)
        #expect(dumped.contains("Delegation B"))
        for secret in ["0.31415", "0.27182", "0.1618"] { #expect(!dumped.contains(secret)) }
        #expect(!String(reflecting: party).contains("0.1618"))
    }
}
