/// Why a unit, selector or threshold text could not be parsed, and where in the text.
///
/// `offset` counts Unicode scalars from the start of the text, so a decoder can turn it
/// into a column in the scenario file.
public struct ValueParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was expected and what was found.
    public var message: String
    /// Unicode-scalar offset of the problem within the parsed text (0 for the whole text).
    public var offset: Int

    /// Creates an error with a message and an offset into the text.
    public init(_ message: String, offset: Int = 0) {
        self.message = message
        self.offset = offset
    }

    /// The message.
    public var description: String { message }
}
