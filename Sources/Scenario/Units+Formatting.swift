extension Units {
    /// Formats a duration in the scenario syntax, largest units first (`1h30m`, `250ms`,
    /// `1s500ms`, `-5s`, `0s`); sub-millisecond parts become fractional milliseconds.
    /// The result parses back to exactly the same duration.
    public static func format(duration: Duration) -> String {
        let components = duration.components
        let total = Int128(components.seconds) * attosecondsPerSecond + Int128(components.attoseconds)
        guard total != 0 else { return "0s" }
        var remaining = total.magnitude
        var text = total < 0 ? "-" : ""
        for unit in timeUnits.dropLast() {
            let size = UInt128(unit.attoseconds)
            let count = remaining / size
            remaining %= size
            if count > 0 { text += "\(count)\(unit.symbol)" }
        }
        let perMillisecond = UInt128(attosecondsPerSecond / 1_000)
        let milliseconds = remaining / perMillisecond
        let fraction = remaining % perMillisecond
        if fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 15 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "\(milliseconds).\(digits)ms"
        } else if milliseconds > 0 {
            text += "\(milliseconds)ms"
        }
        return text
    }

    /// Formats a byte count with the largest unit that divides it exactly, binary units
    /// first (`5MiB`, `128KiB`, `5MB`, `1000001B`, `0B`).
    public static func format(size bytes: Int64) -> String {
        guard bytes != 0 else { return "0B" }
        let magnitude = Int128(bytes).magnitude
        let binary = sizeUnits.filter { $0.symbol.contains("i") }.reversed()
        let decimal = sizeUnits.filter { !$0.symbol.contains("i") && $0.symbol != "B" }.reversed()
        for unit in Array(binary) + Array(decimal) where magnitude % UInt128(unit.bytes) == 0 {
            return "\(bytes / Int64(unit.bytes))\(unit.symbol)"
        }
        return "\(bytes)B"
    }

    /// Formats an event rate given per second (`50/s`, `0.5/s`).
    public static func format(rate perSecond: Double) -> String {
        "\(format(number: perSecond))/s"
    }

    /// Formats a byte rate given in bytes per second (`10KiB/s`, `1.5B/s`).
    public static func format(byteRate bytesPerSecond: Double) -> String {
        if bytesPerSecond == bytesPerSecond.rounded(), abs(bytesPerSecond) < 9.0e18 {
            return "\(format(size: Int64(bytesPerSecond)))/s"
        }
        return "\(format(number: bytesPerSecond))B/s"
    }

    /// Formats a number as an integer when it is whole, else in Swift's shortest form.
    public static func format(number: Double) -> String {
        if number == number.rounded(), abs(number) < 1.0e15 {
            return String(Int64(number))
        }
        return "\(number)"
    }
}
