public import SimulationKernel

/// A simulated network of named hosts on one ``Simulation``.
///
/// Messages travel over directed links with a latency drawn from the link's
/// distribution (one random stream per link, derived from the root seed and the
/// two host names), in FIFO order per link. Faults — loss, partitions (two-way and
/// one-way), added latency, clogging, crashes and clock skew — can be switched on
/// and off at any virtual time (``SimNetwork+Faults``).
///
/// Delivery rules:
/// - a message is dropped if, when sent **or** when it would arrive, a partition
///   blocks its direction, or its sender or receiver is down or has restarted since;
/// - a lost or dropped request is noticed by its caller only at the request's
///   deadline, as in a real network;
/// - a clogged link holds messages and releases them in order when unclogged;
/// - requests are handled concurrently, each in its own task (like RPCs), unless
///   the service handles them at their arrival (``HostService/handleInline(_:from:context:)``),
///   while one-way messages from one sender are handled one after another in the
///   order sent (like a stream read by one reader).
///
/// Thread-safety: all state is touched only by the simulation's loop thread.
public final class SimNetwork: TimerTarget, @unchecked Sendable {
    /// The simulation the network runs on.
    public let simulation: Simulation
    /// The profile of every link without an override.
    public var defaultLink: LinkProfile {
        didSet {
            linkProfiles[0] = defaultLink
            let loss = defaultLink.loss
            links.updateAll { if $0.profile == 0 { $0.loss = loss } }
        }
    }
    /// Whether every send, delivery and drop is written to the trace.
    public var tracesMessages = true

    var hosts: [HostState] = []
    /// Per host, its current incarnation (counted from 1 at the first boot).
    private(set) var incarnations: [UInt64] = []
    /// Per host, its incarnation while it is up and 0 while it is down: one array read
    /// tells whether a message's sender or receiver is still the one it was, with no
    /// reference counting on the host's state (checked twice per message). The only
    /// record of whether a host is up.
    var liveIncarnations: [UInt64] = []
    private var hostsByName: [String: HostID] = [:]
    /// Per host, its live incarnation's service and context, unretained (its
    /// ``HostState`` keeps them), for handing requests over at +0: loading them from
    /// the state retains and releases three objects per request. Nil while down.
    private var endpoints: [HostEndpoint?] = []
    /// The services and contexts of incarnations crashed since the last arrival, kept
    /// until the next one: a crash from inside a handler must not free the service
    /// that runs it.
    private var retired: [AnyObject] = []
    /// Per directed link: its random stream, last arrival and profile in effect.
    var links = LinkTable<LinkState>()
    /// The link profiles in effect, by index: the default's first, then one per distinct
    /// override profile set (kept when no link uses it any more; there are few).
    private(set) var linkProfiles: [LinkProfile]
    var pendingRequests = PendingRequestTable<PendingRequest>()
    /// Messages on their way, by the token of the (direct) timer that delivers them.
    private var inFlight = FiringSlots<Message>()
    /// This network as the simulation's direct timer target of arrivals (registered
    /// with the network, unregistered when it goes).
    private var arrivals: DirectTimerTarget!
    /// Fires requests' deadlines (by request id).
    lazy var deadlines = RequestDeadlines(network: self)
    /// Timer lanes of requests' deadlines, by timeout (deadline minus send time): the
    /// requests sent with one timeout time out in the order sent.
    var deadlineLanes: [(timeout: Int64, lane: TimerLaneID)] = []
    /// Requests with more distinct timeouts than this get ordinary timers.
    static let maximumDeadlineLanes = 8
    var nextRequestID: UInt64 = 1
    var nextFaultID: UInt64 = 1
    var activeFaults: [ActiveFault] = [] {
        didSet { hasActiveFaults = !activeFaults.isEmpty }
    }
    /// Whether any fault is active: asked five times per message, as one stored flag
    /// (the array's count is a load from its buffer, after the load of the array).
    private(set) var hasActiveFaults = false
    var heldMessages: [UInt64: [Message]] = [:]
    /// Called when a host crashes, before its state is torn down.
    public var onHostCrash: (@Sendable (HostID) -> Void)?
    /// Called when a host restarts, after its new service booted.
    public var onHostRestart: (@Sendable (HostID) -> Void)?
    /// Counts of messages by fate, for reports and tests.
    public internal(set) var statistics = NetworkStatistics()

    /// An empty network on `simulation`.
    public init(simulation: Simulation, defaultLink: LinkProfile = LinkProfile()) {
        self.simulation = simulation
        self.defaultLink = defaultLink
        linkProfiles = [defaultLink]
        arrivals = simulation.registerDirectTimerTarget(self)
    }

    deinit {
        simulation.unregisterDirectTimerTarget(arrivals)
        for (_, lane) in deadlineLanes { simulation.unregisterTimerLane(lane) }
    }

