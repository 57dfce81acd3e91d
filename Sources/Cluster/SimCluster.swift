import SessionControl
public import SimulatedNetwork
public import SimulationKernel

/// A simulated cluster built from a ``ClusterConfiguration``: the backend, auth
/// hosts, proxies, nodes and one client host per user, on one ``SimNetwork``.
///
/// Schedule workload steps and faults at virtual times, then ``run(until:)``.
/// Everything observable lands in ``log``.
public final class SimCluster: @unchecked Sendable {
    public let configuration: ClusterConfiguration
    public let simulation: Simulation
    public let network: SimNetwork
    /// What happened, for the checker and for tests.
    public let log: ObservationLog
    let world: ClusterWorld
    let audit = AuditStore()
    /// What every recorded session emitted (the truth for `recording-integrity`).
    public let recordingLedger = RecordingLedger()
    /// Where recordings are stored; `nil` when recording is `off`.
    public let recordingStore: RecordingStore?
    /// The storage host, when recording is on.
    private(set) var storageHost: HostID?
    private(set) var backend: HostID!
    private(set) var clients: [String: HostID] = [:]

    /// Builds every host of `configuration`.
    public init(_ configuration: ClusterConfiguration) {
        self.configuration = configuration
        simulation = Simulation(seed: configuration.seed, policy: configuration.policy)
        network = SimNetwork(simulation: simulation, defaultLink: configuration.network)
        network.tracesMessages = configuration.tracesMessages
        log = ObservationLog(simulation: simulation)
        world = ClusterWorld(configuration: configuration, log: log)
        recordingStore = configuration.recording.recordsOutput
            ? RecordingStore.make(configuration.recording.storage, random: simulation.randomStream(named: "storage"))
            : nil
        build()
    }

    private func build() {
        let log = self.log
        let configuration = self.configuration
        backend = network.addHost(ClusterConfiguration.backendHostName) { BackendService(context: $0, log: log) }
        let audit = self.audit
        let backend = self.backend!
        if let store = recordingStore {
            let bandwidth = configuration.recording.storageBandwidth
            storageHost = network.addHost(ClusterConfiguration.storageHostName) {
                StorageService(context: $0, store: store, bandwidth: bandwidth)
            }
        }
        let storage = storageHost
        let ledger = recordingLedger
        var auths: [HostID] = []
        for name in configuration.authNames {
            let id = network.addHost(name) {
                AuthService(context: $0, backend: backend, storage: storage, configuration: configuration, log: log,
                            audit: audit)
            }
            auths.append(id)
            // One backend round trip = the configured backend latency.
            let half = LinkProfile(latency: .constant(configuration.backendLatency / 2))
            network.setLink(from: id, to: backend, half)
            network.setLink(from: backend, to: id, half)
        }
        let authList = auths
        for name in configuration.proxyNames {
            world.proxies.append(network.addHost(name) {
                ProxyService(context: $0, configuration: configuration, auths: authList, ledger: ledger, log: log)
            })
        }
        for node in configuration.nodes {
            let kind = node.kind
            world.nodesByName[node.name] = network.addHost(node.name) {
                NodeService(context: $0, kind: kind, auths: authList, configuration: configuration, log: log,
                            ledger: ledger)
            }
        }
        let world = self.world
        for user in configuration.users {
            let kind = user.client
            let name = user.name
            clients[user.name] = network.addHost(ClusterConfiguration.clientHostName(user.name)) {
                let service = ClientService(context: $0, user: name, kind: kind, world: world)
                world.setClientCore(service.core, of: $0.host)
                return service
            }
        }
        // Unowned, not weak: the cluster owns the network, and a weak reference would
        // give the cluster a side table that its every retain and release goes through.
        network.onHostCrash = { [unowned self] host in hostCrashed(host) }
        network.onHostRestart = { [unowned self] host in hostRestarted(host) }
    }

