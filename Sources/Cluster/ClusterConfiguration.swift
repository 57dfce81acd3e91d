public import SessionControl
public import SimulatedNetwork
public import SimulationKernel

/// Everything needed to build a simulated cluster; the scenario runner maps a
/// scenario file onto it, tests build it directly.
///
/// Arrays, not dictionaries, keep every order (hosts, users, roles) deterministic.
public struct ClusterConfiguration: Sendable {
    /// The SSH server software of a node.
    public enum NodeKind: String, Sendable, Hashable {
        /// Enforces `max_connections` (through auth's semaphore) and `max_sessions`.
        case teleport
        /// Enforces neither; only its own `MaxSessions` per connection.
        case openssh
    }

    /// One node.
    public struct NodeSpec: Sendable, Hashable {
        public var name: String
        public var kind: NodeKind
        public init(name: String, kind: NodeKind = .teleport) {
            self.name = name
            self.kind = kind
        }
    }

    /// A user's SSH client.
    public enum ClientKind: String, Sendable, Hashable {
        case tsh
        case openssh
    }

    /// One user.
    public struct UserSpec: Sendable, Hashable {
        public var name: String
        public var roles: [String]
        public var client: ClientKind
        public init(name: String, roles: [String], client: ClientKind = .tsh) {
            self.name = name
            self.roles = roles
            self.client = client
        }
    }

    /// Root seed of every random stream.
    public var seed: UInt64 = 1
    /// Job scheduling policy of the kernel.
    public var policy: SchedulingPolicy = .random
    /// Which release's semaphore behaviour to model.
    public var behavior: BehaviorProfile = .current
    /// Lifetime of a connection lease; nodes renew every half of it.
    public var sessionControlTimeout: Duration = .seconds(120)
    /// Round trip of one backend operation.
    public var backendLatency: Duration = .milliseconds(1)
    /// Number of auth hosts (`auth-1`…).
    public var authCount = 1
    /// Number of proxy hosts (`proxy-1`…); 0 = clients reach nodes directly.
    public var proxyCount = 1
    /// The nodes, in order.
    public var nodes: [NodeSpec] = []
    /// Latency and loss of every link.
    public var network = LinkProfile()
    /// The roles users may hold.
    public var roles: [Role] = [] { didSet { rebuildLimits() } }
    /// The users, in order.
    public var users: [UserSpec] = [] { didSet { rebuildLimits() } }
    /// Each user's effective limits and connection semaphore key, rebuilt when users or
    /// roles change, so that a lookup costs one hash instead of a scan of every user.
    private var limitsByUser: [String: (limits: EffectiveLimits, semaphoreKey: SemaphoreKey)] = [:]
    /// How long a node waits for auth's answer to a semaphore request.
    public var authRequestTimeout: Duration = .seconds(30)
    /// How long auth waits for one backend operation.
    public var backendRequestTimeout: Duration = .seconds(5)
    /// How long a node keeps trying to deliver an audit event per attempt.
    public var auditRetryInterval: Duration = .seconds(5)
    /// How long a client (or proxy) waits for a node's answer.
    public var clientRequestTimeout: Duration = .seconds(60)
    /// How long a client waits for a node to acknowledge a disconnect before
    /// sending it again (up to ``disconnectAttempts`` times).
    public var disconnectTimeout: Duration = .seconds(5)
    /// How many times a client sends a disconnect before giving up on the node.
    public var disconnectAttempts = 5
    /// OpenSSH's own `MaxSessions`.
    public var openSSHMaxSessions = 10
    /// Whether every network message is written to the trace.
    public var tracesMessages = true
    /// Session recording: mode, storage and the recording pipeline's parameters.
    public var recording = RecordingConfiguration()

    public init() {}

    /// The effective limits of `user` (minimum of the non-zero values of its roles).
    /// - Complexity: O(1).
    public func limits(forUser user: String) -> EffectiveLimits {
        limitsByUser[user]?.limits ?? .unlimited
    }

    /// The effective limits of `user` and the key of its connection semaphore, in one
    /// lookup. A configured user's key is made once, so every request names it with
    /// the same string: no path to build per request, and the backend compares keys
    /// that share storage. - Complexity: O(1).
    func limitsAndSemaphoreKey(forUser user: String) -> (limits: EffectiveLimits, semaphoreKey: SemaphoreKey) {
        limitsByUser[user] ?? (.unlimited, .connection(user))
    }

    private mutating func rebuildLimits() {
        var byName: [String: Role] = [:]
        for role in roles { byName[role.name] = role }
        var table: [String: (limits: EffectiveLimits, semaphoreKey: SemaphoreKey)] = [:]
        table.reserveCapacity(users.count)
        for user in users {
            table[user.name] = (EffectiveLimits(roles: user.roles.compactMap { byName[$0] }), .connection(user.name))
        }
        limitsByUser = table
    }

    /// Names of the auth hosts.
    public var authNames: [String] { (0..<authCount).map { "auth-\($0 + 1)" } }
    /// Names of the proxy hosts.
    public var proxyNames: [String] { (0..<proxyCount).map { "proxy-\($0 + 1)" } }
    /// The host name of a user's client.
    public static func clientHostName(_ user: String) -> String { "client:\(user)" }
    /// Name of the backend host.
    public static let backendHostName = "backend"
    /// Name of the recording storage host.
    public static let storageHostName = "storage"
}
