/// The `cluster:` section: hosts, timing and recording settings.
///
/// Hosts are named `auth-1`…`auth-N`, `proxy-1`…`proxy-N` and by their node names; fault
/// steps refer to them by these names.
public struct Cluster: Sendable {
    /// Where the section starts (the scenario's start when the section is absent).
    public var location: SourcePosition
    /// `session_control_timeout`: lease lifetime (default 2m, positive).
    public var sessionControlTimeout: Located<Duration>
    /// `backend.latency`: one backend operation's round trip (default 1ms).
    public var backendLatency: Located<Duration>
    /// `auth.count`: number of auth hosts (default 1, at least 1).
    public var authCount: Located<Int>
    /// `proxy.count`: number of proxy hosts (default 1; 0 means clients reach nodes directly).
    public var proxyCount: Located<Int>
    /// `nodes`: the SSH nodes in file order; generated nodes are expanded (`node-1`…).
    public var nodes: [ClusterNode]
    /// `network`: latency and loss of every message.
    public var network: Network
    /// `recording`: session recording mode and storage.
    public var recording: Recording

    /// Creates a cluster description; normally only the loader does this.
    public init(
        location: SourcePosition, sessionControlTimeout: Located<Duration>, backendLatency: Located<Duration>,
        authCount: Located<Int>, proxyCount: Located<Int>, nodes: [ClusterNode], network: Network,
        recording: Recording
    ) {
        self.location = location
        self.sessionControlTimeout = sessionControlTimeout
        self.backendLatency = backendLatency
        self.authCount = authCount
        self.proxyCount = proxyCount
        self.nodes = nodes
        self.network = network
        self.recording = recording
    }

    /// `auth-1`…`auth-N`.
    public var authHostNames: [String] { (0..<max(authCount.value, 0)).map { "auth-\($0 + 1)" } }
    /// `proxy-1`…`proxy-N` (empty without proxies).
    public var proxyHostNames: [String] { (0..<max(proxyCount.value, 0)).map { "proxy-\($0 + 1)" } }
    /// Every host name: auth hosts, then proxies, then nodes in file order.
    public var hostNames: [String] { authHostNames + proxyHostNames + nodes.map(\.name.value) }

    /// The node with this name, if defined.
    public func node(named name: String) -> ClusterNode? {
        nodes.first { $0.name.value == name }
    }
}

/// One SSH node of the cluster.
public struct ClusterNode: Sendable, Hashable {
    /// The node's host name (for a generated node, located at its generator).
    public var name: Located<String>
    /// `kind`: which SSH server runs on the node (default `teleport`).
    public var kind: Located<NodeKind>

    /// Creates a node.
    public init(name: Located<String>, kind: Located<NodeKind>) {
        self.name = name
        self.kind = kind
    }
}

/// The SSH server of a node.
public enum NodeKind: String, Sendable, Hashable, CaseIterable {
    /// A Teleport node: enforces `max_connections` (through auth) and `max_sessions`.
    case teleport
    /// An OpenSSH server: applies only its own `MaxSessions` (10).
    case openssh
}

/// `network:` — what every message between hosts experiences.
public struct Network: Sendable, Hashable {
    /// `latency`: one-way delay of a message, a duration or a distribution (default 1ms).
    public var latency: Located<Distribution<Duration>>
    /// `loss`: probability that a message is lost, in [0, 1] (default 0).
    public var loss: Located<Double>

    /// Creates network settings.
    public init(latency: Located<Distribution<Duration>>, loss: Located<Double>) {
        self.latency = latency
        self.loss = loss
    }
}

/// `recording:` — how session recordings are made and where they are stored.
public struct Recording: Sendable, Hashable {
    /// `mode` (default `node`).
    public var mode: Located<RecordingMode>
    /// `storage` (default `memory`).
    public var storage: Located<RecordingStorage>
    /// `path`: the directory for `storage: file`; nil means a fresh temporary directory.
    public var path: Located<String>?
    /// `grace_period`: how long an upload may stay unfinished before the upload
    /// completer finishes it (default 24h).
    public var gracePeriod: Located<Duration>?

    /// Creates recording settings.
    public init(mode: Located<RecordingMode>, storage: Located<RecordingStorage>, path: Located<String>?,
                gracePeriod: Located<Duration>? = nil) {
        self.mode = mode
        self.storage = storage
        self.path = path
        self.gracePeriod = gracePeriod
    }
}

/// Where and how sessions are recorded (`recording.mode`).
public enum RecordingMode: String, Sendable, Hashable, CaseIterable {
    /// The node records to local disk; an uploader ships it later (default).
    case node
    /// The proxy records to local disk; an uploader ships it later.
    case proxy
    /// No session output is recorded.
    case off
    /// The node streams events straight to auth; losing the stream ends the session.
    case nodeSync = "node-sync"
    /// The proxy streams events straight to auth; losing the stream ends the session.
    case proxySync = "proxy-sync"
}

/// Where finished recordings are stored (`recording.storage`).
public enum RecordingStorage: String, Sendable, Hashable, CaseIterable {
    /// In memory.
    case memory
    /// Files on disk in the multipart layout, under `recording.path`.
    case file
}
