public import Scenario

/// The identity of one metric series: a name and all its tags, tags sorted by name.
///
/// Its text form is the report's metric key, `name{tag:value,...}` with the tags sorted
/// by tag name (or just `name` without tags), the same form as
/// `MetricSelector.canonicalKey`.
///
/// Invariants: `tags` is sorted by `MetricTag.name` (Swift `String` order, which for the
/// ASCII names of the contract is byte order) and no tag name appears twice.
public struct MetricKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The metric's name, e.g. `connections_rejected`.
    public let name: String
    /// The tags, sorted by tag name; names are unique.
    public let tags: [MetricTag]

    /// Creates a key from tags in any order.
    ///
    /// - Precondition: no tag name appears twice.
    /// - Complexity: O(*t* log *t*) in the number of tags; no sort when already sorted.
    public init(name: String, tags: [MetricTag]) {
        self.name = name
        self.tags = Self.canonical(tags, of: name)
    }

    /// Creates a key from `(name, value)` tag pairs in any order.
    ///
    /// - Precondition: no tag name appears twice.
    public init(name: String, tags: [(String, String)] = []) {
        self.init(name: name, tags: tags.map { MetricTag(name: $0.0, value: $0.1) })
    }

    /// `name{tag:value,...}` with tags sorted by name, or `name` without tags.
    /// - Complexity: O(length of the text); allocates the string.
    public var description: String {
        guard !tags.isEmpty else { return name }
        var text: [UInt8] = []
        appendText(to: &text) { _ in }
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the key's text (``description``) as UTF-8 to `bytes`, passing each name,
    /// tag and value appended to `written` (the report's snapshot checks them for ASCII).
    /// The one place that spells the format.
    @inline(__always)
    func appendText(to bytes: inout [UInt8], _ written: (UnsafeBufferPointer<UInt8>) -> Void) {
        Self.append(name, to: &bytes, written)
        guard !tags.isEmpty else { return }
        bytes.append(UInt8(ascii: "{"))
        for (offset, tag) in tags.enumerated() {
            if offset > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.append(tag.name, to: &bytes, written)
            bytes.append(UInt8(ascii: ":"))
            Self.append(tag.value, to: &bytes, written)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    @inline(__always)
    private static func append(_ text: String, to bytes: inout [UInt8], _ written: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { utf8 in
            bytes.append(contentsOf: utf8)
            written(utf8)
        }
    }

    /// The value of `tag`, if the key carries it.
    public func value(forTag tag: String) -> String? {
        tags.first { $0.name == tag }?.value
    }

    /// Whether this series is one of those `selector` selects: same name, and every tag
    /// the selector names is carried with the required value (other tags are free).
    /// - Complexity: O(*s* × *t*) for *s* selector tags and *t* key tags (both tiny).
    public func isSelected(by selector: MetricSelector) -> Bool {
        guard name == selector.name else { return false }
        return selector.tags.allSatisfy { wanted in
            tags.contains { $0.name == wanted.name && $0.value == wanted.value }
        }
    }

    /// Orders keys as the report lists them: by their text form.
    public static func < (lhs: MetricKey, rhs: MetricKey) -> Bool {
        lhs.description < rhs.description
    }

    /// `tags` sorted by name, checking that names are unique.
    private static func canonical(_ tags: [MetricTag], of name: String) -> [MetricTag] {
        var isSorted = true
        for index in tags.indices.dropFirst() where !(tags[index - 1].name < tags[index].name) {
            isSorted = false
            break
        }
        guard !isSorted else { return tags }
        let sorted = tags.sorted { $0.name < $1.name }
        for index in sorted.indices.dropFirst() {
            precondition(
                sorted[index - 1].name != sorted[index].name,
                "metric '\(name)' has tag '\(sorted[index].name)' twice")
        }
        return sorted
    }
}
