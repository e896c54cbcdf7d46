/// Every party's per-issue contributions as exact integers, for frontiers without rounding noise.
///
/// A weight or value read from a file is a decimal; its `Double` is only the nearest binary
/// fraction, and sums of those carry noise (0.4850000000000001 where the file says 0.485), which
/// can keep a dominated package on the frontier. Here each weight and value is taken back as the
/// shortest decimal that reads as its `Double` (the decimal written in the file), each product
/// weight × value is an integer number of units of 10⁻ˢ (s per party, the most decimal places
/// any of its products needs), and totals are sums of integers: exact, and equal exactly when the
/// decimals' sums are equal. A total becomes a `Double` once, correctly rounded.
///
/// Our own code rather than a decimal package: it is the engine's arithmetic, the engine depends
/// on nothing beyond the toolchain, and 128-bit integers cover every real file we have met.
struct ExactTables: Sendable {
    let parties: [ExactLinearUtility]

    /// The exact tables of `tables`, or `nil` when a party adds in binary arithmetic or a total
    /// could exceed 128 bits.
    init?(_ tables: LinearTables) {
        var parties: [ExactLinearUtility] = []
        for function in tables.functions {
            guard let exact = function.exact(in: tables.space) else { return nil }
            parties.append(exact)
        }
        self.parties = parties
    }

    var partyCount: Int { parties.count }
    /// `contributions[party][issue][option]`, in units of each party's scale.
    var contributions: [[[Int128]]] { parties.map(\.contributions) }
    var hasCaps: Bool { parties.contains { $0.cap != nil } }

    /// `total`, in `party`'s units, with its cap applied.
    func capped(_ total: Int128, party: Int) -> Int128 { parties[party].capped(total) }

    /// `total`, in `party`'s units and capped, rounded once to the nearest `Double`.
    func utility(_ total: Int128, party: Int) -> Double { parties[party].utility(total) }
}

/// One party's linear additive utility in decimal arithmetic: each contribution an exact
/// integer number of units of 10⁻ˢ.
struct ExactLinearUtility: Sendable, Hashable {
    /// `contributions[issue][option]`, in units of 10⁻ˢ.
    let contributions: [[Int128]]
    /// s, the power of ten of the unit: the most decimal places any product or the cap needs.
    let scale: Int
    /// The cap on the total, in units.
    let cap: Int128?

    /// `function` with `values[issue][option]` (its values before weighting), or `nil` when it
    /// adds in binary arithmetic, or a number or a total does not fit in 128 bits.
    init?(_ function: LinearAdditiveUtility, values: [[Double]]) {
        guard function.arithmetic == .decimal else { return nil }
        var products: [[(digits: Int128, exponent: Int)]] = []
        for (issue, row) in values.enumerated() {
            guard let weight = ExactDecimal(function.weights[issue]) else { return nil }
            var issueProducts: [(digits: Int128, exponent: Int)] = []
            for value in row {
                guard let value = ExactDecimal(value), let product = weight.times(value) else { return nil }
                issueProducts.append(product)
            }
            products.append(issueProducts)
        }
        var cap: ExactDecimal?
        if let maximum = function.maximumTotal {
            guard let decimal = ExactDecimal(maximum) else { return nil }
            cap = decimal
        }
        // Enough decimal places for every product and the cap, and never fewer than none.
        scale = (products.joined().map { -$0.exponent } + [-(cap?.exponent ?? 0), 0]).max()!
        guard let table = Self.scaled(products, to: scale) else { return nil }
        contributions = table
        if let cap {
            guard let value = Self.scaled((cap.digits, cap.exponent), to: scale) else { return nil }
            self.cap = value
        } else {
            self.cap = nil
        }
    }

    /// The utility of `outcome`, summed exactly and rounded once; `nil` when `function` adds in
    /// binary arithmetic or its numbers for `outcome` do not fit in 128 bits. Forms only the
    /// contributions of `outcome`'s options: the same value as the whole table gives, since the
    /// rounded number is the exact sum, whatever the unit.
    static func utility(of outcome: Outcome, _ function: LinearAdditiveUtility, in space: OutcomeSpace) -> Double? {
        // Each issue's table holds only this package's option: its option 0.
        let values = space.issues.enumerated().map { position, issue in
            [function.value(ofOption: outcome[position], issue: issue, at: position)]
        }
        guard let exact = ExactLinearUtility(function, values: values) else { return nil }
        return exact.utility(exact.total(of: Outcome([UInt32](repeating: 0, count: values.count))))
    }

    /// The capped total of `outcome`, in units.
    func total(of outcome: Outcome) -> Int128 {
        var total: Int128 = 0
        for issue in 0..<contributions.count { total += contributions[issue][Int(outcome[issue])] }
        return capped(total)
    }

    func capped(_ total: Int128) -> Int128 {
        if let cap, total > cap { return cap }
        return total
    }