    // MARK: - Hosts

    /// Adds a host named `name` and boots its first incarnation with `boot`.
    ///
    /// `boot` runs again, with a fresh context, each time the host restarts.
    /// - Precondition: `name` is not taken.
    @discardableResult
    public func addHost(_ name: String, boot: @escaping @Sendable (HostContext) -> any HostService) -> HostID {
        precondition(hostsByName[name] == nil, "host \(name) defined twice")
        let id = HostID(index: hosts.count)
        let state = HostState(id: id, name: name, boot: boot)
        hosts.append(state)
        incarnations.append(0)
        liveIncarnations.append(0)
        endpoints.append(nil)
        hostsByName[name] = id
        start(state)
        return id
    }

    /// The host named `name`, if any.
    public func host(named name: String) -> HostID? { hostsByName[name] }

    /// The name of host `id`.
    public func name(of id: HostID) -> String { hosts[id.index].name }

    /// Every host, in the order added.
    public var allHosts: [HostID] { hosts.map(\.id) }

    /// Whether host `id` is running.
    public func isUp(_ id: HostID) -> Bool { liveIncarnations[id.index] != 0 }

    /// The service of the host's current incarnation (nil while it is down).
    public func service(of id: HostID) -> (any HostService)? { hosts[id.index].service }

    /// The context of the host's current incarnation (nil while it is down).
    public func context(of id: HostID) -> HostContext? { hosts[id.index].context }

    /// The persistent disk of host `id`.
    public func disk(of id: HostID) -> SimDisk { hosts[id.index].disk }

    /// The host's clock: virtual time plus its current skew.
    public func clock(of id: HostID) -> SimClock { SimClock(simulation, skew: hosts[id.index].skew) }

    func start(_ state: HostState) {
        let incarnation = incarnations[state.id.index] &+ 1
        incarnations[state.id.index] = incarnation
        liveIncarnations[state.id.index] = incarnation
        let context = HostContext(network: self, host: state.id, name: state.name, incarnation: incarnation,
                                  disk: state.disk, skew: state.skew)
        state.context = context
        let service = state.boot(context)
        state.service = service
        endpoints[state.id.index] = HostEndpoint(service: service, context: context)
    }

    /// Forgets the endpoint of `state`'s crashed incarnation, keeping its objects until
    /// the next arrival (see ``retired``).
    func retireEndpoint(of state: HostState) {
        endpoints[state.id.index] = nil
        if let context = state.context { retired.append(context) }
        if let service = state.service { retired.append(service) }
    }

    // MARK: - Sending

    /// Sends a one-way message; it may be lost or dropped silently.
    func send(_ payload: consuming any NetworkPayload, from source: HostID, to destination: HostID) {
        transmit(Message(kind: .oneWay, from: source, to: destination, payload: payload))
    }

    @inline(__always)
    func linkKey(_ from: HostID, _ to: HostID) -> UInt64 { UInt64(from.index) << 32 | UInt64(to.index) }

    /// Puts `message` on the wire: applies partitions, loss, clogging and latency.
    func transmit(_ message: consuming Message) {
        message.fromIncarnation = incarnations[message.from.index]
        message.toIncarnation = incarnations[message.to.index]
        if tracesMessages { message.label = message.payload.traceLabel }
        statistics.sent += 1
        traceMessage("net.send", message)
        if let reason = blockReason(message) {
            drop(message, reason: reason)
            return
        }
        let link = linkSlot(message.from, message.to)
        let lossRate = max(links[slot: link].loss, faultLossRate(message.from, message.to))
        if lossRate > 0, links[slot: link].random.nextUnit() < lossRate {
            drop(message, reason: "loss")
            return
        }
        if isClogged(message.from, message.to) {
            statistics.held += 1
            traceMessage("net.hold", message)
            heldMessages[linkKey(message.from, message.to), default: []].append(message)
            return
        }
        schedule(message, onLinkAt: link)
    }

    /// Schedules the arrival of `message` after the latency of the link in `slot`
    /// (``linkSlot(_:_:)``), never before an earlier message on the same link (FIFO per link).
    func schedule(_ message: consuming Message, onLinkAt slot: Int) {
        let latency: Int64
        if !hasActiveFaults {
            // No fault adds latency: the draw in nanoseconds, with no `Duration` arithmetic.
            let sampler = linkProfiles[Int(links[slot: slot].profile)].latencySampler
            latency = sampler.sample(using: &links[slot: slot].random)
        } else {
            let profile = linkProfiles[Int(links[slot: slot].profile)]
            let added = faultAddedLatency(message.from, message.to)
            latency = (profile.latency.sample(using: &links[slot: slot].random) + added).nanosecondsClamped
        }
        let arrival = max(simulation.now.advanced(byNanoseconds: latency).nanoseconds, links[slot: slot].lastArrival)
        links[slot: slot].lastArrival = arrival
        simulation.scheduleDirect(at: SimInstant(nanoseconds: arrival), target: arrivals, token: inFlight.insert(message))
    }

