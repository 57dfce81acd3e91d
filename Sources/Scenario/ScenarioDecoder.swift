import Yams

/// Turns a composed YAML tree into a `Scenario`, collecting every problem on the way.
///
/// Decoding never stops at the first error: each section is decoded with defaults
/// standing in for broken values, so one pass reports all problems of the file.
/// Internal; `ScenarioLoader` is the public entry point.
final class ScenarioDecoder {
    /// The file name used in diagnostics.
    let fileName: String
    /// Problems found so far, in discovery order.
    private(set) var diagnostics: [ScenarioDiagnostic] = []

    init(fileName: String) {
        self.fileName = fileName
    }

    /// Records an error at `location`.
    func error(_ message: String, at location: SourcePosition) {
        diagnostics.append(ScenarioDiagnostic(file: fileName, location: location, message: message))
    }

    /// Records an error at a node's start.
    func error(_ message: String, at node: Node) {
        error(message, at: location(of: node))
    }

    /// Records a unit or expression parse error, pointing into the scalar's text.
    func error(_ parseError: ValueParseError, in node: Node) {
        error(parseError.message, at: location(of: node, offset: parseError.offset))
    }

    // MARK: Node inspection

    /// Where a node starts (line 1, column 1 if the parser gave no mark).
    func location(of node: Node) -> SourcePosition {
        guard let mark = node.mark else { return .start }
        return SourcePosition(line: mark.line, column: mark.column)
    }

    /// The location of the character `offset` scalars into a scalar's text, past its
    /// opening quote; block scalars (`|`, `>`) and multi-line text point at the node.
    func location(of node: Node, offset: Int) -> SourcePosition {
        let start = location(of: node)
        guard let scalar = node.scalar, !scalar.string.contains("\n") else { return start }
        switch scalar.style {
        case .singleQuoted, .doubleQuoted: return start.advanced(by: 1 + offset)
        case .plain, .any: return start.advanced(by: offset)
        case .literal, .folded: return start
        }
    }

    /// Whether a node is an empty value (`key:` with nothing, `~` or `null`).
    func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// How a node reads in a message: `'text'`, `a mapping`, `a list` or `nothing`.
    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if isNull(node) { return "nothing" }
            let text = scalar.string
            let shown = text.count > 60 ? String(text.prefix(57)) + "..." : text
            return "'\(shown)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// Records "expected X, found Y" at the node.
    func typeError(expected: String, found node: Node) {
        error("expected \(expected), found \(describe(node))", at: node)
    }

    // MARK: Collections

