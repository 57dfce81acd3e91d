import Yams

/// Readers for scalar values: each reports its own error and returns nil on failure.
extension ScenarioDecoder {
    /// The text of a non-empty scalar, or an error "expected `expected`, found …".
    func text(_ node: Node, expected: String) -> Located<String>? {
        guard case .scalar(let scalar) = node, !isNull(node) else {
            typeError(expected: expected, found: node)
            return nil
        }
        return Located(scalar.string, at: location(of: node))
    }

    /// Characters allowed in names besides letters and digits.
    static let nameSymbols: Set<Character> = ["-", "_", ".", "@", "+"]

    /// A name (of a node, user, role, handle, load entry, or a prefix): letters, digits
    /// and `- _ . @ +`, so it can appear in a metric selector.
    func name(_ node: Node, expected: String) -> Located<String>? {
        guard let value = text(node, expected: expected) else { return nil }
        if let bad = value.value.firstIndex(where: { !($0.isLetter || $0.isNumber || Self.nameSymbols.contains($0)) }) {
            let offset = value.value.unicodeScalars.distance(from: value.value.startIndex, to: bad)
            error("expected \(expected) made of letters, digits and '-', '_', '.', '@', '+', found '\(value.value)'",
                  at: location(of: node, offset: offset))
            return nil
        }
        return value
    }

    /// A non-negative duration; with `positive`, zero is rejected too.
    func duration(_ node: Node, positive: Bool = false) -> Located<Duration>? {
        guard let value = text(node, expected: Units.durationExpectation.dropExpected) else { return nil }
        do {
            let duration = try Units.parseDuration(value.value)
            if positive, duration == .zero {
                error("expected a duration greater than zero, found '\(value.value)'", at: node)
                return nil
            }
            return Located(duration, at: value.location)
        } catch {
            self.error(error, in: node)
            return nil
        }
    }

    /// A duration that may be negative (`-5s`).
    func signedDuration(_ node: Node) -> Located<Duration>? {
        guard let value = text(node, expected: "a duration like '5s' or '-5s'") else { return nil }
        do {
            return Located(try Units.parseSignedDuration(value.value), at: value.location)
        } catch {
            self.error(error, in: node)
            return nil
        }
    }

    /// A byte rate in bytes per second (`10KiB/s`).
    func byteRate(_ node: Node) -> Located<Double>? {
        guard let value = text(node, expected: "a byte rate like '10KiB/s'") else { return nil }
        do {
            return Located(try Units.parseByteRate(value.value), at: value.location)
        } catch {
            self.error(error, in: node)
            return nil
        }
    }

    /// An event rate in events per second (`50/s`); with `positive`, zero is rejected.
    func rate(_ node: Node, positive: Bool) -> Located<Double>? {
        guard let value = text(node, expected: "a rate like '50/s' or '300/m'") else { return nil }
        do {
            let rate = try Units.parseRate(value.value)
            if positive, rate == 0 {
                error("expected a rate greater than zero, found '\(value.value)'", at: node)
                return nil
            }
            return Located(rate, at: value.location)
        } catch {
            self.error(error, in: node)
            return nil
        }
    }

    /// A plain number within `range`, described as `noun` in messages.
    func number(_ node: Node, noun: String, in range: ClosedRange<Double>) -> Located<Double>? {
        guard let value = text(node, expected: noun) else { return nil }
        guard let number = DecimalNumber.parse(whole: value.value), number.doubleValue.isFinite else {
            typeError(expected: noun, found: node)
            return nil
        }
        guard range.contains(number.doubleValue) else {
            error("expected \(noun) \(Self.describe(range)), found '\(value.value)'", at: node)
            return nil
        }
        return Located(number.doubleValue, at: value.location)
    }

    /// A probability in [0, 1].
    func probability(_ node: Node) -> Located<Double>? {
        number(node, noun: "a probability", in: 0...1)
    }

    /// A whole number within `range`, described as `noun` in messages (`a count`).
    func integer(_ node: Node, noun: String, in range: ClosedRange<Int>) -> Located<Int>? {
        guard let value = text(node, expected: "\(noun) (a whole number)") else { return nil }
        guard let integer = Int(value.value.trimmingSpaces) else {
            if let number = DecimalNumber.parse(whole: value.value),
               number.exponent < 0 || number.mantissa > Int128(Int.max) {
                let reason = number.exponent < 0 ? "a whole number" : "a number no larger than \(range.upperBound)"
                error("expected \(noun) (\(reason)), found '\(value.value)'", at: node)
            } else {
                typeError(expected: "\(noun) (a whole number)", found: node)
            }
            return nil
        }
        guard range.contains(integer) else {
            error("expected \(noun) \(Self.describe(range)), found '\(value.value)'", at: node)
            return nil
        }
        return Located(integer, at: value.location)
    }

    /// A seed: a whole number from 0 to 2⁶⁴−1.
    func seed(_ node: Node) -> Located<UInt64>? {
        guard let value = text(node, expected: "a seed (a whole number)") else { return nil }
        guard let seed = UInt64(value.value.trimmingSpaces) else {
            error("expected a seed between 0 and \(UInt64.max), found '\(value.value)'", at: node)
            return nil
        }
        return Located(seed, at: value.location)
    }

    /// `true` or `false`.
    func boolean(_ node: Node) -> Located<Bool>? {
        guard let value = text(node, expected: "true or false") else { return nil }
        switch value.value {
        case "true", "True", "TRUE": return Located(true, at: value.location)
        case "false", "False", "FALSE": return Located(false, at: value.location)
        default:
            typeError(expected: "true or false", found: node)
            return nil
        }
    }

    /// One of an enumeration's raw values, with a suggestion for a near miss.
    func choice<Choice: RawRepresentable & CaseIterable & Sendable>(
        _ node: Node, noun: String
    ) -> Located<Choice>? where Choice.RawValue == String {
        let names = Choice.allCases.map(\.rawValue)
        guard let value = text(node, expected: "\(noun): \(Suggestions.alternatives(names))") else { return nil }
        if let choice = Choice(rawValue: value.value) { return Located(choice, at: value.location) }
        let hint = Suggestions.didYouMean(value.value, among: names)
        error("unknown \(noun) '\(value.value)'\(hint) (expected \(Suggestions.alternatives(names)))", at: node)
        return nil
    }

    /// `of at least 1`, `between 0 and 10`, … for range messages.
    static func describe(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max
            ? "of at least \(range.lowerBound)"
            : "between \(range.lowerBound) and \(range.upperBound)"
    }

    /// `of at least 0`, `between 0 and 1`, … for range messages.
    static func describe(_ range: ClosedRange<Double>) -> String {
        let lower = Units.format(number: range.lowerBound)
        let upper = Units.format(number: range.upperBound)
        return range.upperBound == .infinity ? "of at least \(lower)" : "between \(lower) and \(upper)"
    }
}

extension String {
    /// `a duration like …` from `expected a duration like …`.
    var dropExpected: String {
        hasPrefix("expected ") ? String(dropFirst("expected ".count)) : self
    }
}
