extension Units {
    /// A size unit and its number of bytes.
    struct SizeUnit {
        let symbol: String
        let bytes: Int128
    }

    /// Size units: `B`, powers of 1024 (`KiB MiB GiB TiB`) and of 1000 (`KB MB GB TB`).
    static let sizeUnits: [SizeUnit] = [
        SizeUnit(symbol: "B", bytes: 1),
        SizeUnit(symbol: "KiB", bytes: 1 << 10),
        SizeUnit(symbol: "MiB", bytes: 1 << 20),
        SizeUnit(symbol: "GiB", bytes: 1 << 30),
        SizeUnit(symbol: "TiB", bytes: 1 << 40),
        SizeUnit(symbol: "KB", bytes: 1_000),
        SizeUnit(symbol: "MB", bytes: 1_000_000),
        SizeUnit(symbol: "GB", bytes: 1_000_000_000),
        SizeUnit(symbol: "TB", bytes: 1_000_000_000_000),
    ]

    static let sizeExpectation = "expected a size like '128KiB' or '5MiB'"
    static let byteRateExpectation = "expected a byte rate like '10KiB/s'"

    // MARK: Sizes

    /// Parses a size in bytes: a number and a unit, `B KiB MiB GiB` (powers of 1024) or
    /// `KB MB GB` (powers of 1000), e.g. `128KiB`, `5MiB`, `1.5KB`. The result must be a
    /// whole, non-negative number of bytes.
    public static func parseSize(_ text: String) throws(ValueParseError) -> Int64 {
        let (trimmed, lead) = trim(text)
        let scalars = Array(trimmed.unicodeScalars)
        return try parseSize(scalars, lead: lead, shown: String(trimmed), expectation: sizeExpectation)
    }

    /// Parses a byte rate in bytes per second: a size, `/`, a time unit (`10KiB/s`, `1MB/m`,
    /// `0.5B/s`); the size part may be fractional.
    public static func parseByteRate(_ text: String) throws(ValueParseError) -> Double {
        let (trimmed, lead) = trim(text)
        if let number = DecimalNumber.parse(whole: String(trimmed)), number.isZero { return 0 }
        guard let slash = trimmed.firstIndex(of: "/") else {
            throw ValueParseError("\(byteRateExpectation), found '\(trimmed)': add '/' and a time unit", offset: lead)
        }
        let sizeScalars = Array(trimmed[..<slash].unicodeScalars)
        let (number, unitBytes) = try parseSizeParts(
            sizeScalars, lead: lead, shown: String(trimmed), expectation: byteRateExpectation)
        let unitText = trimmed[trimmed.index(after: slash)...]
        let unitOffset = lead + sizeScalars.count + 1
        let unit = try rateUnit(unitText, in: String(trimmed), offset: unitOffset, expectation: byteRateExpectation)
        let value = number.doubleValue * Double(unitBytes) * Double(attosecondsPerSecond) / Double(unit)
        guard value.isFinite else { throw ValueParseError("byte rate '\(trimmed)' is too large", offset: lead) }
        return value
    }

    /// Shared size grammar over already-trimmed scalars; the result is a whole number of bytes.
    static func parseSize(
        _ scalars: [Unicode.Scalar], lead: Int, shown: String, expectation: String
    ) throws(ValueParseError) -> Int64 {
        let (number, unit) = try parseSizeParts(scalars, lead: lead, shown: shown, expectation: expectation)
        guard let (bytes, exact) = number.magnitude(times: unit), bytes <= Int128(Int64.max) else {
            throw ValueParseError("size '\(shown)' is too large", offset: lead)
        }
        guard exact else {
            throw ValueParseError("size '\(shown)' is not a whole number of bytes", offset: lead)
        }
        return Int64(bytes)
    }

    /// Splits a size into its number and the byte count of its unit (1 for a bare zero).
    static func parseSizeParts(
        _ scalars: [Unicode.Scalar], lead: Int, shown: String, expectation: String
    ) throws(ValueParseError) -> (DecimalNumber, Int128) {
        guard !scalars.isEmpty else { throw ValueParseError("\(expectation), found nothing", offset: lead) }
        guard let (number, end) = DecimalNumber.parse(scalars, from: 0) else {
            throw ValueParseError("\(expectation), found '\(shown)'", offset: lead)
        }
        guard !number.isNegative else {
            throw ValueParseError("expected a size of zero or more, found '\(shown)'", offset: lead)
        }
        let unitText = String(String.UnicodeScalarView(scalars[end...]))
        if unitText.isEmpty {
            if number.isZero { return (number, 1) }
            throw ValueParseError(
                "\(expectation), found '\(shown)': add a unit (B, KiB, MiB, GiB, KB, MB or GB)", offset: lead)
        }
        guard let unit = sizeUnits.first(where: { $0.symbol == unitText }) else {
            let hint = Suggestions.didYouMean(unitText, among: sizeUnits.map(\.symbol))
            throw ValueParseError(
                "unknown unit '\(unitText)' in size '\(shown)' (units: B, KiB, MiB, GiB, KB, MB, GB)\(hint)",
                offset: lead + end)
        }
        return (number, unit.bytes)
    }

    // MARK: Rates and numbers

    static let rateExpectation = "expected a rate like '50/s' or '300/m'"

    /// Parses an event rate, returning events per second: a number, `/`, a time unit
    /// (`50/s`, `300/m` = 5 per second, `0.5/ms`).
    public static func parseRate(_ text: String) throws(ValueParseError) -> Double {
        let (trimmed, lead) = trim(text)
        let scalars = Array(trimmed.unicodeScalars)
        guard !scalars.isEmpty else { throw ValueParseError("\(rateExpectation), found nothing", offset: lead) }
        guard let (number, end) = DecimalNumber.parse(scalars, from: 0) else {
            throw ValueParseError("\(rateExpectation), found '\(trimmed)'", offset: lead)
        }
        guard !number.isNegative else {
            throw ValueParseError("expected a rate of zero or more, found '\(trimmed)'", offset: lead)
        }
        if end == scalars.count {
            if number.isZero { return 0 }
            throw ValueParseError("\(rateExpectation), found '\(trimmed)': add '/' and a time unit", offset: lead)
        }
        guard scalars[end] == "/" else {
            throw ValueParseError("\(rateExpectation), found '\(trimmed)'", offset: lead + end)
        }
        let unitText = Substring(String(String.UnicodeScalarView(scalars[(end + 1)...])))
        let unit = try rateUnit(unitText, in: String(trimmed), offset: lead + end + 1, expectation: rateExpectation)
        let value = number.doubleValue * Double(attosecondsPerSecond) / Double(unit)
        guard value.isFinite else { throw ValueParseError("rate '\(trimmed)' is too large", offset: lead) }
        return value
    }

    /// Parses a plain decimal number (`3`, `-1.5`, `2e3`); no units, no `nan` or `inf`.
    public static func parseNumber(_ text: String) throws(ValueParseError) -> Double {
        let (trimmed, lead) = trim(text)
        guard let number = DecimalNumber.parse(whole: String(trimmed)) else {
            let found = trimmed.isEmpty ? "nothing" : "'\(trimmed)'"
            throw ValueParseError("expected a number, found \(found)", offset: lead)
        }
        let value = number.doubleValue
        guard value.isFinite else { throw ValueParseError("number '\(trimmed)' is too large", offset: lead) }
        return value
    }
}
