import NegotiationEngine
import Testing

struct OutcomeCountTests {
    @Test func powersOfTenPrintExactly() {
        var count = OutcomeCount(1)
        for exponent in 1...40 {
            count *= 10
            #expect(count.description == "1" + String(repeating: "0", count: exponent))
        }
    }

    @Test(arguments: [0, 1, 7, 4_294_967_295, 4_294_967_296, 123_456_789_012])
    func productsAgreeWithIntegerArithmetic(factor: Int) {
        var generator = SeededGenerator(seed: UInt64(factor))
        for _ in 0..<200 {
            let a = Int.random(in: 0...3_000_000_000, using: &generator)
            let b = Int.random(in: 0...3_000, using: &generator)
            var count = OutcomeCount(a)
            count *= b
            #expect(count.description == String(a * b))
            #expect(count.intValue == a * b)
            #expect((OutcomeCount(a) * OutcomeCount(b)) == count)
            #expect((OutcomeCount(a) + OutcomeCount(b)).description == String(a + b))
        }
        var big = OutcomeCount(factor)
        big *= factor
        #expect(big == OutcomeCount(factor) * OutcomeCount(factor))
    }

    @Test func orderAndConversions() {
        var huge = OutcomeCount(1)
        for _ in 0..<20 { huge *= 10 }
        #expect(huge.intValue == nil)
        #expect(huge.doubleValue == 1e20)
        #expect(OutcomeCount(5) < OutcomeCount(6))
        #expect(OutcomeCount(Int.max) < huge)
        #expect(!(huge < huge))
        #expect(OutcomeCount.zero.description == "0")
        var zero = huge
        zero *= 0
        #expect(zero == .zero)
    }
}
