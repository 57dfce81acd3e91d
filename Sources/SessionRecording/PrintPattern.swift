#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif
import SimulationKernel

/// The deterministic output that ``PrintPayload/pattern(byteCount:)`` stands for.
///
/// A fixed table of 1 MiB of terminal-like text (log lines, file listings and
/// prose with colour escapes, generated once from a constant seed; gzip level 1
/// compresses it about 4×, like real session output (`ls -lR` output: 7×, source code: 3×)) followed by a copy of
/// its first 64 KiB, so that any window of up to
/// ``SessionEvent/maximumPrintBytes`` starting inside the first MiB is
/// contiguous. The output of event *i* of session *s* is the window starting at
/// ``offset(sessionDigest:index:)``; it compresses like real output (far more
/// than 32 KiB separates repeats, beyond deflate's window) but costs no memory
/// per event and no generation time: the writer compresses straight from the
/// table, and the decoder compares against it.
public enum PrintPattern {
    /// Size of the addressable table; a power of two.
    static let period = 1 << 20

    /// The table: `period` bytes of text plus a copy of the first 64 KiB.
    static let table: [UInt8] = makeTable()

    /// Where the output of event `index` of the session with `sessionDigest`
    /// (``SessionID/stableDigest``) starts in the table. - Complexity: O(1).
    public static func offset(sessionDigest: UInt64, index: Int) -> Int {
        let mixed = StableHash.mix(sessionDigest ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15))
        return Int(truncatingIfNeeded: mixed & UInt64(period - 1))
    }

    /// Calls `body` with the `count` pattern bytes of event `index` of the
    /// session with `sessionDigest`, without copying.
    ///
    /// - Precondition: `0 <= count <= SessionEvent.maximumPrintBytes`.
    public static func withBytes<R>(
        sessionDigest: UInt64, index: Int, count: Int, _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R {
        precondition(count >= 0 && count <= SessionEvent.maximumPrintBytes, "pattern window out of range")
        let start = offset(sessionDigest: sessionDigest, index: index)
        return try table.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[start..<(start + count)]))
        }
    }

    /// The `count` pattern bytes of event `index` of `session`, as an array (for tests and tools).
    public static func bytes(session: SessionID, index: Int, count: Int) -> [UInt8] {
        withBytes(sessionDigest: session.stableDigest, index: index, count: count) { Array($0) }
    }

    /// Whether `candidate` is exactly the pattern output of event `index` of the
    /// session with `sessionDigest`. - Complexity: O(n), a `memcmp`.
    public static func matches(_ candidate: UnsafeRawBufferPointer, sessionDigest: UInt64, index: Int) -> Bool {
        guard candidate.count <= SessionEvent.maximumPrintBytes else { return false }
        return withBytes(sessionDigest: sessionDigest, index: index, count: candidate.count) { expected in
            guard let a = expected.baseAddress, let b = candidate.baseAddress else { return true }
            return memcmp(a, b, candidate.count) == 0
        }
    }

    /// Generates the table: lines of terminal-like output — log lines, file
    /// listings and prose — with colour escapes, from a fixed seed.
    private static func makeTable() -> [UInt8] {
        var random = SeededRandom(seed: 0x5E55_10E5_7AB1_E000)
        let letters = Array("etaoinshrdlcumwfgypbvkjxqz".utf8)
        var vocabulary: [[UInt8]] = []
        vocabulary.reserveCapacity(1024)
        for _ in 0..<1024 {
            let length = 2 + random.next(below: 9)
            // Skewed towards frequent letters, like English.
            vocabulary.append((0..<length).map { _ in letters[min(random.next(below: 26), random.next(below: 26))] })
        }
        func word(_ random: inout SeededRandom) -> [UInt8] {
            // Zipf-like: low ranks are far more frequent.
            vocabulary[min(random.next(below: 1024), random.next(below: 1024), random.next(below: 1024))]
        }
        func number(_ value: Int, width: Int) -> [UInt8] {
            let digits = Array(String(value).utf8)
            return [UInt8](repeating: UInt8(ascii: "0"), count: max(0, width - digits.count)) + digits
        }
        // Log messages come from templates, as real logs do.
        let components = (0..<32).map { _ in word(&random) }
        let templates = (0..<96).map { _ in
            (0..<(3 + random.next(below: 8))).reduce(into: [UInt8]()) { line, _ in line += word(&random) + [UInt8(ascii: " ")] }
        }
        let levels = ["INFO ", "DEBUG", "WARN ", "ERROR"].map { Array($0.utf8) }
        let colours: [[UInt8]] = ["\u{1B}[32m", "\u{1B}[36m", "\u{1B}[33m", "\u{1B}[31m"].map { Array($0.utf8) }
        let reset = Array("\u{1B}[0m".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(period + SessionEvent.maximumPrintBytes + 512)
        var clock = 0
        while text.count < period {
            switch random.next(below: 10) {
            case 0..<6:  // a log line: 2024-03-07 12:34:56.789 INFO  [component] message
                clock += random.next(below: 2000)
                let level = min(random.next(below: 4), random.next(below: 4))
                text += Array("2024-03-".utf8) + number(1 + clock / 86_400_000 % 28, width: 2) + [UInt8(ascii: " ")]
                text += number(clock / 3_600_000 % 24, width: 2) + [UInt8(ascii: ":")] + number(clock / 60_000 % 60, width: 2)
                text += [UInt8(ascii: ":")] + number(clock / 1000 % 60, width: 2) + [UInt8(ascii: ".")] + number(clock % 1000, width: 3)
                text += [UInt8(ascii: " ")] + colours[level] + levels[level] + reset + Array(" [".utf8)
                text += components[min(random.next(below: 32), random.next(below: 32))] + Array("] ".utf8)
                text += templates[min(random.next(below: 96), random.next(below: 96))]
                if random.next(below: 3) == 0 { text += Array("id=".utf8) + number(random.next(below: 1_000_000), width: 0) }
            case 6..<9:  // a file listing line
                text += Array((random.next(below: 4) == 0 ? "drwxr-xr-x 2" : "-rw-r--r-- 1").utf8)
                text += Array(" alice staff ".utf8) + number(random.next(below: 100_000), width: 8)
                text += Array(" Mar  7 12:".utf8) + number(random.next(below: 60), width: 2) + [UInt8(ascii: " ")]
                text += colours[1] + word(&random) + [UInt8(ascii: "_")] + word(&random) + reset
                text += Array([".swift", ".log", ".json", ".txt"][random.next(below: 4)].utf8)
            default:  // prose
                for _ in 0..<(6 + random.next(below: 10)) { text += word(&random) + [UInt8(ascii: " ")] }
            }
            text += [0x0D, 0x0A]
        }
        text.removeLast(text.count - period)
        text.append(contentsOf: text[0..<SessionEvent.maximumPrintBytes])
        return text
    }
}
