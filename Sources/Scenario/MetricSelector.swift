/// A reference to a metric in `expect`: `name` or `name{tag:value,...}`.
///
/// Tags not named are summed over (counters) or merged (histograms). `description`
/// renders the selector as written (tags in written order, no spaces), so parsing it
/// again gives an equal selector; `canonicalKey` sorts the tags by name, as the JSON
/// report does.
public struct MetricSelector: Sendable, Hashable, CustomStringConvertible {
    /// The metric's name.
    public var name: String
    /// The tag constraints, in written order; tag names are unique.
    public var tags: [MetricTag]

    /// Creates a selector.
    public init(name: String, tags: [MetricTag] = []) {
        self.name = name
        self.tags = tags
    }

    /// Parses `name` or `name{tag:value,...}` (spaces around the punctuation allowed).
    public init(parsing text: String) throws(ValueParseError) {
        self = try Self.parseWithOffsets(text).selector
    }

    /// The value required for `tag`, if the selector names it.
    public func value(forTag tag: String) -> String? {
        tags.first { $0.name == tag }?.value
    }

    /// `name{tag:value,...}` in written order, or `name` without tags.
    public var description: String {
        Self.render(name: name, tags: tags)
    }

    /// `name{tag:value,...}` with tags sorted by name (the report's key form).
    public var canonicalKey: String {
        Self.render(name: name, tags: tags.sorted { $0.name < $1.name })
    }

    static func render(name: String, tags: [MetricTag]) -> String {
        guard !tags.isEmpty else { return name }
        return name + "{" + tags.map { "\($0.name):\($0.value)" }.joined(separator: ",") + "}"
    }

    /// Scalar offsets of a parsed selector's parts, for pointing diagnostics into the text.
    struct Offsets {
        var name: Int
        var tagNames: [Int]
        var tagValues: [Int]
    }

    static let expectation = "expected a metric like 'connections_rejected' or 'connections_rejected{user:alice}'"

    /// Parses a selector and reports where each part starts.
    static func parseWithOffsets(
        _ text: String
    ) throws(ValueParseError) -> (selector: MetricSelector, offsets: Offsets) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func skipSpaces() {
            while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
        }
        func isNameStart(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isAlphabetic || scalar == "_" }
        func isNameChar(_ scalar: Unicode.Scalar) -> Bool { isNameStart(scalar) || ("0"..."9").contains(scalar) }
        func word(_ predicate: (Unicode.Scalar) -> Bool) -> String {
            let start = index
            while index < scalars.count, predicate(scalars[index]) { index += 1 }
            return String(String.UnicodeScalarView(scalars[start..<index]))
        }
        skipSpaces()
        let nameOffset = index
        guard index < scalars.count, isNameStart(scalars[index]) else {
            let found = text.trimmingSpaces.isEmpty ? "nothing" : "'\(text)'"
            throw ValueParseError("\(expectation), found \(found)", offset: index)
        }
        let name = word(isNameChar)
        var tags: [MetricTag] = []
        var offsets = Offsets(name: nameOffset, tagNames: [], tagValues: [])
        skipSpaces()
        if index < scalars.count, scalars[index] == "{" {
            index += 1
            skipSpaces()
            if index < scalars.count, scalars[index] == "}" {
                index += 1
            } else {
                while true {
                    skipSpaces()
                    let tagOffset = index
                    let tagName = word(isNameChar)
                    guard !tagName.isEmpty else {
                        throw ValueParseError("expected a tag name like 'user' in '\(text)'", offset: tagOffset)
                    }
                    if tags.contains(where: { $0.name == tagName }) {
                        throw ValueParseError("tag '\(tagName)' appears twice in '\(text)'", offset: tagOffset)
                    }
                    skipSpaces()
                    guard index < scalars.count, scalars[index] == ":" else {
                        throw ValueParseError(
                            "expected ':' after tag '\(tagName)' in '\(text)', like '\(tagName):value'", offset: index)
                    }
                    index += 1
                    skipSpaces()
                    let valueOffset = index
                    let forbidden: Set<Unicode.Scalar> = [",", "}", "{", ":"]
                    let value = String(word { !forbidden.contains($0) }.trimmingSpaces)
                    guard !value.isEmpty else {
                        throw ValueParseError("expected a value for tag '\(tagName)' in '\(text)'", offset: valueOffset)
                    }
                    tags.append(MetricTag(name: tagName, value: value))
                    offsets.tagNames.append(tagOffset)
                    offsets.tagValues.append(valueOffset)
                    guard index < scalars.count else {
                        throw ValueParseError("expected '}' to close the tags of '\(text)'", offset: index)
                    }
                    if scalars[index] == "}" {
                        index += 1
                        break
                    }
                    guard scalars[index] == "," else {
                        throw ValueParseError("expected ',' or '}' after tag '\(tagName)' in '\(text)'", offset: index)
                    }
                    index += 1
                }
            }
            skipSpaces()
        }
        guard index == scalars.count else {
            throw ValueParseError("unexpected '\(String(String.UnicodeScalarView(scalars[index...])))' after metric "
                                  + "'\(name)'; \(expectation)", offset: index)
        }
        return (MetricSelector(name: name, tags: tags), offsets)
    }
}

/// One tag constraint of a selector: `name:value`.
public struct MetricTag: Sendable, Hashable {
    /// The tag's name, e.g. `user`.
    public var name: String
    /// The required value, e.g. `alice`.
    public var value: String

    /// Creates a tag constraint.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
