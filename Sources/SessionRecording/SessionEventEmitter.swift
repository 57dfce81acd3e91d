public import SimulationKernel

/// Numbers a session's events from 0 and splits large output into print events.
///
/// **Invariant:** the indices it hands out are 0, 1, 2, … with no gaps or
/// repeats, in call order. Output larger than
/// ``SessionEvent/maximumPrintBytes`` becomes several print events of exactly
/// that size followed by one with the remainder; output of exactly 64 KiB is one
/// event; empty output is no event.
public struct SessionEventEmitter: Sendable {
    /// The session whose events this emits.
    public let sessionID: SessionID
    /// The index the next event gets; also the number of events emitted so far.
    public private(set) var nextIndex: Int

    /// An emitter for `sessionID` whose first event gets `firstIndex` (0 for a new session).
    public init(sessionID: SessionID, firstIndex: Int = 0) {
        precondition(firstIndex >= 0, "event indices start at 0")
        self.sessionID = sessionID
        self.nextIndex = firstIndex
    }

    /// The session-start event.
    public mutating func start(size: TerminalSize = .standard, at time: SimInstant) -> SessionEvent {
        next(.start(size), at: time)
    }

    /// A resize event.
    public mutating func resize(to size: TerminalSize, at time: SimInstant) -> SessionEvent {
        next(.resize(size), at: time)
    }

    /// The session-end event.
    public mutating func end(at time: SimInstant) -> SessionEvent {
        next(.end, at: time)
    }

    /// Print events for `byteCount` bytes of the session's pattern output
    /// (``PrintPayload/pattern(byteCount:)``), split at 64 KiB.
    ///
    /// - Complexity: O(1); the events are computed when the collection is read.
    public mutating func print(byteCount: Int, at time: SimInstant) -> PrintEvents {
        precondition(byteCount >= 0, "negative output size")
        let events = PrintEvents(
            sessionID: sessionID, firstIndex: nextIndex, time: time, byteCount: byteCount, literal: nil)
        nextIndex += events.count
        return events
    }

    /// Print events for exactly `bytes`, split at 64 KiB.
    public mutating func print(bytes: [UInt8], at time: SimInstant) -> PrintEvents {
        let events = PrintEvents(
            sessionID: sessionID, firstIndex: nextIndex, time: time, byteCount: bytes.count, literal: bytes)
        nextIndex += events.count
        return events
    }

    private mutating func next(_ kind: SessionEvent.Kind, at time: SimInstant) -> SessionEvent {
        defer { nextIndex += 1 }
        return SessionEvent(sessionID: sessionID, index: nextIndex, kind: kind, time: time)
    }
}

/// The print events of one piece of output: consecutive indices, every chunk
/// ``SessionEvent/maximumPrintBytes`` except a shorter last one.
public struct PrintEvents: RandomAccessCollection, Sendable {
    /// The session.
    public let sessionID: SessionID
    /// The index of the first event.
    public let firstIndex: Int
    /// When the output was printed (every chunk gets this time).
    public let time: SimInstant
    /// Total output bytes.
    public let byteCount: Int
    /// The exact bytes, or `nil` for pattern output.
    let literal: [UInt8]?

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        (byteCount + SessionEvent.maximumPrintBytes - 1) / SessionEvent.maximumPrintBytes
    }

    /// The index of the last event, or `nil` if there is none.
    public var lastIndex: Int? { isEmpty ? nil : firstIndex + count - 1 }

    public subscript(position: Int) -> SessionEvent {
        precondition(position >= 0 && position < endIndex, "print chunk out of range")
        let start = position * SessionEvent.maximumPrintBytes
        let end = Swift.min(start + SessionEvent.maximumPrintBytes, byteCount)
        let payload: PrintPayload
        if let literal {
            payload = .literal(Array(literal[start..<end]))
        } else {
            payload = .pattern(byteCount: end - start)
        }
        return SessionEvent(sessionID: sessionID, index: firstIndex + position, kind: .print(payload), time: time)
    }
}