    /// `total`, in units, rounded once to the nearest `Double`.
    func utility(_ total: Int128) -> Double {
        // Both exact as `Double`s, so the one division rounds correctly; else the decimal text.
        if scale < Self.exactPowers.count, total.magnitude < 1 << 53 { return Double(total) / Self.exactPowers[scale] }
        return Double("\(total)e-\(scale)")!
    }

    /// 10⁰ … 10²²: the powers of ten a `Double` holds exactly.
    private static let exactPowers: [Double] = (0...22).map { power in
        (0..<power).reduce(1.0) { value, _ in value * 10 }
    }

    /// `products` as integers in units of 10⁻ˢ, or `nil` when a total could overflow.
    private static func scaled(_ products: [[(digits: Int128, exponent: Int)]], to scale: Int) -> [[Int128]]? {
        var table: [[Int128]] = []
        // The largest magnitude a total can reach: each issue's largest, added up.
        var bound: UInt128 = 0
        for row in products {
            var scaledRow: [Int128] = []
            for product in row {
                guard let value = scaled(product, to: scale) else { return nil }
                scaledRow.append(value)
            }
            let (sum, overflow) = bound.addingReportingOverflow(scaledRow.map(\.magnitude).max() ?? 0)
            guard !overflow, sum <= UInt128(Int128.max) else { return nil }
            bound = sum
            table.append(scaledRow)
        }
        return table
    }

    private static func scaled(_ product: (digits: Int128, exponent: Int), to scale: Int) -> Int128? {
        guard let factor = ExactDecimal.powerOfTen(product.exponent + scale) else { return nil }
        let (value, overflow) = product.digits.multipliedReportingOverflow(by: factor)
        return overflow ? nil : value
    }
}

/// A `Double` as the shortest decimal that reads back as it: `digits` × 10^`exponent`.
package struct ExactDecimal: Sendable, Hashable {
    var digits: Int128
    var exponent: Int

    /// `nil` for infinities and NaN.
    init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if let (digits, places) = Self.fewPlaces(value) {
            self.digits = Int128(digits)
            exponent = -places
            return
        }
        // `description` is the shortest round-tripping decimal: "0.485", "1e-05", "2.5e+20".
        let parts = value.description.split(separator: "e", maxSplits: 1)
        let power = parts.count > 1 ? Int(parts[1]) : 0
        guard let power else { return nil }
        var digits: Int128 = 0
        var places = 0
        var seenPoint = false
        var negative = false
        for character in parts[0] {
            switch character {
            case "-": negative = true
            case ".": seenPoint = true
            case "0"..."9":
                let (shifted, overflow) = digits.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                digits = shifted + Int128(character.wholeNumberValue!)
                if seenPoint { places += 1 }
            default: return nil
            }
        }
        self.digits = negative ? -digits : digits
        exponent = power - places
    }

    /// The decimal with the fewest places (up to 15) that reads back as `value`, found without
    /// text: most numbers in files have a handful of places, and utilities are formed often.
    /// m / 10ᵏ is correctly rounded when both are exact as `Double`s, so the test is exact.
    private static func fewPlaces(_ value: Double) -> (digits: Int64, places: Int)? {
        var power = 1.0
        for places in 0...15 {
            let scaled = (value * power).rounded()
            guard scaled.magnitude < 9_007_199_254_740_992 else { return nil }  // 2⁵³
            if scaled / power == value { return (Int64(scaled), places) }
            power *= 10
        }
        return nil
    }

    /// The exact product, as (digits, exponent), or `nil` on overflow.
    func times(_ other: ExactDecimal) -> (digits: Int128, exponent: Int)? {
        let (digits, overflow) = digits.multipliedReportingOverflow(by: other.digits)
        return overflow ? nil : (digits, exponent + other.exponent)
    }

    /// 10^`power` for 0 ≤ power ≤ 38, else `nil`.
    static func powerOfTen(_ power: Int) -> Int128? {
        guard power >= 0, power <= 38 else { return nil }
        var result: Int128 = 1
        for _ in 0..<power { result *= 10 }
        return result
    }

    /// `values` as integers over one power of ten (value = integer × 10^`exponent`), exact for
    /// numbers read from files: how a GeniusWeb range is stepped through without rounding.
    /// `nil` for a value that is not finite or needs more than 38 digits.
    package static func common(_ values: [Double]) -> (integers: [Int128], exponent: Int)? {
        var decimals: [ExactDecimal] = []
        for value in values {
            guard let decimal = ExactDecimal(value) else { return nil }
            decimals.append(decimal)
        }
        let exponent = decimals.map(\.exponent).min() ?? 0
        var integers: [Int128] = []
        for decimal in decimals {
            guard let power = powerOfTen(decimal.exponent - exponent) else { return nil }
            let (scaled, overflow) = decimal.digits.multipliedReportingOverflow(by: power)
            guard !overflow else { return nil }
            integers.append(scaled)
        }
        return (integers, exponent)
    }

    /// The `Double` nearest `integer` × 10^`exponent`.
    package static func double(_ integer: Int128, exponent: Int) -> Double {
        Double("\(integer)e\(exponent)")!
    }
}
