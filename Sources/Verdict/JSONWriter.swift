import SimulationKernel

/// A tiny deterministic JSON emitter: the report's bytes depend only on what is written,
/// in the order written (no dictionaries, no locale, no Foundation).
///
/// Numbers: integers in decimal without a point; doubles in Swift's shortest round-trip
/// form (`900.0`, `0.002`, `1e-05`), which JSON accepts; non-finite doubles as `null`.
struct JSONWriter {
    /// The text written so far.
    private(set) var output = ""

    init(reservingCapacity capacity: Int = 1_024) {
        output.reserveCapacity(capacity)
    }

    /// Appends raw text (punctuation, indentation, newlines).
    mutating func raw(_ text: String) { output += text }

    /// Appends a quoted, escaped string.
    mutating func string(_ value: String) { JSONText.appendQuoted(value, to: &output) }

    /// Appends `"key": ` (the key quoted, then a colon and a space).
    mutating func key(_ key: String) {
        JSONText.appendQuoted(key, to: &output)
        output += ": "
    }

    /// Appends an integer.
    mutating func integer(_ value: Int64) { output += String(value) }

    /// Appends an unsigned integer.
    mutating func unsigned(_ value: UInt64) { output += String(value) }

    /// Appends a double (shortest round-trip form), or `null` if it is not finite.
    mutating func double(_ value: Double) { output += Self.format(value) }

    /// Appends a double, or `null` when absent or not finite.
    mutating func double(_ value: Double?) {
        if let value { double(value) } else { output += "null" }
    }

    /// Appends `true` or `false`.
    mutating func bool(_ value: Bool) { output += value ? "true" : "false" }

    /// Appends a measured number (integer or real), or `null`.
    mutating func number(_ value: MetricNumber?) {
        switch value {
        case .integer(let integer): self.integer(integer)
        case .real(let real): double(real)
        case nil: output += "null"
        }
    }

    /// Appends `["a", "b"]`.
    mutating func strings(_ values: [String]) {
        output += "["
        for (offset, value) in values.enumerated() {
            if offset > 0 { output += ", " }
            string(value)
        }
        output += "]"
    }

    /// The JSON form of a double: Swift's shortest round-trip description, `null` if
    /// not finite.
    static func format(_ value: Double) -> String {
        value.isFinite ? value.description : "null"
    }
}
