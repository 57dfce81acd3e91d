/// The bound of a threshold: a plain number or a number with a unit.
public enum ThresholdValue: Sendable, Hashable, CustomStringConvertible {
    /// A plain number (`3`, `0.5`, `-1`).
    case number(Double)
    /// A duration (`2m`, `250ms`); compared in seconds.
    case duration(Duration)
    /// A size (`5MiB`); compared in bytes.
    case size(Int64)
    /// An event rate (`50/s`); compared per second.
    case rate(Double)
    /// A byte rate (`1MiB/s`); compared in bytes per second.
    case byteRate(Double)

    /// The value in its base unit: seconds, bytes, per second, bytes per second, or the number.
    public var numericValue: Double {
        switch self {
        case .number(let value), .rate(let value), .byteRate(let value): value
        case .duration(let duration): Arrival.seconds(duration)
        case .size(let bytes): Double(bytes)
        }
    }

    /// The value as written in scenario syntax (`3`, `2m`, `5MiB`, `50/s`, `10KiB/s`).
    public var description: String {
        switch self {
        case .number(let value): Units.format(number: value)
        case .duration(let duration): Units.format(duration: duration)
        case .size(let bytes): Units.format(size: bytes)
        case .rate(let perSecond): Units.format(rate: perSecond)
        case .byteRate(let bytesPerSecond): Units.format(byteRate: bytesPerSecond)
        }
    }

    /// Parses a number with an optional unit: none, a duration unit, a size unit, `/time`, or `size/time`.
    public init(parsing text: String) throws(ValueParseError) {
        let (trimmed, lead) = Units.trim(text)
        let scalars = Array(trimmed.unicodeScalars)
        guard let (number, end) = DecimalNumber.parse(scalars, from: 0) else {
            let found = trimmed.isEmpty ? "nothing" : "'\(trimmed)'"
            throw ValueParseError("expected a value like '3', '2m' or '5MiB', found \(found)", offset: lead)
        }
        let suffix = String(String.UnicodeScalarView(scalars[end...]))
        if suffix.isEmpty {
            guard number.doubleValue.isFinite else {
                throw ValueParseError("number '\(trimmed)' is too large", offset: lead)
            }
            self = .number(number.doubleValue)
        } else if suffix.hasPrefix("/") {
            self = .rate(try Units.parseRate(text))
        } else if suffix.contains("/") {
            self = .byteRate(try Units.parseByteRate(text))
        } else if Units.sizeUnits.contains(where: { $0.symbol == suffix }) {
            self = .size(try Units.parseSize(text))
        } else {
            let firstUnit = suffix.unicodeScalars.prefix { $0.properties.isAlphabetic }
            guard Units.timeUnits.contains(where: { $0.symbol == String(String.UnicodeScalarView(firstUnit)) }) else {
                let candidates = Units.timeUnits.map(\.symbol) + Units.sizeUnits.map(\.symbol)
                let hint = Suggestions.didYouMean(suffix, among: candidates)
                throw ValueParseError(
                    "unknown unit '\(suffix)' in '\(trimmed)'; expected a plain number, a duration "
                        + "(ms, s, m, h), a size (B, KiB, MiB, GiB, KB, MB, GB) or a rate (/s)\(hint)",
                    offset: lead + end)
            }
            self = .duration(try Units.parseDuration(text))
        }
    }
}
