/// A package and every party's utility for it.
public struct UtilityPoint: Sendable, Hashable {
    public var outcome: Outcome
    /// One utility per party, in the scenario's party order.
    public var utilities: [Double]

    public init(outcome: Outcome, utilities: [Double]) {
        self.outcome = outcome
        self.utilities = utilities
    }

    /// Whether this point is at least as good for every party as `other`.
    @inlinable
    public func weaklyDominates(_ other: UtilityPoint) -> Bool {
        zip(utilities, other.utilities).allSatisfy { $0 >= $1 }
    }
}
