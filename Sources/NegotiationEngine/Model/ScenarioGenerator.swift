/// Random scenarios for tests and benchmarks, reproducible from a seed.
public enum ScenarioGenerator {
    /// A scenario of `issues` discrete issues with `options` options each and `parties` linear
    /// additive parties.
    ///
    /// Each party's weights are uniform random numbers scaled to add up to 1; each issue's option
    /// values are uniform in [0, 1] with the best option scaled to exactly 1, as GENIUS expects.
    /// The same arguments give the same scenario on every machine.
    public static func linearAdditive(
        issues: Int,
        options: Int,
        parties: Int,
        seed: UInt64,
        reservationValue: Double = 0
    ) -> Scenario {
        precondition(issues >= 1 && options >= 1 && parties >= 1, "a scenario needs an issue, an option and a party")
        var generator = SeededGenerator(seed: seed)
        let space = OutcomeSpace(
            issues: (0..<issues).map { issue in
                Issue(name: "issue\(issue + 1)", options: (0..<options).map { "v\($0 + 1)" })
            }
        )
        let partyList = (0..<parties).map { party in
            let raw = (0..<issues).map { _ in Double.random(in: 0.05...1, using: &generator) }
            let total = raw.reduce(0, +)
            let evaluators = (0..<issues).map { _ -> LinearAdditiveUtility.Evaluator in
                let values = (0..<options).map { _ in Double.random(in: 0...1, using: &generator) }
                let best = values.max() ?? 1
                return .table(values.map { best > 0 ? $0 / best : 0 })
            }
            return Party(
                name: "party\(party + 1)",
                utility: .linearAdditive(
                    LinearAdditiveUtility(weights: raw.map { $0 / total }, evaluators: evaluators)
                ),
                reservationValue: reservationValue
            )
        }
        return Scenario(name: "generated-\(issues)x\(options)x\(parties)-seed\(seed)", space: space, parties: partyList)
    }
}