    /// A message's arrival time has come.
    public func timerFired(token: UInt64) {
        arrive(inFlight.take(UInt32(truncatingIfNeeded: token)))
    }

    /// The slot of the directed link `from → to` in the link table, the link created on
    /// first use with its own random stream (named after the two hosts). Valid until
    /// the next link is created. - Complexity: one hash lookup.
    @inline(__always)
    func linkSlot(_ from: HostID, _ to: HostID) -> Int {
        let key = linkKey(from, to)
        if let slot = links.slot(of: key) { return slot }
        return links.insert(LinkState(random: simulation.randomStream(named: "net:\(name(of: from))->\(name(of: to))"),
                                      profile: 0, loss: defaultLink.loss),
                            forKey: key)
    }

    /// Overrides the profile of the directed link `from → to`.
    func setOverride(_ profile: LinkProfile?, from: HostID, to: HostID) {
        let slot = linkSlot(from, to)
        if let profile {
            // Overrides with one profile share its entry (index 0 stays the default's: a
            // link with an override does not follow later changes of the default).
            let index = linkProfiles.indices.dropFirst().first { linkProfiles[$0] == profile } ?? linkProfiles.count
            if index == linkProfiles.count {
                precondition(linkProfiles.count < Int(UInt32.max), "too many link profiles")
                linkProfiles.append(profile)
            }
            links[slot: slot].profile = UInt32(index)
            links[slot: slot].loss = profile.loss
        } else {
            links[slot: slot].profile = 0
            links[slot: slot].loss = defaultLink.loss
        }
    }

    /// Why `message` cannot travel now, if it cannot. Inline: it is asked twice per
    /// message, and with no fault active each check is a compare.
    @inline(__always)
    func blockReason(_ message: Message) -> String? {
        // Incarnations count from 1, so a host that is down (0) never matches.
        if liveIncarnations[message.from.index] != message.fromIncarnation { return "sender-down" }
        if liveIncarnations[message.to.index] != message.toIncarnation { return "receiver-down" }
        if isPartitioned(message.from, message.to) { return "partition" }
        return nil
    }

    func drop(_ message: Message, reason: String) {
        statistics.dropped += 1
        traceMessage("net.drop", message, reason: reason)
    }

    private func arrive(_ message: consuming Message) {
        if !retired.isEmpty { retired.removeAll() }  // no handler of theirs runs any more
        if let reason = blockReason(message) {
            drop(message, reason: reason)
            return
        }
        statistics.delivered += 1
        traceMessage("net.deliver", message)
        let kind = message.kind
        let sender = message.from
        let receiver = message.to
        let payload = message.takePayload()
        switch kind {
        case .response(let id):
            guard let pending = pendingRequests.removeValue(forKey: id) else { return }  // late reply: caller gave up
            simulation.cancelTimer(pending.timer)
            complete(pending, with: .success(consume payload))
        case .oneWay:
            let destination = hosts[receiver.index]
            guard let service = destination.service, let context = destination.context else { return }
            context.deliverInOrder(payload, from: sender, to: service)
        case .request(let id):
            guard let endpoint = endpoints[receiver.index] else { return }
            let handle = ReplyHandle(network: self, request: id, replier: receiver, requester: sender,
                                     incarnation: incarnations[receiver.index])
            switch endpoint.handleInline(payload, from: sender, reply: handle) {
            case .handled(.some(let reply)):  // bound from the optional itself: `if let` copied it
                transmit(Message(kind: .response(id), from: receiver, to: sender, payload: consume reply))
                return
            case .handled(.none):
                return
            case .willReply:
                return
            case .deferred:
                break
            }
            let destination = hosts[receiver.index]
            guard let service = destination.service, let context = destination.context else { return }
            context.spawn { [self] in
                let reply = await service.handle(payload, from: sender, context: context)
                guard context.isCurrent else { return }
                if let reply {
                    transmit(Message(kind: .response(id), from: receiver, to: sender, payload: reply))
                }
            }
        }
    }

    func traceMessage(_ kind: String, _ message: Message, reason: String? = nil) {
        guard tracesMessages else { return }
        simulation.trace.record(kind) { fields in
            fields.add("from", .string(hosts[message.from.index].name))
            fields.add("to", .string(hosts[message.to.index].name))
            fields.add("msg", .string(message.label ?? message.payload.traceLabel))
            switch message.kind {
            case .oneWay: break
            case .request(let id): fields.add("req", .int(Int64(id)))
            case .response(let id): fields.add("resp", .int(Int64(id)))
            }
            if let reason { fields.add("reason", .string(reason)) }
        }
    }
}
