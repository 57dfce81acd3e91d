/// Checks that a file is text a YAML parser should see: UTF-8 without NUL bytes.
enum SourceText {
    /// Why the bytes are not usable text, and where.
    struct Problem: Error {
        var message: String
        var location: SourcePosition
    }

    /// Decodes UTF-8 bytes, rejecting invalid sequences and NUL bytes with their position.
    /// - Complexity: O(*n*) in the number of bytes.
    static func decode(_ bytes: [UInt8]) -> Result<String, Problem> {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        var line = 1
        var column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                if scalar == "\0" {
                    return .failure(nulProblem(line: line, column: column))
                }
                offset += encoded.count
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .error(let length):
                let shown = bytes[offset..<min(offset + max(length, 1), bytes.count)]
                    .map { "0x" + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
                return .failure(Problem(
                    message: "not a text file: invalid UTF-8 (\(shown)) at byte \(offset); "
                        + "scenario files are UTF-8 YAML",
                    location: SourcePosition(line: line, column: column)))
            case .emptyInput:
                return .success(String(decoding: bytes, as: UTF8.self))
            }
        }
    }

    /// The position of the first NUL character in `text`, if any.
    static func checkForNul(_ text: String) -> Problem? {
        guard text.utf8.contains(0) else { return nil }
        var line = 1
        var column = 1
        for scalar in text.unicodeScalars {
            if scalar == "\0" { return nulProblem(line: line, column: column) }
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return nil
    }

    static func nulProblem(line: Int, column: Int) -> Problem {
        Problem(message: "not a text file: found a NUL byte; scenario files are UTF-8 YAML",
                location: SourcePosition(line: line, column: column))
    }
}
