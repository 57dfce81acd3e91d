/// The cluster-wide recording mode (`cluster.recording.mode`).
public enum RecordingMode: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The node records to its disk and uploads asynchronously (default).
    case node
    /// The proxy records what it forwards, asynchronously.
    case proxy
    /// Session output is not recorded; other events are still emitted.
    case off
    /// The node streams to auth synchronously; losing the stream kills the session.
    case nodeSync = "node-sync"
    /// The proxy streams to auth synchronously.
    case proxySync = "proxy-sync"

    /// Whether events stream straight to auth (losing the stream is fatal).
    public var isSynchronous: Bool { self == .nodeSync || self == .proxySync }

    /// Whether the proxy (not the node) records.
    public var recordsAtProxy: Bool { self == .proxy || self == .proxySync }

    /// Whether session output is recorded at all.
    public var recordsOutput: Bool { self != .off }

    /// The scenario spelling.
    public var description: String { rawValue }
}
