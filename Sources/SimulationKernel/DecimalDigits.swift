/// Decimal digits written straight into a string's bytes, for names made on every
/// message or connection (lease ids, rejection messages): one string built in place,
/// where interpolation appends piece by piece (and converts the number through its
/// `description`).
public enum DecimalDigits {
    /// The number of decimal digits of `value` (1 for 0). - Complexity: O(digits).
    @inlinable
    public static func count(_ value: UInt64) -> Int {
        var digits = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        return digits
    }

    /// Writes `value` in decimal at `start` of `buffer`, which must have room for
    /// ``count(_:)`` bytes there; returns the index after the last digit.
    @inlinable
    public static func write(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        write(value, zeroPaddedTo: count(value), into: buffer, at: start)
    }

    /// Writes the last `width` decimal digits of `value`, zero-padded, at `start` of
    /// `buffer`; returns the index after them. - Precondition: room for `width` bytes.
    @inlinable
    public static func write(_ value: UInt64, zeroPaddedTo width: Int, into buffer: UnsafeMutableBufferPointer<UInt8>,
                             at start: Int) -> Int {
        var position = start + width
        var rest = value
        while position > start {
            position -= 1
            buffer[position] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
        return start + width
    }
}

extension String {
    /// `prefix` followed by `value` in decimal: `"\(prefix)\(value)"`, written into one
    /// string (no allocation when it fits a small string, 15 bytes).
    @inlinable
    public init(_ prefix: StaticString, decimal value: UInt64) {
        let prefixCount = prefix.utf8CodeUnitCount
        self.init(unsafeUninitializedCapacity: prefixCount + DecimalDigits.count(value)) { buffer in
            let start = buffer.initialize(fromContentsOf: UnsafeBufferPointer(start: prefix.utf8Start, count: prefixCount))
            return DecimalDigits.write(value, into: buffer, at: start)
        }
    }
}
