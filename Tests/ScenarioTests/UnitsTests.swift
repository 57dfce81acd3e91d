import Scenario
import Testing

@Suite("Units")
struct UnitsTests {
    @Test("durations in every unit and combination", arguments: [
        ("250ms", Duration.milliseconds(250)),
        ("30s", .seconds(30)),
        ("2m", .seconds(120)),
        ("1h", .seconds(3_600)),
        ("1h30m", .seconds(5_400)),
        ("1h30m15s250ms", .milliseconds(5_415_250)),
        ("1.5s", .milliseconds(1_500)),
        ("0.25ms", .microseconds(250)),
        (".5m", .seconds(30)),
        ("0", .zero),
        ("0s", .zero),
        ("  30s ", .seconds(30)),
    ])
    func duration(text: String, expected: Duration) throws {
        #expect(try Units.parseDuration(text) == expected)
    }

    @Test("signed durations for clock offsets")
    func signedDuration() throws {
        #expect(try Units.parseSignedDuration("-5s") == .seconds(-5))
        #expect(try Units.parseSignedDuration("+1m30s") == .seconds(90))
        #expect(try Units.parseSignedDuration("-1.5s") == .milliseconds(-1_500))
    }

    @Test("duration errors say what was expected", arguments: [
        ("abc", "expected a duration like '30s' or '1h30m', found 'abc'"),
        ("", "expected a duration like '30s' or '1h30m', found nothing"),
        ("30", "expected a duration like '30s' or '1h30m', found '30': add a unit (ms, s, m or h)"),
        ("30sec", "unknown unit 'sec' in duration '30sec' (units: ms, s, m, h); did you mean 's'?"),
        ("5x", "unknown unit 'x' in duration '5x' (units: ms, s, m, h)"),
        ("30m1h", "units in duration '30m1h' must go from largest to smallest, each at most once, like '1h30m'"),
        ("1m1m", "units in duration '1m1m' must go from largest to smallest, each at most once, like '1h30m'"),
        ("-5s", "expected a duration of zero or more, found '-5s'"),
        ("1h 30m", "expected a duration like '30s' or '1h30m', found '1h 30m'"),
        ("99999999999999999999h", "duration '99999999999999999999h' is too large"),
        ("1000001h", "duration '1000001h' is too large (at most 1000000h)"),
    ])
    func durationError(text: String, message: String) {
        #expect(throws: ValueParseError(message, offset: offsetOfError(text))) { try Units.parseDuration(text) }
    }

    /// Offsets are checked separately; this just reproduces what the parser reports for equality.
    func offsetOfError(_ text: String) -> Int {
        do {
            _ = try Units.parseDuration(text)
            return -1
        } catch {
            return error.offset
        }
    }

