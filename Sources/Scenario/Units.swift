/// Parsers for the unit forms of scenario files: durations, sizes, rates and plain numbers.
///
/// Every parser is pure, accepts surrounding whitespace, and throws a `ValueParseError`
/// whose message says what was expected (`expected a duration like '30s' or '1h30m',
/// found 'abc'`). The bare number `0` is accepted by every parser as zero of its unit.
/// Formatting (`Units.format`) produces text that parses back to the same value.
public enum Units: Sendable {
    /// A time unit of durations and rates, largest first.
    struct TimeUnit {
        let symbol: String
        let attoseconds: Int128
    }

    static let attosecondsPerSecond: Int128 = 1_000_000_000_000_000_000

    /// `h`, `m`, `s`, `ms`: the duration units, largest first.
    static let timeUnits: [TimeUnit] = [
        TimeUnit(symbol: "h", attoseconds: 3_600 * attosecondsPerSecond),
        TimeUnit(symbol: "m", attoseconds: 60 * attosecondsPerSecond),
        TimeUnit(symbol: "s", attoseconds: attosecondsPerSecond),
        TimeUnit(symbol: "ms", attoseconds: attosecondsPerSecond / 1_000),
    ]

    /// Common spellings of time units that are not units, mapped to the unit meant.
    static let timeUnitAliases: [String: String] = [
        "sec": "s", "secs": "s", "second": "s", "seconds": "s",
        "min": "m", "mins": "m", "minute": "m", "minutes": "m",
        "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
        "msec": "ms", "msecs": "ms", "millis": "ms", "millisecond": "ms", "milliseconds": "ms",
    ]

    static let durationExpectation = "expected a duration like '30s' or '1h30m'"

    /// Longest duration accepted, in hours (about 114 years), so sums of durations cannot overflow.
    public static let maximumDurationHours = 1_000_000

    // MARK: Durations

    /// Parses a non-negative duration: a number and a unit (`ms s m h`), units combinable
    /// largest first (`250ms`, `30s`, `2m`, `1h30m`, `1.5s`).
    public static func parseDuration(_ text: String) throws(ValueParseError) -> Duration {
        let duration = try parseSignedDuration(text)
        guard duration >= .zero else {
            throw ValueParseError("expected a duration of zero or more, found '\(text.trimmingSpaces)'")
        }
        return duration
    }

    /// Parses a duration that may start with `-` or `+` (a clock offset: `-5s`).
    public static func parseSignedDuration(_ text: String) throws(ValueParseError) -> Duration {
        let (trimmed, lead) = trim(text)
        let scalars = Array(trimmed.unicodeScalars)
        guard !scalars.isEmpty else { throw ValueParseError("\(durationExpectation), found nothing") }
        let shown = String(trimmed)
        var index = 0
        var negative = false
        if scalars[0] == "-" || scalars[0] == "+" {
            negative = scalars[0] == "-"
            index = 1
        }
        var total: Int128 = 0
        var previousUnit = -1
        while index < scalars.count {
            guard let (number, numberEnd) = DecimalNumber.parse(scalars, from: index), !number.isNegative,
                  !(number.text.hasPrefix("+"))
            else {
                throw ValueParseError("\(durationExpectation), found '\(shown)'", offset: lead + index)
            }
            var unitEnd = numberEnd
            while unitEnd < scalars.count, scalars[unitEnd].properties.isAlphabetic || scalars[unitEnd] == "µ" {
                unitEnd += 1
            }
            let unitText = String(String.UnicodeScalarView(scalars[numberEnd..<unitEnd]))
            if unitText.isEmpty {
                if number.isZero, unitEnd == scalars.count, previousUnit == -1 { return .zero }
                let hint = unitEnd == scalars.count
                    ? ": add a unit (ms, s, m or h)"
                    : ""
                throw ValueParseError("\(durationExpectation), found '\(shown)'\(hint)", offset: lead + index)
            }
            guard let unitIndex = timeUnits.firstIndex(where: { $0.symbol == unitText }) else {
                throw ValueParseError(
                    "unknown unit '\(unitText)' in duration '\(shown)' (units: ms, s, m, h)\(timeUnitHint(unitText))",
                    offset: lead + numberEnd)
            }
            guard unitIndex > previousUnit else {
                throw ValueParseError(
                    "units in duration '\(shown)' must go from largest to smallest, each at most once, like '1h30m'",
                    offset: lead + numberEnd)
            }
            previousUnit = unitIndex
            guard let (part, _) = number.magnitude(times: timeUnits[unitIndex].attoseconds) else {
                throw ValueParseError("duration '\(shown)' is too large", offset: lead + index)
            }
            let (sum, overflow) = total.addingReportingOverflow(part)
            guard !overflow else { throw ValueParseError("duration '\(shown)' is too large", offset: lead) }
            total = sum
            index = unitEnd
        }
        guard previousUnit >= 0 else { throw ValueParseError("\(durationExpectation), found '\(shown)'", offset: lead) }
        guard total <= Int128(maximumDurationHours) * timeUnits[0].attoseconds else {
            throw ValueParseError("duration '\(shown)' is too large (at most \(maximumDurationHours)h)", offset: lead)
        }
        let seconds = total / attosecondsPerSecond
        let duration = Duration(
            secondsComponent: Int64(seconds), attosecondsComponent: Int64(total % attosecondsPerSecond))
        return negative ? .zero - duration : duration
    }

    /// `; did you mean 's'?` for a misspelled time unit, or nothing.
    static func timeUnitHint(_ unit: String) -> String {
        if let alias = timeUnitAliases[unit.lowercased()] { return "; did you mean '\(alias)'?" }
        return Suggestions.didYouMean(unit, among: timeUnits.map(\.symbol))
    }

    /// The duration of one time unit written after `/` in a rate (`s` in `50/s`).
    static func rateUnit(
        _ text: Substring, in whole: String, offset: Int, expectation: String
    ) throws(ValueParseError) -> Int128 {
        let unit = String(text)
        if let match = timeUnits.first(where: { $0.symbol == unit }) { return match.attoseconds }
        if unit.isEmpty {
            throw ValueParseError(
                "\(expectation), found '\(whole)': add a time unit after '/' (ms, s, m or h)", offset: offset)
        }
        throw ValueParseError(
            "unknown time unit '\(unit)' in '\(whole)' (units: ms, s, m, h)\(timeUnitHint(unit))", offset: offset)
    }

    /// Splits off surrounding whitespace, returning the text and how many scalars were dropped in front.
    static func trim(_ text: String) -> (Substring, Int) {
        let trimmed = text.trimmingSpaces
        let lead = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: trimmed.startIndex)
        return (trimmed, lead)
    }
}
