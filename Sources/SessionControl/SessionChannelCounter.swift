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
/// The open channels are kept in the order they opened (``openSessionChannels``): the
/// first in place and any more in an array, since a connection carries one or a few (a
/// set cost an allocation and a hash per connection, on every connect of a load run).
///
/// Invariant: `openSessionCount <= limit.maximum` whenever the limit is finite.
public struct SessionChannelCounter: Sendable, Hashable {
    /// An SSH channel id, unique on its connection while open.
    public typealias ChannelID = UInt32

    /// The connection's `max_sessions`.
    public let limit: Limit
    /// The oldest open session channel, if any.
    private var firstOpen: ChannelID?
    /// The other open session channels, oldest first (empty while `firstOpen` is nil).
    private var laterOpen: [ChannelID] = []

    /// A counter for a connection whose user has `limit` session channels.
    public init(limit: Limit) {
        self.limit = limit
    }

    /// The number of session channels open now.
    public var openSessionCount: Int { firstOpen == nil ? 0 : 1 + laterOpen.count }

    /// The open session channels, oldest first.
    public var openSessionChannels: [ChannelID] {
        guard let firstOpen else { return [] }
        return [firstOpen] + laterOpen
    }

    /// Calls `body` with each open session channel, oldest first (without building an array).
    public func forEachOpenSessionChannel(_ body: (ChannelID) throws -> Void) rethrows {
        guard let firstOpen else { return }
        try body(firstOpen)
        for id in laterOpen { try body(id) }
    }

    /// Whether channel `id` is an open, counted session channel.
    /// - Complexity: O(open channels).
    public func isOpen(_ id: ChannelID) -> Bool { firstOpen == id || laterOpen.contains(id) }

    /// Asks to open channel `id` of `kind`.
    ///
    /// - Precondition: `id` is not already an open session channel.
    /// - Complexity: O(open channels).
    public mutating func open(_ id: ChannelID, kind: ChannelKind) -> SessionChannelOutcome {
        switch kind {
        case .portForward:
            return .opened(counted: false)
        case .session:
            precondition(!isOpen(id), "channel \(id) is already open")
            guard limit.admits(current: openSessionCount) else {
                return .rejected(max: limit.maximum ?? 0)
            }
            if firstOpen == nil { firstOpen = id } else { laterOpen.append(id) }
            return .opened(counted: true)
        }
    }

    /// Channel `id` closed; returns whether it held a slot (false for port
    /// forwards, rejected channels, unknown ids and repeated closes).
    ///
    /// - Complexity: O(open channels).
    @discardableResult
    public mutating func close(_ id: ChannelID) -> Bool {
        if firstOpen == id {
            firstOpen = laterOpen.isEmpty ? nil : laterOpen.removeFirst()
            return true
        }
        guard let index = laterOpen.firstIndex(of: id) else { return false }
        laterOpen.remove(at: index)
        return true
    }

    /// Equal when the limits and the open channels are, whatever the order they opened in.
    public static func == (lhs: SessionChannelCounter, rhs: SessionChannelCounter) -> Bool {
        lhs.limit == rhs.limit && lhs.openSessionChannels.sorted() == rhs.openSessionChannels.sorted()
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(limit)
        hasher.combine(openSessionChannels.sorted())
    }
}
