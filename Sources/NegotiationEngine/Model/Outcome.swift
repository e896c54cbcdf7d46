/// A package: one option for every issue, stored as the options' indices.
///
/// Indices, not labels, so that an outcome costs four bytes an issue and compares quickly;
/// ``OutcomeSpace/labels(of:)`` turns one back into the words people read.
public struct Outcome: Sendable, Hashable, Comparable {
    /// For each issue, in the space's order, the index of the chosen option.
    public var optionIndices: [UInt32]

    public init(_ optionIndices: [UInt32]) {
        self.optionIndices = optionIndices
    }

    public init(_ optionIndices: [Int]) {
        self.optionIndices = optionIndices.map { UInt32($0) }
    }

    /// The option chosen for the issue at `issue`.
    public subscript(issue: Int) -> Int { Int(optionIndices[issue]) }

    /// Lexicographic order on the option indices, the first issue most significant.
    public static func < (lhs: Outcome, rhs: Outcome) -> Bool {
        lhs.optionIndices.lexicographicallyPrecedes(rhs.optionIndices)
    }
}
