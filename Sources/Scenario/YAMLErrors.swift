import Yams

/// Turns the YAML parser's errors into diagnostic messages and locations.
enum YAMLErrors {
    /// A readable message and the position the parser reported.
    static func describe(_ error: YamlError, in yaml: String) -> (message: String, location: SourcePosition) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            if problem == "but found another document" {
                return ("a scenario file holds one YAML document; found a second one after '---'", location(mark))
            }
            var message = "invalid YAML: \(problem)"
            if let context {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            return (message, location(mark))
        case .reader(let problem, let offset, _, _):
            return ("invalid YAML: \(problem)", offset.map { location(ofCharacter: $0, in: yaml) } ?? .start)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            let first = location(context.mark)
            let others = duplicates.dropFirst().map { "'\($0)'" }
            let also = others.isEmpty ? "" : " (also duplicated here: \(others.joined(separator: ", ")))"
            if let second = secondOccurrence(of: key, firstAt: first, in: yaml) {
                return ("'\(key)' is defined twice in this mapping (first at line \(first.line), column "
                        + "\(first.column))\(also)", second)
            }
            return ("'\(key)' is defined more than once in this mapping\(also)", first)
        default:
            return ("invalid YAML: \(error)", .start)
        }
    }

    static func location(_ mark: Mark) -> SourcePosition {
        SourcePosition(line: max(mark.line, 1), column: max(mark.column, 1))
    }

    /// Line and column of the `offset`-th character of `text`.
    static func location(ofCharacter offset: Int, in text: String) -> SourcePosition {
        var line = 1
        var column = 1
        for (index, character) in text.enumerated() {
            if index == offset { break }
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return SourcePosition(line: line, column: column)
    }

    /// Where `key` is written again in the same mapping as its first occurrence at `first`.
    ///
    /// Looks on the same line for a flow mapping (`{a: 1, a: 2}`), then on following lines
    /// at the same column for a block mapping, stopping where the mapping's indentation ends.
    /// Plain keys only; returns nil when it cannot tell.
    static func secondOccurrence(of key: String, firstAt first: SourcePosition, in yaml: String) -> SourcePosition? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        let keyScalars = Array(key.unicodeScalars)
        guard first.line >= 1, first.line <= lines.count, !keyScalars.isEmpty else { return nil }
        func isKey(_ line: [Unicode.Scalar], at start: Int) -> Bool {
            guard start >= 0, start + keyScalars.count <= line.count,
                  Array(line[start..<(start + keyScalars.count)]) == keyScalars
            else { return false }
            var index = start + keyScalars.count
            while index < line.count, line[index] == " " { index += 1 }
            guard index < line.count, line[index] == ":" else { return false }
            return index + 1 == line.count || [" ", "\t", "\r"].contains(line[index + 1])
        }
        let firstLine = lines[first.line - 1]
        var index = first.column - 1 + keyScalars.count
        while index < firstLine.count {
            if firstLine[index] == "," || firstLine[index] == "{" {
                var start = index + 1
                while start < firstLine.count, firstLine[start] == " " { start += 1 }
                if isKey(firstLine, at: start) { return SourcePosition(line: first.line, column: start + 1) }
            }
            index += 1
        }
        let column = first.column - 1
        for lineIndex in first.line..<lines.count {
            let line = lines[lineIndex]
            guard let content = line.firstIndex(where: { $0 != " " && $0 != "\t" && $0 != "\r" }),
                  line[content] != "#"
            else { continue }
            let indentation = line[..<min(column, line.count)]
            if line.count < column || !indentation.allSatisfy({ $0 == " " || $0 == "-" }) { return nil }
            if isKey(line, at: column) { return SourcePosition(line: lineIndex + 1, column: column + 1) }
        }
        return nil
    }
}
