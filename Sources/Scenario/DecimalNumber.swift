/// An exactly parsed decimal number: `±mantissa × 10^exponent`.
///
/// Units are converted with integer arithmetic on this form, so `1.5s` is exactly
/// 1.5 seconds and `0.5KiB` exactly 512 bytes, with no floating-point rounding.
struct DecimalNumber: Sendable, Hashable {
    /// Whether a leading `-` was written.
    var isNegative: Bool
    /// The digits as an integer, without the decimal point.
    var mantissa: Int128
    /// Power of ten to apply to `mantissa`.
    var exponent: Int
    /// The text of the number exactly as written (for conversion to `Double`).
    var text: String

    /// Largest number of significant digits accepted (keeps `mantissa` far from overflow).
    static let maximumDigits = 30

    /// Parses the longest number at the start of `scalars[start...]`.
    ///
    /// Grammar: `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`.
    /// Returns nil when no digit starts there; `end` is the index after the number.
    static func parse(_ scalars: [Unicode.Scalar], from start: Int) -> (number: DecimalNumber, end: Int)? {
        var index = start
        var negative = false
        if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" {
            negative = scalars[index] == "-"
            index += 1
        }
        var mantissa: Int128 = 0
        var significant = 0
        var exponent = 0
        var sawDigit = false
        func isDigit(_ i: Int) -> Bool { i < scalars.count && ("0"..."9").contains(scalars[i]) }
        func take(_ scalar: Unicode.Scalar) -> Bool {
            let digit = Int128(scalar.value - 48)
            sawDigit = true
            if mantissa == 0 && digit == 0 { return true }
            significant += 1
            guard significant <= maximumDigits else { return false }
            mantissa = mantissa * 10 + digit
            return true
        }
        while isDigit(index) {
            guard take(scalars[index]) else { return nil }
            index += 1
        }
        if index < scalars.count, scalars[index] == ".", sawDigit || isDigit(index + 1) {
            index += 1
            while isDigit(index) {
                guard take(scalars[index]) else { return nil }
                exponent -= 1
                index += 1
            }
        }
        guard sawDigit else { return nil }
        if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
            var cursor = index + 1
            var exponentNegative = false
            if cursor < scalars.count, scalars[cursor] == "+" || scalars[cursor] == "-" {
                exponentNegative = scalars[cursor] == "-"
                cursor += 1
            }
            if isDigit(cursor) {
                var written = 0
                while isDigit(cursor) {
                    written = min(written * 10 + Int(scalars[cursor].value - 48), 10_000)
                    cursor += 1
                }
                exponent += exponentNegative ? -written : written
                index = cursor
            }
        }
        var text = String()
        text.unicodeScalars.append(contentsOf: scalars[start..<index])
        return (DecimalNumber(isNegative: negative, mantissa: mantissa, exponent: exponent, text: text), index)
    }

    /// Parses a whole string as a number (surrounding whitespace allowed).
    static func parse(whole text: String) -> DecimalNumber? {
        let scalars = Array(text.trimmingSpaces.unicodeScalars)
        guard let (number, end) = parse(scalars, from: 0), end == scalars.count else { return nil }
        return number
    }

    /// Whether the number is zero.
    var isZero: Bool { mantissa == 0 }

    /// The nearest `Double`.
    var doubleValue: Double {
        let magnitude = Double(text.hasPrefix("+") ? String(text.dropFirst()) : text) ?? .nan
        return magnitude
    }

    /// `|self| × unit`, truncated to an integer, and whether that was exact; nil on overflow.
    func magnitude(times unit: Int128) -> (value: Int128, exact: Bool)? {
        guard mantissa != 0 else { return (0, true) }
        let (product, overflow) = mantissa.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        if exponent >= 0 {
            guard exponent <= 38 else { return nil }
            var value = product
            for _ in 0..<exponent {
                let (next, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                value = next
            }
            return (value, true)
        }
        guard -exponent <= 38 else { return (0, false) }
        var divisor: Int128 = 1
        for _ in 0..<(-exponent) { divisor *= 10 }
        return (product / divisor, product % divisor == 0)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return self[first...last]
    }
}
