/// A configuration value that the session-control rules cannot accept.
///
/// Thrown when building a ``Role`` or a ``LeaseLockConfiguration`` from
/// out-of-range values; the description names the offending option.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, for programmatic checks.
    public enum Code: Sendable, Hashable {
        /// A limit was negative.
        case negativeLimit
        /// A duration that must be positive was zero or negative.
        case nonPositiveDuration
    }

    /// What was wrong.
    public let code: Code
    /// A readable explanation naming the option and value.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
