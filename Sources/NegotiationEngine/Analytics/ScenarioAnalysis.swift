/// Everything a mediator's analyst or a researcher asks of a scenario first: its size, its
/// frontier, the classic bargaining solutions and its zone of agreement.
///
/// The frontier is taken over the packages that use no forbidden option (a red line as "never"
/// removes the option from the table). Solutions are chosen among the packages every party
/// accepts: no forbidden option, and at least the reservation value for each party. Gains are
/// measured from each party's disagreement value (``Options/Disagreement``). Each solution is `nil` when no package clears
/// every red line; ties go to the first point in frontier order (first party's utility, highest first).
public struct ScenarioAnalysis: Sendable {
    /// How analysis differs between the tools whose answers it reproduces.
    public struct Options: Sendable {
        /// What gains are measured from.
        public enum Disagreement: Sendable {
            /// The reservation value; the party's least utility where it has none (−∞).
            case reservationValue
            /// NegMAS's rule: the reservation value when it is finite and at least the party's
            /// least utility, otherwise the least utility.
            case negmas
        }

        /// How the frontier is found.
        public enum FrontierMethod: Sendable {
            /// The fastest exact method the utilities allow.
            case automatic
            /// Enumerate every package (the oracle; slow on large spaces).
            case enumeration
        }

        public var disagreement: Disagreement = .reservationValue
        /// Keep only frontier points that clear every reservation value (NegMAS does).
        public var rationalFrontierOnly = false
        public var frontierMethod: FrontierMethod = .automatic
        /// Search steps (or packages) spent counting the zone of agreement exactly before it is
        /// estimated from a sample instead.
        public var exactCountBudget = 20_000_000

        public init() {}
    }

    public var outcomeCount: OutcomeCount
    public var reservationValues: [Double]
    /// The frontier over packages with no forbidden option (and, with
    /// ``Options/rationalFrontierOnly``, clearing every reservation value), sorted by the first
    /// party's utility, highest first.
    public var frontier: [UtilityPoint]
    /// The frontier points that clear every reservation value: where a deal can be.
    public var acceptableFrontier: [UtilityPoint] { Self.clearing(frontier, reservationValues) }

    static func clearing(_ points: [UtilityPoint], _ reservations: [Double]) -> [UtilityPoint] {
        points.filter { zip($0.utilities, reservations).allSatisfy { $0 >= $1 } }
    }
    public var nash: UtilityPoint?

    /// What a mediator may put forward: the packages inside every red line on the Pareto
    /// frontier, nearest the Nash point first (ties in frontier order); empty when no package
    /// clears every red line. The talks service's suggestions and the informed mediator
    /// (``ShuttleMediation``) are both this list.
    public var suggestions: [UtilityPoint] { nearestNash(acceptableFrontier) }

    /// `points` sorted by their distance in utility space to the Nash point, nearest first (ties
    /// keep their order); empty when there is no Nash point.
    public func nearestNash(_ points: [UtilityPoint]) -> [UtilityPoint] {
        guard let nash else { return [] }
        func distance(_ point: UtilityPoint) -> Double {
            zip(point.utilities, nash.utilities).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        return points.enumerated().sorted { lhs, rhs in
            let (a, b) = (distance(lhs.element), distance(rhs.element))
            return a != b ? a < b : lhs.offset < rhs.offset
        }.map(\.element)
    }

    public var kalaiSmorodinsky: UtilityPoint?
    public var maximumWelfare: UtilityPoint?
    public var egalitarian: UtilityPoint?
    public var agreementZone: AgreementZone

    /// Analyses `scenario` exactly.
    ///
    /// - Precondition: the scenario's space is finite (discretise real issues first).
    /// - Complexity: dominated by the frontier; see ``ParetoFrontier``.
    public init(_ scenario: Scenario, options: Options = Options()) {
        let space = scenario.space
        outcomeCount = space.count
        reservationValues = scenario.parties.map(\.reservationValue)
        // A forbidden option is a red line as "never": packages using one are not outcomes any
        // party would sign, so the frontier and the solutions are taken without them.
        let allowed = space.optionCounts.enumerated().map { issue, count in
            (0..<count).filter { option in
                !scenario.parties.contains { $0.forbiddenOptions[issue]?.contains(option) == true }
            }
        }
        let feasibleFrontier =
            switch options.frontierMethod {
            case .automatic: ParetoFrontier.compute(for: scenario, allowedOptions: allowed)
            case .enumeration: ParetoFrontier.enumerated(scenario, allowedOptions: allowed)
            }
        let acceptable = Self.clearing(feasibleFrontier, reservationValues)
        frontier = options.rationalFrontierOnly ? acceptable : feasibleFrontier

        let disagreement: [Double] = scenario.parties.enumerated().map { index, party in
            let reservation = party.reservationValue
            switch options.disagreement {
            case .reservationValue:
                if reservation.isFinite { return reservation }
                return Self.leastUtility(of: index, in: scenario) ?? 0
            case .negmas:
                guard let least = Self.leastUtility(of: index, in: scenario) else {
                    return reservation.isFinite ? reservation : 0
                }
                return reservation.isFinite && reservation >= least ? reservation : least
            }
        }
        let gains = { (point: UtilityPoint) in zip(point.utilities, disagreement).map { $0 - $1 } }
        nash = Self.best(acceptable) { gains($0).reduce(1, *) }
        maximumWelfare = Self.best(acceptable) { $0.utilities.reduce(0, +) }
        egalitarian = Self.best(acceptable) { gains($0).min() ?? 0 }
        let ideal = (0..<scenario.parties.count).map { party in acceptable.map { $0.utilities[party] }.max() ?? 0 }
        let ranges = zip(ideal, disagreement).map { $0 - $1 }
        kalaiSmorodinsky = Self.best(acceptable) { point in
            var worst = Double.infinity
            for (gain, range) in zip(gains(point), ranges) { worst = min(worst, range > 0 ? gain / range : 1) }
            return worst
        }
        agreementZone = AgreementZone.count(in: scenario, allowedOptions: allowed, budget: options.exactCountBudget)
    }

    /// The first point with the largest `score` (ties by the larger total utility).
    private static func best(_ points: [UtilityPoint], by score: (UtilityPoint) -> Double) -> UtilityPoint? {
        var best: (point: UtilityPoint, score: Double, welfare: Double)?
        for point in points {
            let value = score(point)
            let welfare = point.utilities.reduce(0, +)
            if let current = best, !(value > current.score || (value == current.score && welfare > current.welfare)) {
                continue
            }
            best = (point, value, welfare)
        }
        return best?.point
    }

    /// The least utility `party` gets from any package, when it can be found exactly.
    static func leastUtility(of party: Int, in scenario: Scenario) -> Double? {
        switch scenario.parties[party].utility {
        case .linearAdditive(let function):
            return function.leastTotal(in: scenario.space)
        case .hyperRectangles:
            guard let count = scenario.space.count.intValue, count <= 10_000_000 else { return nil }
            var least = Double.infinity
            OutcomeEvaluator(Scenario(name: scenario.name, space: scenario.space, parties: [scenario.parties[party]]))
                .forEach(allowedOptions: scenario.space.optionCounts.map { Array(0..<$0) }) { _, utilities in
                    least = min(least, utilities[0])
                    return true
                }
            return least
        }
    }
}
