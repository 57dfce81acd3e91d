import SimulationKernel

/// A tiny deterministic JSON emitter: the report's bytes depend only on what is written,
/// in the order written (no dictionaries, no locale, no Foundation).
///
/// Numbers: integers in decimal without a point; doubles in Swift's shortest round-trip
/// form (`900.0`, `0.002`, `1e-05`), which JSON accepts; non-finite doubles as `null`.
struct JSONWriter {
    /// The UTF-8 bytes written so far (a report of a million series is tens of
    /// megabytes: bytes appended with no per-append `String` work, made text once).
    private var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 1_024) {
        bytes.reserveCapacity(capacity)
    }

    /// The text written so far.
    var output: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends raw text (punctuation, indentation, newlines).
    mutating func raw(_ text: String) { append(text) }

    /// Appends a quoted, escaped string: the bytes of `JSONText.appendQuoted`.
    mutating func string(_ value: String) { JSONBytes.appendQuoted(value, to: &bytes) }

    /// Appends `"key": ` (the key quoted, then a colon and a space).
    mutating func key(_ key: String) {
        string(key)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(UInt8(ascii: " "))
    }

    /// Appends an integer.
    mutating func integer(_ value: Int64) { JSONBytes.appendInteger(value, to: &bytes) }

    /// Appends an unsigned integer.
    mutating func unsigned(_ value: UInt64) { JSONBytes.appendDigits(value, to: &bytes) }

    /// Appends a double (shortest round-trip form), or `null` if it is not finite.
    mutating func double(_ value: Double) { append(Self.format(value)) }

    /// Appends a double, or `null` when absent or not finite.
    mutating func double(_ value: Double?) {
        if let value { double(value) } else { append("null") }
    }

    /// Appends `true` or `false`.
    mutating func bool(_ value: Bool) { append(value ? "true" : "false") }

    private mutating func append(_ text: some StringProtocol) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
        if copied == nil { bytes.append(contentsOf: text.utf8) }
    }

    /// Appends a measured number (integer or real), or `null`.
    mutating func number(_ value: MetricNumber?) {
        switch value {
        case .integer(let integer): self.integer(integer)
        case .real(let real): double(real)
        case nil: append("null")
        }
    }

    /// Appends `["a", "b"]`.
    mutating func strings(_ values: [String]) {
        raw("[")
        for (offset, value) in values.enumerated() {
            if offset > 0 { raw(", ") }
            string(value)
        }
        raw("]")
    }

    /// The JSON form of a double: Swift's shortest round-trip description, `null` if
    /// not finite.
    static func format(_ value: Double) -> String {
        value.isFinite ? value.description : "null"
    }
}