    /// The host named `name` (a node, `auth-N`, `proxy-N`, `backend`).
    public func host(_ name: String) -> HostID {
        guard let id = network.host(named: name) else { preconditionFailure("no host named \(name)") }
        return id
    }

    /// The hosts named in `names`.
    public func hosts(_ names: [String]) -> Set<HostID> { Set(names.map(host)) }

    // MARK: - Workload

    /// At `time`, `user` connects to `node`, opens `sessions` session channels
    /// (preceded by scp's hidden channel each, with `scp`), and disconnects after
    /// `hold` if given. `handle` names the connection for later steps.
    public func connect(_ user: String, to node: String, at time: SimInstant, hold: Duration? = nil,
                        sessions: Int = 1, handle: String? = nil, scp: Bool = false, output: SessionOutput = .none) {
        onClient(user, at: time) {
            await $0.connect(node: node, handle: handle, hold: hold, sessions: sessions, scp: scp, output: output)
        }
    }

    /// Connects `user` to `node` at once (from the simulation loop), as
    /// ``connect(_:to:at:hold:sessions:handle:scp:output:)`` does at its time.
    public func connectNow(_ user: String, to node: String, hold: Duration? = nil, sessions: Int = 1,
                           output: SessionOutput = .none) {
        guard let client = clients[user], let nodeHost = world.nodesByName[node] else { return }
        connectNow(client: client, to: nodeHost, named: node, hold: hold, sessions: sessions, output: output)
    }

    /// The client host of `user`, for ``connectNow(client:to:named:hold:sessions:output:)``.
    public func clientHost(of user: String) -> HostID? { clients[user] }

    /// The host of the node named `node`, for ``connectNow(client:to:named:hold:sessions:output:)``.
    public func nodeHost(named node: String) -> HostID? { world.nodesByName[node] }

    /// ``connectNow(_:to:hold:sessions:output:)`` with the client and node looked up once
    /// beforehand (``clientHost(of:)``, ``nodeHost(named:)``): a load generator connects
    /// the same users to the same nodes many times.
    public func connectNow(client: HostID, to node: HostID, named nodeName: String, hold: Duration? = nil,
                           sessions: Int = 1, output: SessionOutput = .none) {
        guard let core = clientCore(client) else { return }
        var arguments = (node: node, nodeName: nodeName, hold: hold, sessions: sessions, output: output)
        core.onLoop(with: &arguments) { core, arguments in
            core.connect(node: arguments.node, named: arguments.nodeName, handle: nil, hold: arguments.hold,
                         sessions: arguments.sessions, scp: false, output: arguments.output, completion: nil)
        }
    }

    /// Connects `user` to `node` now, holds the connection for `hold`, and returns
    /// once it has ended (for closed-loop workloads, which wait on each connection).
    public func session(_ user: String, to node: String, hold: Duration, sessions: Int,
                        output: SessionOutput = .none) async {
        guard let client = clients[user], let core = clientCore(client) else { return }
        await core.connectAndWait(node: node, hold: hold, sessions: sessions, output: output)
    }

    /// At `time`, opens `count` more session channels on the connection named `handle`.
    public func openSessions(handle: String, count: Int, at time: SimInstant, hold: Duration? = nil) {
        simulation.schedule(at: time) { [self] in
            guard let (client, id) = world.handles[handle], let core = clientCore(client) else { return }
            network.context(of: client)?.spawn { await core.openChannels(id, count: count, hold: hold, scp: false) }
        }
    }

    /// At `time`, closes the connection named `handle` (a no-op if it is not live).
    public func disconnect(handle: String, at time: SimInstant) {
        simulation.schedule(at: time) { [self] in
            guard let (client, id) = world.handles[handle], let core = clientCore(client) else { return }
            network.context(of: client)?.spawn { await core.disconnect(id) }
        }
    }