    /// The items of a list node; a null value is an empty list. Reports other node kinds.
    func list(_ node: Node, expected: String) -> [Node]? {
        if isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            typeError(expected: expected, found: node)
            return nil
        }
        return Array(sequence)
    }

    /// A list node's items, or a single scalar as a one-item list (`users: ci` or `users: [a, b]`).
    func listOrSingle(_ node: Node, expected: String) -> [Node]? {
        if case .scalar = node, !isNull(node) { return [node] }
        return list(node, expected: expected)
    }

    /// The key–value pairs of a mapping with user-chosen keys (roles, users, expect), in
    /// file order, with `<<` merge keys expanded. A null value is an empty mapping.
    func pairs(_ node: Node, expected: String) -> [MappingEntry]? {
        if isNull(node) { return [] }
        guard case .mapping(let mapping) = node else {
            typeError(expected: expected, found: node)
            return nil
        }
        var budget = Self.mergeBudget
        return resolve(mapping, budget: &budget)
    }

    /// Most keys that merging (`<<`) may visit in one mapping, against alias bombs.
    static let mergeBudget = 10_000

    /// A mapping's entries with merge keys applied: keys written in the mapping win over
    /// merged ones, and an earlier merge source wins over a later one (YAML merge rules).
    private func resolve(_ mapping: Node.Mapping, budget: inout Int) -> [MappingEntry] {
        var written: [(entry: MappingEntry, merged: Bool)] = []
        for (key, value) in mapping {
            budget -= 1
            guard budget >= 0 else {
                if budget == -1 { error("too many keys merged with '<<' (more than \(Self.mergeBudget))", at: key) }
                break
            }
            if isMergeKey(key) {
                let sources: [Node]
                switch value {
                case .sequence(let sequence): sources = Array(sequence)
                default: sources = [value]
                }
                for source in sources {
                    guard case .mapping(let inner) = source else {
                        typeError(expected: "a mapping to merge with '<<'", found: source)
                        continue
                    }
                    written += resolve(inner, budget: &budget).map { ($0, true) }
                }
                continue
            }
            guard case .scalar(let scalar) = key, !isNull(key) else {
                typeError(expected: "a key name", found: key)
                continue
            }
            let entry = MappingEntry(key: scalar.string, keyLocation: location(of: key), keyNode: key, value: value)
            written.append((entry, false))
        }
        let explicitKeys = Set(written.filter { !$0.merged }.map(\.entry.key))
        var mergedKeys: Set<String> = []
        return written.compactMap { item in
            guard item.merged else { return item.entry }
            guard !explicitKeys.contains(item.entry.key), mergedKeys.insert(item.entry.key).inserted else { return nil }
            return item.entry
        }
    }

    /// Whether a key is the YAML merge key `<<` (unquoted).
    func isMergeKey(_ key: Node) -> Bool {
        guard let scalar = key.scalar else { return false }
        return scalar.string == "<<" && (scalar.style == .plain || scalar.style == .any)
    }

    /// The fields of a mapping with a fixed set of keys. Reports a non-mapping value and
    /// every key not in `allowed` (with the nearest allowed key, or `misplaced`'s
    /// explanation when the key belongs elsewhere). A null value is an empty mapping.
    func fields(
        _ node: Node, in context: String, allowed: [String], misplaced: (String) -> String? = { _ in nil }
    ) -> Fields? {
        guard let entries = pairs(node, expected: "a mapping for \(context)") else { return nil }
        var kept: [MappingEntry] = []
        var unknownKeys = 0
        for entry in entries {
            if allowed.contains(entry.key) {
                kept.append(entry)
                continue
            }
            unknownKeys += 1
            if let explanation = misplaced(entry.key) {
                error(explanation, at: entry.keyLocation)
                continue
            }
            var message = "unknown key '\(entry.key)' in \(context)"
            if let match = Suggestions.nearest(to: entry.key, among: allowed) {
                message += "; did you mean '\(match)'?"
            } else if allowed.isEmpty {
                message += "; it takes no keys"
            } else {
                message += "; expected \(Suggestions.alternatives(allowed))"
            }
            error(message, at: entry.keyLocation)
        }
        return Fields(location: location(of: node), context: context, entries: kept, unknownKeyCount: unknownKeys)
    }

    /// The value of a required key, or an error at the mapping when it is missing.
    func required(_ fields: Fields, _ key: String) -> Node? {
        if let value = fields[key] { return value }
        error("missing required key '\(key)' in \(fields.context)", at: fields.location)
        return nil
    }
}

/// One key of a YAML mapping with its value.
struct MappingEntry {
    /// The key's text.
    var key: String
    /// Where the key is written.
    var keyLocation: SourcePosition
    /// The key node (for keys that are themselves parsed, like metric selectors).
    var keyNode: Node
    /// The value node.
    var value: Node
}

/// The known keys of a mapping, after unknown keys were reported.
struct Fields {
    /// Where the mapping starts.
    var location: SourcePosition
    /// What the mapping is, for messages (`cluster`, `script step`, …).
    var context: String
    /// The known keys in file order.
    var entries: [MappingEntry]
    /// How many unknown keys were reported (to avoid piling follow-up errors on a typo).
    var unknownKeyCount: Int

    /// The value of `key`, if present.
    subscript(key: String) -> Node? {
        entries.first { $0.key == key }?.value
    }

    /// Where `key` is written, if present.
    func keyLocation(_ key: String) -> SourcePosition? {
        entries.first { $0.key == key }?.keyLocation
    }

    /// Whether `key` is present.
    func has(_ key: String) -> Bool {
        entries.contains { $0.key == key }
    }
}
