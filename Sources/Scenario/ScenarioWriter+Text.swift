extension ScenarioWriter {
    /// Names that YAML readers could take for an empty value if written plainly.
    static let nullWords: Set<String> = ["null", "Null", "NULL", "~"]

    /// `text` as a YAML scalar: plain when it is a simple ASCII name (`node-1`, `ci-`), else
    /// double-quoted with every special character escaped. Safe in block and flow context.
    static func scalar(_ text: String) -> String {
        isPlainSafe(text) ? text : doubleQuoted(text)
    }

    /// Whether `text` reads back unchanged as a plain scalar, in block and flow context:
    /// it starts with an ASCII letter, digit or `_`, continues with those or `- . @ +`, and
    /// is not a null word.
    static func isPlainSafe(_ text: String) -> Bool {
        func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        guard let first = text.unicodeScalars.first, isAlphanumeric(first) || first == "_",
              !nullWords.contains(text)
        else { return false }
        return text.unicodeScalars.allSatisfy { isAlphanumeric($0) || "-_.@+".unicodeScalars.contains($0) }
    }

    /// `text` in YAML double quotes: `"` and `\` escaped, control and line-separator
    /// characters written as escapes, so the result is one printable line.
    static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                let value = scalar.value
                let needsEscape = value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
                    || value == 0xFEFF || scalar.properties.generalCategory == .unassigned
                    || scalar.properties.generalCategory == .privateUse
                if needsEscape {
                    out += value <= 0xFFFF ? "\\u" + hex(value, digits: 4) : "\\U" + hex(value, digits: 8)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `value` in upper-case hexadecimal, zero-padded to `digits`.
    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// A list of scalars in flow style: `[a, b]`.
    static func flowList(_ items: [String]) -> String {
        "[" + items.joined(separator: ", ") + "]"
    }

    /// A flow mapping of already-rendered values: `{ a: 1, b: 2 }` (`{}` when empty).
    static func flowMapping(_ pairs: [(key: String, value: String)]) -> String {
        guard !pairs.isEmpty else { return "{}" }
        return "{ " + pairs.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + " }"
    }

    // MARK: Values in the contract's unit syntax

    /// A duration (`1h30m`, `250ms`, `-5s`); exact (see `Units.format(duration:)`).
    static func duration(_ value: Duration) -> String {
        Units.format(duration: value)
    }

    /// A plain number (`3`, `0.5`) that parses back to exactly `value`.
    static func number(_ value: Double) -> String {
        Units.format(number: value)
    }

    /// An event rate given per second, in the first unit (`/s`, `/m`, `/h`, `/ms`) whose
    /// text parses back to exactly `perSecond` (`50/s`, `100/m`); `/s` if none does.
    static func rate(_ perSecond: Double) -> String {
        let candidates = [(1.0, "s"), (60.0, "m"), (3_600.0, "h"), (0.001, "ms")].map { factor, unit in
            "\(number(perSecond * factor))/\(unit)"
        }
        return candidates.first { (try? Units.parseRate($0)) == perSecond } ?? candidates[0]
    }

    /// A byte rate given in bytes per second (`10KiB/s`, `1.5B/s`, `100B/m`), in the first
    /// form that parses back to exactly `bytesPerSecond`.
    static func byteRate(_ bytesPerSecond: Double) -> String {
        var candidates = [Units.format(byteRate: bytesPerSecond)]
        candidates += [(1.0, "s"), (60.0, "m"), (3_600.0, "h"), (0.001, "ms")].map { factor, unit in
            "\(number(bytesPerSecond * factor))B/\(unit)"
        }
        return candidates.first { (try? Units.parseByteRate($0)) == bytesPerSecond } ?? candidates[0]
    }
}
