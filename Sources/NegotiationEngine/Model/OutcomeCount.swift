/// An exact count of outcomes, however large.
///
/// Outcome spaces multiply: twenty issues of ten options already hold 10^20 packages, past
/// `UInt64`. Counts are exact so that reports agree digit for digit with other tools;
/// ``doubleValue`` gives the nearest `Double` for fractions and plots.
///
/// ```swift
/// var count = OutcomeCount(1)
/// for _ in 0..<20 { count *= 10 }
/// print(count)   // 100000000000000000000
/// ```
public struct OutcomeCount: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Little-endian base-2^32 digits, no trailing zero limbs (zero is `[]`).
    private var limbs: [UInt32]

    public init(_ value: Int) {
        precondition(value >= 0, "an outcome count cannot be negative")
        var remaining = UInt64(value)
        limbs = []
        while remaining > 0 {
            limbs.append(UInt32(truncatingIfNeeded: remaining))
            remaining >>= 32
        }
    }

    public static let zero = OutcomeCount(0)

    /// The count as an `Int`, or `nil` when it does not fit.
    public var intValue: Int? {
        guard limbs.count <= 2 else { return nil }
        var value: UInt64 = 0
        for (position, limb) in limbs.enumerated() { value |= UInt64(limb) << (32 * UInt64(position)) }
        return value <= UInt64(Int.max) ? Int(value) : nil
    }

    /// The nearest `Double`.
    public var doubleValue: Double {
        limbs.reversed().reduce(0.0) { $0 * 4_294_967_296.0 + Double($1) }
    }

    /// - Complexity: O(number of digits)
    public static func *= (lhs: inout OutcomeCount, rhs: Int) {
        precondition(rhs >= 0, "an outcome count cannot be negative")
        guard rhs != 0 else {
            lhs.limbs = []
            return
        }
        let factor = UInt64(rhs)
        if factor <= UInt64(UInt32.max) {
            var carry: UInt64 = 0
            for position in lhs.limbs.indices {
                let product = UInt64(lhs.limbs[position]) * factor + carry
                lhs.limbs[position] = UInt32(truncatingIfNeeded: product)
                carry = product >> 32
            }
            while carry > 0 {
                lhs.limbs.append(UInt32(truncatingIfNeeded: carry))
                carry >>= 32
            }
        } else {
            lhs = lhs * OutcomeCount(rhs)
        }
    }

    public static func * (lhs: OutcomeCount, rhs: OutcomeCount) -> OutcomeCount {
        guard !lhs.limbs.isEmpty, !rhs.limbs.isEmpty else { return .zero }
        var result = [UInt32](repeating: 0, count: lhs.limbs.count + rhs.limbs.count)
        for (i, a) in lhs.limbs.enumerated() {
            var carry: UInt64 = 0
            for (j, b) in rhs.limbs.enumerated() {
                let sum = UInt64(a) * UInt64(b) + UInt64(result[i + j]) + carry
                result[i + j] = UInt32(truncatingIfNeeded: sum)
                carry = sum >> 32
            }
            var k = i + rhs.limbs.count
            while carry > 0 {
                let sum = UInt64(result[k]) + carry
                result[k] = UInt32(truncatingIfNeeded: sum)
                carry = sum >> 32
                k += 1
            }
        }
        var count = OutcomeCount(0)
        count.limbs = result
        count.normalize()
        return count
    }

    public static func += (lhs: inout OutcomeCount, rhs: OutcomeCount) {
        var carry: UInt64 = 0
        let length = max(lhs.limbs.count, rhs.limbs.count)
        lhs.limbs.reserveCapacity(length + 1)
        for position in 0..<length {
            let a = position < lhs.limbs.count ? UInt64(lhs.limbs[position]) : 0
            let b = position < rhs.limbs.count ? UInt64(rhs.limbs[position]) : 0
            let sum = a + b + carry
            if position < lhs.limbs.count {
                lhs.limbs[position] = UInt32(truncatingIfNeeded: sum)
            } else {
                lhs.limbs.append(UInt32(truncatingIfNeeded: sum))
            }
            carry = sum >> 32
        }
        if carry > 0 { lhs.limbs.append(UInt32(carry)) }
    }

    public static func + (lhs: OutcomeCount, rhs: OutcomeCount) -> OutcomeCount {
        var sum = lhs
        sum += rhs
        return sum
    }

    public static func < (lhs: OutcomeCount, rhs: OutcomeCount) -> Bool {
        if lhs.limbs.count != rhs.limbs.count { return lhs.limbs.count < rhs.limbs.count }
        for position in lhs.limbs.indices.reversed() where lhs.limbs[position] != rhs.limbs[position] {
            return lhs.limbs[position] < rhs.limbs[position]
        }
        return false
    }

    /// The count in decimal digits.
    public var description: String {
        if limbs.isEmpty { return "0" }
        var remaining = limbs
        var chunks: [UInt32] = []  // base 10^9, least significant first
        while !remaining.isEmpty {
            var remainder: UInt64 = 0
            for position in remaining.indices.reversed() {
                let current = (remainder << 32) | UInt64(remaining[position])
                remaining[position] = UInt32(current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            chunks.append(UInt32(remainder))
            while let last = remaining.last, last == 0 { remaining.removeLast() }
        }
        var text = String(chunks.removeLast())
        for chunk in chunks.reversed() {
            let digits = String(chunk)
            text += String(repeating: "0", count: 9 - digits.count) + digits
        }
        return text
    }

    private mutating func normalize() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }
}
