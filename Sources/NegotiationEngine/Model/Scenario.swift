/// A negotiation to analyse: an outcome space and two or more parties over it.
public struct Scenario: Sendable, Hashable {
    public var name: String
    public var space: OutcomeSpace
    public var parties: [Party]

    public init(name: String, space: OutcomeSpace, parties: [Party]) {
        self.name = name
        self.space = space
        self.parties = parties
    }

    /// Every party's utility for `outcome`, in party order.
    public func utilities(of outcome: Outcome) -> [Double] {
        parties.map { $0.utility.utility(of: outcome, in: space) }
    }

    /// Whether every party's utility is linear additive (the frontier can then be merged issue
    /// by issue).
    public var isLinearAdditive: Bool {
        parties.allSatisfy { if case .linearAdditive = $0.utility { true } else { false } }
    }

    /// A copy whose real issues have `steps` evenly spaced options each.
    public func discretized(steps: Int) -> Scenario {
        Scenario(name: name, space: space.discretized(steps: steps), parties: parties)
    }
}
