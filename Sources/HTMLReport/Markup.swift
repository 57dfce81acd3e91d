import Verdict

/// A tiny deterministic markup writer for the XHTML-compatible report: every element is
/// closed (void elements self-closed), every text and attribute value escaped, and the
/// bytes depend only on what is written, in the order written.
struct Markup {
    /// The markup written so far.
    private(set) var output = ""

    /// Creates an empty writer, reserving `capacity` bytes.
    init(capacity: Int = 4_096) {
        output.reserveCapacity(capacity)
    }

    /// Appends markup as is (the caller guarantees it is well-formed).
    mutating func raw(_ markup: String) { output += markup }

    /// Appends escaped text.
    mutating func text(_ text: String) { output += XMLEscaping.text(text) }

    /// Appends `<name a="v"…>`.
    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        output += "<" + name
        appendAttributes(attributes)
        output += ">"
    }

    /// Appends `</name>`.
    mutating func close(_ name: String) { output += "</" + name + ">" }

    /// Appends `<name a="v"…>text</name>`.
    mutating func element(_ name: String, _ attributes: [(String, String)] = [], text: String) {
        open(name, attributes)
        self.text(text)
        close(name)
    }

    /// Appends a self-closed element, `<name a="v"…/>`.
    mutating func empty(_ name: String, _ attributes: [(String, String)] = []) {
        output += "<" + name
        appendAttributes(attributes)
        output += "/>"
    }

    /// Appends a line break (between block elements, for a readable source).
    mutating func newline() { output += "\n" }

    private mutating func appendAttributes(_ attributes: [(String, String)]) {
        for (key, value) in attributes {
            output += " " + key + "=\"" + XMLEscaping.attribute(value) + "\""
        }
    }
}

/// Deterministic number formatting for coordinates and labels (no locale, no Foundation).
enum Format {
    /// `12.3`, `12`, `-0.5`: rounded to one decimal, a trailing `.0` dropped (SVG coordinates).
    static func coordinate(_ value: Double) -> String {
        decimal(value, places: 1)
    }

    /// `value` rounded to `places` decimals (0…6), trailing zeros dropped.
    static func decimal(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale: Int64 = 1
        for _ in 0..<max(0, min(places, 6)) { scale *= 10 }
        let scaled = (value * Double(scale)).rounded()
        guard abs(scaled) < 9.0e17 else { return String(Int64(value.rounded())) }
        let units = Int64(scaled)
        let whole = units / scale
        var fraction = String(abs(units % scale))
        if scale > 1 {
            fraction = String(repeating: "0", count: String(scale).count - 1 - fraction.count) + fraction
        }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let sign = units < 0 && whole == 0 ? "-" : ""
        return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// A virtual time or duration in seconds for people: `0s`, `250ms`, `1m30s`, `12.5s`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "-" }
        let magnitude = abs(seconds)
        let sign = seconds < 0 ? "-" : ""
        if magnitude == 0 { return "0s" }
        if magnitude < 1 { return sign + decimal(magnitude * 1_000, places: magnitude < 0.01 ? 3 : 1) + "ms" }
        if magnitude < 60 { return sign + decimal(magnitude, places: 3) + "s" }
        let milliseconds = Int64((magnitude * 1_000).rounded())
        let hours = milliseconds / 3_600_000
        let minutes = milliseconds / 60_000 % 60
        let rest = Double(milliseconds % 60_000) / 1_000
        var text = sign
        if hours > 0 { text += "\(hours)h" }
        if minutes > 0 { text += "\(minutes)m" }
        if rest > 0 { text += decimal(rest, places: 3) + "s" }
        return text
    }

    /// `1,234,567`: an integer with thousands separators.
    static func count(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// `1,234`.
    static func count(_ value: Int) -> String { count(Int64(value)) }

    /// `"1 rejection"`, `"3 rejections"`.
    static func counted(_ value: Int, _ noun: String, plural: String? = nil) -> String {
        count(value) + " " + (value == 1 ? noun : plural ?? noun + "s")
    }
}