    @Test("duration error offsets point at the bad part")
    func durationErrorOffsets() {
        #expect(throws: ValueParseError("unknown unit 'x' in duration '1h5x' (units: ms, s, m, h)", offset: 3)) {
            try Units.parseDuration("1h5x")
        }
        #expect(throws: ValueParseError("expected a duration like '30s' or '1h30m', found 'abc'", offset: 2)) {
            try Units.parseDuration("  abc")
        }
    }

    @Test("sizes in binary and decimal units", arguments: [
        ("128KiB", Int64(131_072)),
        ("5MiB", 5_242_880),
        ("1GiB", 1_073_741_824),
        ("10B", 10),
        ("1KB", 1_000),
        ("5MB", 5_000_000),
        ("2GB", 2_000_000_000),
        ("1.5KiB", 1_536),
        ("1.3MB", 1_300_000),
        ("0", 0),
    ])
    func size(text: String, expected: Int64) throws {
        #expect(try Units.parseSize(text) == expected)
    }

    @Test("size errors", arguments: [
        ("5", "expected a size like '128KiB' or '5MiB', found '5': add a unit (B, KiB, MiB, GiB, KB, MB or GB)"),
        ("5kb", "unknown unit 'kb' in size '5kb' (units: B, KiB, MiB, GiB, KB, MB, GB); did you mean 'KB'?"),
        ("5Mi", "unknown unit 'Mi' in size '5Mi' (units: B, KiB, MiB, GiB, KB, MB, GB); did you mean 'MiB'?"),
        ("0.1B", "size '0.1B' is not a whole number of bytes"),
        ("-1KiB", "expected a size of zero or more, found '-1KiB'"),
        ("big", "expected a size like '128KiB' or '5MiB', found 'big'"),
    ])
    func sizeError(text: String, message: String) {
        #expect {
            try Units.parseSize(text)
        } throws: { error in
            (error as? ValueParseError)?.message == message
        }
    }

    @Test("rates are per second", arguments: [
        ("50/s", 50.0),
        ("300/m", 5.0),
        ("7200/h", 2.0),
        ("2/ms", 2_000.0),
        ("0.5/s", 0.5),
        ("0", 0.0),
    ])
    func rate(text: String, expected: Double) throws {
        #expect(try Units.parseRate(text) == expected)
    }

    @Test("rate errors", arguments: [
        ("50", "expected a rate like '50/s' or '300/m', found '50': add '/' and a time unit"),
        ("50/sec", "unknown time unit 'sec' in '50/sec' (units: ms, s, m, h); did you mean 's'?"),
        ("50/", "expected a rate like '50/s' or '300/m', found '50/': add a time unit after '/' (ms, s, m or h)"),
        ("fast", "expected a rate like '50/s' or '300/m', found 'fast'"),
        ("-1/s", "expected a rate of zero or more, found '-1/s'"),
    ])
    func rateError(text: String, message: String) {
        #expect {
            try Units.parseRate(text)
        } throws: { error in
            (error as? ValueParseError)?.message == message
        }
    }

    @Test("byte rates are bytes per second", arguments: [
        ("10KiB/s", 10_240.0),
        ("20KiB/s", 20_480.0),
        ("1MB/m", 1_000_000.0 / 60),
        ("0.5B/s", 0.5),
        ("0", 0.0),
    ])
    func byteRate(text: String, expected: Double) throws {
        #expect(try Units.parseByteRate(text) == expected)
    }

    @Test("byte rate errors")
    func byteRateErrors() {
        #expect(throws: ValueParseError.self) { try Units.parseByteRate("10KiB") }
        #expect(throws: ValueParseError.self) { try Units.parseByteRate("10/s") }
        #expect(throws: ValueParseError.self) { try Units.parseByteRate("10KiB/x") }
    }

    @Test("plain numbers")
    func numbers() throws {
        #expect(try Units.parseNumber("3") == 3)
        #expect(try Units.parseNumber("-1.5") == -1.5)
        #expect(try Units.parseNumber("2e3") == 2_000)
        #expect(throws: ValueParseError("expected a number, found 'nan'")) { try Units.parseNumber("nan") }
        #expect(throws: ValueParseError("expected a number, found '3s'")) { try Units.parseNumber("3s") }
    }

    @Test("formatted durations parse back to the same value", arguments: [
        Duration.zero, .milliseconds(250), .seconds(30), .seconds(120), .seconds(5_400), .milliseconds(1_500),
        .microseconds(250), .nanoseconds(1), .seconds(-5), .seconds(90_061),
    ])
    func durationRoundTrip(duration: Duration) throws {
        let text = Units.format(duration: duration)
        #expect(try Units.parseSignedDuration(text) == duration)
    }

    @Test("duration formatting is canonical")
    func durationFormatting() {
        #expect(Units.format(duration: .seconds(5_400)) == "1h30m")
        #expect(Units.format(duration: .milliseconds(1_500)) == "1s500ms")
        #expect(Units.format(duration: .microseconds(250)) == "0.25ms")
        #expect(Units.format(duration: .seconds(-5)) == "-5s")
        #expect(Units.format(duration: .zero) == "0s")
    }

    @Test("formatted sizes and rates parse back",
          arguments: [Int64(0), 1, 1_000, 1_024, 5_242_880, 1_300_000, 1_000_001])
    func sizeRoundTrip(bytes: Int64) throws {
        #expect(try Units.parseSize(Units.format(size: bytes)) == bytes)
        #expect(try Units.parseByteRate(Units.format(byteRate: Double(bytes))) == Double(bytes))
    }

    @Test("size and rate formatting")
    func sizeFormatting() throws {
        #expect(Units.format(size: 5_242_880) == "5MiB")
        #expect(Units.format(size: 5_000_000) == "5MB")
        #expect(Units.format(size: 1_000_001) == "1000001B")
        #expect(Units.format(byteRate: 10_240) == "10KiB/s")
        #expect(Units.format(byteRate: 0.5) == "0.5B/s")
        #expect(Units.format(rate: 50) == "50/s")
        #expect(try Units.parseRate(Units.format(rate: 0.00001)) == 0.00001)
    }
}
