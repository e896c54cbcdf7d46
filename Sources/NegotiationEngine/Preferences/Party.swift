#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One side of a negotiation as the engine sees it: a name, preferences and red lines.
///
/// Everything here is private to the party in the talks service. ``description`` and the
/// mirror (`dump`, debuggers) therefore name the party and nothing else, so a stray log line
/// cannot leak its numbers.
public struct Party: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// How utility decays as the negotiation goes on.
    public enum Discount: Sendable, Hashable {
        /// GENIUS: u · dᵗ with t the normalised time in [0, 1].
        case normalizedTime(Double)
        /// NegMAS: u · dʳ with r the round (step) number.
        case perRound(Double)
    }

    public var name: String
    public var utility: UtilityFunction
    /// The red line as a minimum: the least utility the party accepts. `-infinity` accepts anything.
    public var reservationValue: Double
    /// The red line as "never": for each issue position, the option indices the party refuses.
    public var forbiddenOptions: [Int: Set<Int>]
    public var discount: Discount?

    public init(
        name: String,
        utility: UtilityFunction,
        reservationValue: Double = 0,
        forbiddenOptions: [Int: Set<Int>] = [:],
        discount: Discount? = nil
    ) {
        self.name = name
        self.utility = utility
        self.reservationValue = reservationValue
        self.forbiddenOptions = forbiddenOptions.filter { !$0.value.isEmpty }
        self.discount = discount
    }

    /// Whether the package uses none of the party's forbidden options.
    public func allows(_ outcome: Outcome) -> Bool {
        forbiddenOptions.allSatisfy { !$0.value.contains(outcome[$0.key]) }
    }

    /// The utility of `outcome` after `elapsed` of the negotiation: normalised time in [0, 1]
    /// for a GENIUS discount, the round number for a NegMAS one.
    public func discountedUtility(of outcome: Outcome, in space: OutcomeSpace, elapsed: Double) -> Double {
        let utility = utility.utility(of: outcome, in: space)
        switch discount {
        case .none: return utility
        case .normalizedTime(let factor), .perRound(let factor): return utility * pow(factor, elapsed)
        }
    }

    public var description: String { "Party(\(name))" }

    public var customMirror: Mirror { Mirror(self, children: ["name": name]) }
}
