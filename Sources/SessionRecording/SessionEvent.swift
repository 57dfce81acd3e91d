public import SimulationKernel

/// One event of a recorded session: start, a chunk of output, a resize, or end.
///
/// Events are numbered from 0 per session with no gaps at the source
/// (``SessionEventEmitter`` assigns the indices). A print event carries at most
/// ``maximumPrintBytes`` of output; larger output is split into several events
/// with consecutive indices.
public struct SessionEvent: Sendable, Hashable {
    /// The largest output a single print event carries: 64 KiB.
    public static let maximumPrintBytes = 64 * 1024

    /// The index used where "no event yet" must be expressed as a number (`-1`,
    /// below every real index), e.g. in an ``UploadStatus`` before any part.
    public static let noIndex = -1

    /// What happened.
    public enum Kind: Sendable, Hashable {
        /// The session started with this terminal size.
        case start(TerminalSize)
        /// The session printed this output.
        case print(PrintPayload)
        /// The terminal was resized.
        case resize(TerminalSize)
        /// The session ended.
        case end
    }

    /// The session the event belongs to.
    public var sessionID: SessionID
    /// The event's number in its session, from 0.
    public var index: Int
    /// What happened.
    public var kind: Kind
    /// When it happened, in the recording host's virtual time.
    public var time: SimInstant

    /// An event; `index` must not be negative.
    public init(sessionID: SessionID, index: Int, kind: Kind, time: SimInstant) {
        precondition(index >= 0, "event indices start at 0")
        self.sessionID = sessionID
        self.index = index
        self.kind = kind
        self.time = time
    }

    /// The number of output bytes the event carries (0 unless it is a print).
    public var size: Int {
        if case .print(let payload) = kind { return payload.byteCount }
        return 0
    }

    /// The terminal size of a start or resize event.
    public var terminalSize: TerminalSize? {
        switch kind {
        case .start(let size), .resize(let size): size
        case .print, .end: nil
        }
    }
}

/// The output of one print event.
///
/// Huge simulated sessions do not keep their output in memory: a
/// ``pattern(byteCount:)`` payload stands for `byteCount` bytes of
/// ``PrintPattern`` text determined by the session id and the event index. The
/// part writer compresses those real bytes straight from the pattern table, and
/// the decoder checks them byte for byte, so compression ratios and integrity
/// are those of real output while an event stays a few words in memory.
public enum PrintPayload: Sendable, Hashable {
    /// These exact bytes (at most ``SessionEvent/maximumPrintBytes``).
    case literal([UInt8])
    /// `byteCount` bytes of the session's deterministic pattern
    /// (at most ``SessionEvent/maximumPrintBytes``).
    case pattern(byteCount: Int)

    /// The number of output bytes.
    public var byteCount: Int {
        switch self {
        case .literal(let bytes): bytes.count
        case .pattern(let count): count
        }
    }
}

/// A terminal's size in character cells.
public struct TerminalSize: Sendable, Hashable, CustomStringConvertible {
    /// Columns.
    public var columns: UInt16
    /// Rows.
    public var rows: UInt16

    /// A size of `columns` × `rows`.
    public init(columns: UInt16, rows: UInt16) {
        self.columns = columns
        self.rows = rows
    }

    /// The usual 80 × 25.
    public static let standard = TerminalSize(columns: 80, rows: 25)

    /// `columns:rows`, as the real audit events write it.
    public var description: String { "\(columns):\(rows)" }
}
