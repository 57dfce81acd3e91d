/// The kinds of SSH channel a node distinguishes for `max_sessions`.
public enum ChannelKind: String, Sendable, Hashable {
    /// A session channel: shell, exec, subsystem, scp — including the hidden
    /// ones a client opens on its own (e.g. `scp` resolving `~`). Counts.
    case session
    /// A port-forwarding channel (`direct-tcpip`, `forwarded-tcpip`). Never counts.
    case portForward = "port-forward"
}

/// The answer to a channel-open request on one connection.
public enum SessionChannelOutcome: Sendable, Hashable {
    /// The channel is open; `counted` tells whether it holds a `max_sessions` slot.
    case opened(counted: Bool)
    /// The session channel is refused (*administratively prohibited*): `max`
    /// session channels are already open. The connection stays up.
    case rejected(max: Int)
}

/// Counts the session channels open on one SSH connection against `max_sessions`.
///
/// Enforced locally by the node; auth is not involved. Port-forwarding channels
/// are admitted without counting; every session channel counts, hidden ones
/// included. Channels are tracked by id so a double close cannot free a slot twice.
///
/// Invariant: `openSessionCount <= limit.maximum` whenever the limit is finite.
public struct SessionChannelCounter: Sendable, Hashable {
    /// An SSH channel id, unique on its connection while open.
    public typealias ChannelID = UInt32

    /// The connection's `max_sessions`.
    public let limit: Limit
    private var openSessions: Set<ChannelID> = []

    /// A counter for a connection whose user has `limit` session channels.
    public init(limit: Limit) {
        self.limit = limit
    }

    /// The number of session channels open now.
    public var openSessionCount: Int { openSessions.count }

    /// Whether channel `id` is an open, counted session channel.
    public func isOpen(_ id: ChannelID) -> Bool { openSessions.contains(id) }

    /// Asks to open channel `id` of `kind`.
    ///
    /// - Precondition: `id` is not already an open session channel.
    /// - Complexity: O(1) expected.
    public mutating func open(_ id: ChannelID, kind: ChannelKind) -> SessionChannelOutcome {
        switch kind {
        case .portForward:
            return .opened(counted: false)
        case .session:
            precondition(!openSessions.contains(id), "channel \(id) is already open")
            guard limit.admits(current: openSessions.count) else {
                return .rejected(max: limit.maximum ?? 0)
            }
            openSessions.insert(id)
            return .opened(counted: true)
        }
    }

    /// Channel `id` closed; returns whether it held a slot (false for port
    /// forwards, rejected channels, unknown ids and repeated closes).
    ///
    /// - Complexity: O(1) expected.
    @discardableResult
    public mutating func close(_ id: ChannelID) -> Bool {
        openSessions.remove(id) != nil
    }
}