    /// At `time`, every client closes every live connection normally.
    public func disconnectAll(at time: SimInstant) {
        simulation.schedule(at: time) { [self] in
            for user in configuration.users {
                guard let client = clients[user.name], let core = clientCore(client) else { continue }
                network.context(of: client)?.spawn { await core.disconnectAll() }
            }
        }
    }

    /// At `time`, an administrator deletes `user`'s connection semaphore.
    public func deleteSemaphore(user: String, at time: SimInstant) {
        simulation.schedule(at: time) { [self] in
            guard let service = network.service(of: backend) as? BackendService,
                  let context = network.context(of: backend) else { return }
            context.spawn { await service.core.deleteSemaphore(user: user) }
        }
    }

    private func onClient(_ user: String, at time: SimInstant, _ body: @escaping @Sendable (ClientCore) async -> Void) {
        simulation.schedule(at: time) { [self] in spawnOnClient(user, body) }
    }

    /// Runs `body` now in a task of `user`'s client host (nothing if it is unknown or down).
    private func spawnOnClient(_ user: String, _ body: @escaping @Sendable (ClientCore) async -> Void) {
        guard let client = clients[user], let core = clientCore(client) else { return }
        network.context(of: client)?.spawn { await body(core) }
    }

    /// The core of the client on `host` while it is up (booted cores are kept by host:
    /// a load generator connects through this lookup on every arrival).
    private func clientCore(_ host: HostID) -> ClientCore? {
        network.isUp(host) ? world.clientCore(of: host) : nil
    }

    /// At `time`, `host`'s clock starts reading virtual time plus `offset`; with
    /// `duration`, the previous offset is restored after it.
    public func skewClock(_ host: String, offset: Duration, at time: SimInstant, for duration: Duration? = nil) {
        let id = self.host(host)
        simulation.schedule(at: time) { [self] in
            let previous = network.clock(of: id).offset
            let fault = network.inject(.clockSkew(id, offset: offset))
            log.append(.clockSkewChanged(host: host, offset: offset), host: host)
            if let duration {
                simulation.schedule(after: duration) { [self] in
                    network.remove(fault)
                    log.append(.clockSkewChanged(host: host, offset: previous), host: host)
                }
            }
        }
    }

    /// At `time`, every storage operation starts failing; with `duration`, they
    /// work again after it.
    public func storageOutage(at time: SimInstant, for duration: Duration?) {
        guard let store = recordingStore else { return }
        let log = self.log
        let name = ClusterConfiguration.storageHostName
        simulation.schedule(at: time) {
            store.isOutage = true
            log.append(.storageOutage(active: true), host: name)
        }
        if let duration {
            simulation.schedule(at: time.advanced(by: duration)) {
                store.isOutage = false
                log.append(.storageOutage(active: false), host: name)
            }
        }
    }

    // MARK: - Running

    /// Runs the simulation until `limit` (or until nothing is left to do).
    @discardableResult
    public func run(until limit: SimInstant = .distantFuture) -> RunOutcome {
        let outcome = simulation.run(until: limit)
        log.settle()
        return outcome
    }

    // MARK: - Crashes

    private func hostCrashed(_ host: HostID) {
        let name = network.name(of: host)
        log.append(.hostCrashed(host: name), host: name)
        // A crashed node's connections die with it.
        for connection in log.liveConnections(onNode: name) {
            log.append(.connectionTerminated(connection.id, user: connection.user, node: name, reason: .nodeCrash), host: name)
        }
        // Its recorded sessions end; proxies recording sessions on it see them end too.
        recordingLedger.hostCrashed(name)
        if world.nodesByName[name] != nil {
            for proxy in world.proxies {
                (network.service(of: proxy) as? ProxyService)?.recorder?.post(.nodeLost(name))
            }
        }
    }

    private func hostRestarted(_ host: HostID) {
        let name = network.name(of: host)
        log.append(.hostRestarted(host: name), host: name)
    }
}
