extension Tournament {
    /// Which competitors sit in which seats on scenarios of one size: every assignment, or a
    /// seeded sample when there are more than ``Tournament/maximumAssignments``.
    ///
    /// Without self-play the seats of a negotiation hold different competitors (for two seats:
    /// every ordered pair); with it, any competitor may take any number of seats. Assignments
    /// run in lexicographic order of their seats, so two-seat tournaments keep the order they
    /// always had.
    public struct Assignments: Sendable, Hashable {
        public var seatCount: Int
        /// The competitor in each seat, by position among the tournament's competitors.
        public var seats: [[Int]]
        /// How many assignments there are in all, `nil` when more than `Int.max`.
        public var total: Int?
        /// Whether ``seats`` is a sample of them.
        public var isSample: Bool { seats.count != total }
        /// Whether a tournament's output states these line-ups: more than two seats, or a sample.
        /// Two-party tournaments that ran every pair keep the output they always had.
        public var isStated: Bool { seatCount > 2 || isSample }
    }

    /// The assignments for scenarios of `seatCount` seats. A sample depends only on the seed
    /// and the seat count, so every scenario of a size meets the same line-ups.
    public func assignments(seatCount: Int) -> Assignments {
        let k = competitors.count
        let total = Self.assignmentCount(competitors: k, seats: seatCount, selfPlay: selfPlay)
        if let total, total <= maximumAssignments {
            var all: [[Int]] = []
            all.reserveCapacity(total)
            var seats = [Int](repeating: 0, count: seatCount)
            Self.enumerate(&seats, at: 0, competitors: k, distinct: !selfPlay) { all.append($0) }
            return Assignments(seatCount: seatCount, seats: all, total: total)
        }
        var random = SeededGenerator(seed: NegotiationTable.derive(seed, UInt64.max - UInt64(seatCount)))
        var chosen = Set<[Int]>()
        while chosen.count < maximumAssignments {
            var seats: [Int] = []
            while seats.count < seatCount {
                let who = Int.random(in: 0..<k, using: &random)
                if selfPlay || !seats.contains(who) { seats.append(who) }
            }
            chosen.insert(seats)
        }
        return Assignments(
            seatCount: seatCount,
            seats: chosen.sorted { $0.lexicographicallyPrecedes($1) },
            total: total
        )
    }

    /// How many ways `n` seats take from `k` competitors: k^n with self-play, k!/(k−n)! without;
    /// `nil` past `Int.max`.
    public static func assignmentCount(competitors k: Int, seats n: Int, selfPlay: Bool) -> Int? {
        var count = 1
        for seat in 0..<n {
            let choices = selfPlay ? k : k - seat
            guard choices > 0 else { return 0 }
            let (product, overflow) = count.multipliedReportingOverflow(by: choices)
            if overflow { return nil }
            count = product
        }
        return count
    }

    private static func enumerate(
        _ seats: inout [Int],
        at seat: Int,
        competitors: Int,
        distinct: Bool,
        _ body: ([Int]) -> Void
    ) {
        guard seat < seats.count else { return body(seats) }
        for who in 0..<competitors where !distinct || !seats[..<seat].contains(who) {
            seats[seat] = who
            enumerate(&seats, at: seat + 1, competitors: competitors, distinct: distinct, body)
        }
    }
}
