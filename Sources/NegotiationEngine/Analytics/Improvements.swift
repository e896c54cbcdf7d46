/// Post-settlement improvement (Raiffa): once the parties have agreed a package, the packages
/// every one of them would strictly rather have, inside every red line.
extension ScenarioAnalysis {
    /// The packages of `scenario` that every party strictly prefers to `agreed` and that clear
    /// every red line (no forbidden option, at least the reservation value), nearest the Nash
    /// point first, ties in the space's order.
    ///
    /// - Precondition: `self` is the analysis of `scenario`, whose space is finite.
    /// - Complexity: one pass over the space; the talks' agendas are small enough for that.
    public func improvements(over agreed: Outcome, in scenario: Scenario) -> [UtilityPoint] {
        let space = scenario.space
        let parties = scenario.parties
        let floor = parties.map { $0.utility.utility(of: agreed, in: space) }
        var better: [UtilityPoint] = []
        space.forEachOutcome { outcome in
            var utilities: [Double] = []
            utilities.reserveCapacity(parties.count)
            for (index, party) in parties.enumerated() {
                let utility = party.utility.utility(of: outcome, in: space)
                guard utility > floor[index], utility >= party.reservationValue, party.allows(outcome) else {
                    return true
                }
                utilities.append(utility)
            }
            better.append(UtilityPoint(outcome: outcome, utilities: utilities))
            return true
        }
        return nash == nil ? better : nearestNash(better)
    }
}
