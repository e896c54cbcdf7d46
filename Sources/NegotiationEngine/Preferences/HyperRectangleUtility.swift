/// A nonlinear utility made of boxes over integer issues: a package earns the utility of every
/// box it falls in, and the sum is divided by a normaliser.
///
/// This is GENIUS's "hyper-rectangle" model (the ANAC 2014 nonlinear domains). Boxes are stored
/// in option indices, so they apply to any issue whose options are ordered.
public struct HyperRectangleUtility: Sendable, Hashable {
    /// One box: the ranges it requires on some issues, and what falling inside is worth.
    public struct Rectangle: Sendable, Hashable {
        /// For each constrained issue (by position), the option indices the box includes.
        public var bounds: [Int: ClosedRange<Int>]
        public var utility: Double

        public init(bounds: [Int: ClosedRange<Int>], utility: Double) {
            self.bounds = bounds
            self.utility = utility
        }

        /// Whether `outcome` falls in the box.
        public func contains(_ outcome: Outcome) -> Bool {
            bounds.allSatisfy { $0.value.contains(outcome[$0.key]) }
        }
    }

    public var rectangles: [Rectangle]
    /// What the sum is divided by (GENIUS's `maxutility`), so that utilities land in [0, 1].
    public var normalizer: Double

    public init(rectangles: [Rectangle], normalizer: Double = 1) {
        self.rectangles = rectangles
        self.normalizer = normalizer
    }

    /// - Complexity: O(rectangles × bounds)
    public func utility(of outcome: Outcome) -> Double {
        var total = 0.0
        for rectangle in rectangles where rectangle.contains(outcome) { total += rectangle.utility }
        return total / normalizer
    }
}
