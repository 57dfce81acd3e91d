/// ANSI styling for the terminal summary, or none at all.
///
/// Invariant: with `colour == false` no escape byte (0x1B) is ever produced.
struct TextStyle {
    /// What a piece of text is, which decides its colour.
    enum Role {
        /// `PASS` and a passing verdict: green.
        case pass
        /// `FAIL` and a failing verdict: bold red.
        case fail
        /// Section headings and the scenario name: bold.
        case heading
        /// Secondary detail such as trace lines: dim.
        case detail
    }

    /// Whether to emit ANSI escape sequences.
    var colour: Bool

    /// `text` wrapped in the escape sequences for `role` (or unchanged without colour).
    func paint(_ text: String, _ role: Role) -> String {
        guard colour else { return text }
        let start: String
        switch role {
        case .pass: start = "\u{1B}[32m"
        case .fail: start = "\u{1B}[1;31m"
        case .heading: start = "\u{1B}[1m"
        case .detail: start = "\u{1B}[2m"
        }
        return start + text + "\u{1B}[0m"
    }

    /// `PASS` or `FAIL`, coloured accordingly.
    func status(_ passed: Bool) -> String {
        passed ? paint("PASS", .pass) : paint("FAIL", .fail)
    }
}
