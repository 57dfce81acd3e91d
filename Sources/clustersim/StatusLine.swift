#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line of status on standard error, redrawn in place and erased when done.
/// Silent unless standard error is a terminal, so nothing reaches pipes or files.
struct StatusLine: Sendable {
    /// Whether the line is shown (standard error is a terminal).
    let enabled: Bool

    init(enabled: Bool = isatty(2) == 1) {
        self.enabled = enabled
    }

    /// Replaces the line with `text`.
    func show(_ text: String) {
        guard enabled else { return }
        writeStandardError("\r\u{1B}[2K" + text, terminator: "")
    }

    /// Erases the line.
    func clear() {
        guard enabled else { return }
        writeStandardError("\r\u{1B}[2K", terminator: "")
    }
}
