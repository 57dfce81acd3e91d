import SimulationKernel
import Testing

@Suite("Decimal digits written into strings")
struct DecimalDigitsTests {
    @Test("a prefix and a number read as their interpolation, for every digit count and the extremes")
    func prefixAndNumber() {
        var values: [UInt64] = [0, 1, 9, 10, 11, 99, 100, 999_999_999, 1_000_000_000, .max, .max - 1]
        var power: UInt64 = 1
        for _ in 0..<19 {
            values += [power - 1, power, power + 1]
            power *= 10
        }
        for value in values {
            #expect(String("lease-", decimal: value) == "lease-\(value)")
            #expect(String("", decimal: value) == "\(value)")
            #expect(DecimalDigits.count(value) == "\(value)".utf8.count)
        }
    }

    @Test("digits land at the asked position and the end index follows them")
    func writesInPlace() {
        var bytes = [UInt8](repeating: UInt8(ascii: "."), count: 8)
        let end = bytes.withUnsafeMutableBufferPointer { DecimalDigits.write(4_071, into: $0, at: 2) }
        #expect(end == 6)
        #expect(String(decoding: bytes, as: UTF8.self) == "..4071..")
    }
}
