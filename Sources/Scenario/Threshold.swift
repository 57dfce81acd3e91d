/// A threshold expression of `expect`: `'<op> <value>'`, or `'<agg> <op> <value>'` for histograms.
///
/// Examples: `== 3`, `<= 2`, `max <= 2m`, `p(99) < 250ms`, `>= 5MiB`. `description`
/// renders the canonical form (`p(99) < 250ms`), which parses back to an equal threshold.
public struct Threshold: Sendable, Hashable, CustomStringConvertible {
    /// The histogram aggregate compared, or nil for counters and gauges.
    public var aggregate: ThresholdAggregate?
    /// How the measured value is compared.
    public var comparison: ComparisonOperator
    /// The bound.
    public var value: ThresholdValue

    /// Creates a threshold.
    public init(aggregate: ThresholdAggregate? = nil, comparison: ComparisonOperator, value: ThresholdValue) {
        self.aggregate = aggregate
        self.comparison = comparison
        self.value = value
    }

    static let expectation = "expected a threshold like '== 3', '<= 2' or 'max <= 2m'"

    /// Parses `[agg] op value`; `agg` is `count`, `min`, `max`, `avg` or `p(N)` (also `pN`),
    /// `op` one of `== != < <= > >=`, and `value` a number with an optional unit.
    public init(parsing text: String) throws(ValueParseError) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func skipSpaces() {
            while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
        }
        skipSpaces()
        guard index < scalars.count else { throw ValueParseError("\(Self.expectation), found nothing", offset: index) }
        var aggregate: ThresholdAggregate?
        if scalars[index].properties.isAlphabetic {
            let start = index
            while index < scalars.count, !" \t=!<>".unicodeScalars.contains(scalars[index]) { index += 1 }
            let word = String(String.UnicodeScalarView(scalars[start..<index]))
            aggregate = try ThresholdAggregate(parsing: word, offset: start)
            skipSpaces()
        }
        let operatorOffset = index
        let rest = String(String.UnicodeScalarView(scalars[index...]))
        guard let comparison = ComparisonOperator.allCases
            .sorted(by: { $0.rawValue.count > $1.rawValue.count })
            .first(where: { rest.hasPrefix($0.rawValue) })
        else {
            let hint = rest.hasPrefix("=") ? "; write '==' for equality" : ""
            let found = rest.isEmpty ? "nothing" : "'\(rest)'"
            throw ValueParseError(
                "expected a comparison (==, !=, <, <=, >, >=) in '\(text)', found \(found)\(hint)",
                offset: operatorOffset)
        }
        index += comparison.rawValue.unicodeScalars.count
        skipSpaces()
        let valueOffset = index
        let valueText = String(String.UnicodeScalarView(scalars[index...]))
        do {
            value = try ThresholdValue(parsing: valueText)
        } catch {
            throw ValueParseError(error.message, offset: valueOffset + error.offset)
        }
        self.aggregate = aggregate
        self.comparison = comparison
    }

    /// `[agg ]op value`, e.g. `max <= 2m`.
    public var description: String {
        let head = aggregate.map { "\($0) " } ?? ""
        return "\(head)\(comparison.rawValue) \(value)"
    }

    /// Whether `measured` (in the metric's base unit: seconds, bytes, …) satisfies the threshold.
    public func isSatisfied(by measured: Double) -> Bool {
        comparison.evaluate(measured, value.numericValue)
    }
}

/// A histogram aggregate named by a threshold.
public enum ThresholdAggregate: Sendable, Hashable, CustomStringConvertible {
    /// Number of observations.
    case count
    /// Smallest observation.
    case min
    /// Largest observation.
    case max
    /// Mean of the observations.
    case avg
    /// The given percentile, in (0, 100].
    case percentile(Double)

    /// `count`, `min`, `max`, `avg` or `p(N)`.
    public var description: String {
        switch self {
        case .count: "count"
        case .min: "min"
        case .max: "max"
        case .avg: "avg"
        case .percentile(let value): "p(\(Units.format(number: value)))"
        }
    }

    /// Parses an aggregate word; `offset` locates it in the threshold text for errors.
    init(parsing word: String, offset: Int) throws(ValueParseError) {
        switch word {
        case "count": self = .count
        case "min": self = .min
        case "max": self = .max
        case "avg": self = .avg
        default:
            var digits: Substring?
            if word.hasPrefix("p("), word.hasSuffix(")"), word.count > 3 {
                digits = word.dropFirst(2).dropLast()
            } else if word.hasPrefix("p"), word.count > 1, word.dropFirst().allSatisfy({ $0.isNumber || $0 == "." }) {
                digits = word.dropFirst()
            }
            guard let digits else {
                let hint = Suggestions.didYouMean(word, among: ["count", "min", "max", "avg", "p(99)"])
                throw ValueParseError(
                    "unknown aggregate '\(word)'; expected count, min, max, avg or p(N) like p(99)\(hint)",
                    offset: offset)
            }
            guard let number = DecimalNumber.parse(whole: String(digits)), !number.isNegative,
                  number.doubleValue > 0, number.doubleValue <= 100
            else {
                throw ValueParseError("expected a percentile in (0, 100] like p(99), found '\(word)'", offset: offset)
            }
            self = .percentile(number.doubleValue)
        }
    }
}

/// A comparison operator of a threshold.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    /// `==`
    case equal = "=="
    /// `!=`
    case notEqual = "!="
    /// `<`
    case less = "<"
    /// `<=`
    case lessOrEqual = "<="
    /// `>`
    case greater = ">"
    /// `>=`
    case greaterOrEqual = ">="

    /// Whether `lhs op rhs` holds.
    public func evaluate(_ lhs: Double, _ rhs: Double) -> Bool {
        switch self {
        case .equal: lhs == rhs
        case .notEqual: lhs != rhs
        case .less: lhs < rhs
        case .lessOrEqual: lhs <= rhs
        case .greater: lhs > rhs
        case .greaterOrEqual: lhs >= rhs
        }
    }
}
