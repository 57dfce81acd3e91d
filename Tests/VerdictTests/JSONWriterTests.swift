import SimulationKernel
import Testing

@testable import Verdict

/// The report's writer appends bytes; they must be the text the `String`-based
/// helpers write.
@Suite("JSON writer")
struct JSONWriterTests {
    @Test("strings are quoted and escaped as JSONText quotes them", arguments: [
        "", "plain", "with \"quotes\"", "back\\slash", "line\nbreak\r\ttab", "\u{01}\u{1F}\u{7F}", "é日😀",
        "e\u{301}", "mixed \" é \n \\ \u{00}",
    ])
    func quoting(_ text: String) {
        var writer = JSONWriter()
        writer.string(text)
        writer.key(text)
        #expect(writer.output == JSONText.quoted(text) + JSONText.quoted(text) + ": ")
    }

    @Test("integers are written as String(_:) writes them")
    func integers() {
        var random = SeededRandom(seed: 11)
        var values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, .max, .min]
        for _ in 0..<500 { values.append(Int64(bitPattern: random.next()) >> Int64(random.next(below: 64))) }
        for value in values {
            var writer = JSONWriter()
            writer.integer(value)
            writer.raw(",")
            writer.unsigned(value.magnitude)
            #expect(writer.output == "\(value),\(value.magnitude)")
        }
    }
}
