public import SimulationKernel

/// What code running on one incarnation of a host uses to reach the world:
/// its clock, its disk, its randomness, its tasks and the network.
///
/// A context belongs to one incarnation: once the host crashes, its sends are
/// dropped, its requests fail at once, and the tasks it spawned are cancelled.
/// Touched only from the simulation's loop.
public final class HostContext: @unchecked Sendable {
    /// The network this host is on (unowned and unchecked: it owns every context, and
    /// the check would cost an atomic operation on most of the context's uses).
    public var network: SimNetwork { unownedNetwork.takeUnretainedValue() }
    /// The network, not retained; read at +0 through ``onNetwork(_:)`` where that
    /// matters (whether this incarnation is current is asked several times per message).
    private let unownedNetwork: Unmanaged<SimNetwork>
    /// The simulation the host runs on.
    public let simulation: Simulation
    /// This host.
    public let host: HostID
    /// This host's name.
    public let name: String
    /// Which boot of the host this is, from 1.
    public let incarnation: UInt64
    /// Storage that survives crashes.
    public let disk: SimDisk
    /// The host's clock: virtual time plus its skew.
    public let clock: SimClock

    private var tasks: [UInt64: Task<Void, Never>] = [:]
    private var timerTokens: [TimerID: TimerToken] = [:]
    /// Pending timers that call a target (``schedule(at:target:token:)``).
    var targetTimers = TimerSlots<TargetTimer>()
    private var streams: [HostID: StreamInbox] = [:]
    private var nextTaskID: UInt64 = 0

    init(network: SimNetwork, host: HostID, name: String, incarnation: UInt64, disk: SimDisk, skew: ClockSkew) {
        self.unownedNetwork = .passUnretained(network)
        self.simulation = network.simulation
        self.host = host
        self.name = name
        self.incarnation = incarnation
        self.disk = disk
        self.clock = SimClock(network.simulation, skew: skew)
    }

    /// Runs `body` with the network, at +0 (see ``unownedNetwork``).
    @inline(__always)
    private func onNetwork<Result>(_ body: (SimNetwork) -> Result) -> Result {
        unownedNetwork._withUnsafeGuaranteedRef(body)
    }

    /// Whether this incarnation is the host's live one.
    public var isCurrent: Bool {
        onNetwork { $0.liveIncarnations[host.index] == incarnation }
    }

    /// A random stream of this host's incarnation named `stream`; independent of
    /// every other host's streams.
    public func random(_ stream: String) -> SeededRandom {
        simulation.randomStream(named: "host:\(name)#\(incarnation):\(stream)")
    }

    /// Starts a task that belongs to this host: it runs on the simulation and is
    /// cancelled if the host crashes. Does nothing if this incarnation is gone.
    @discardableResult
    public func spawn(_ operation: sending @escaping @isolated(any) () async -> Void) -> Task<Void, Never>? {
        guard isCurrent else { return nil }
        let id = nextTaskID
        nextTaskID &+= 1
        let task = simulation.spawn { [self] in
            await operation()
            tasks[id] = nil
        }
        tasks[id] = task
        return task
    }

    /// Runs `action` on the simulation loop when this host's clock reads `instant`,
    /// provided this incarnation is still the live one then.
    ///
    /// If the host's clock is moved back while the timer waits (a clock-skew
    /// fault), the timer waits out the remainder: it never fires before the
    /// host's clock reads `instant`. The returned id cancels the first wait only;
    /// callers that cancel keep their own token (see ``cancel(_:)``).
    @discardableResult
    public func schedule(at instant: SimInstant, _ action: @escaping @Sendable () -> Void) -> TimerID {
        let token = TimerToken()
        let first = arm(at: instant, token: token, action)
        token.first = first
        timerTokens[first] = token
        return first
    }

    /// Arms (or re-arms) `token`'s wait for this host's clock to read `instant`.
    private func arm(at instant: SimInstant, token: TimerToken, _ action: @escaping @Sendable () -> Void) -> TimerID {
        let id = simulation.schedule(at: clock.virtualTime(whenReading: instant)) { [self] in
            guard isCurrent, !token.isCancelled else { return }
            if clock.now < instant {
                token.current = arm(at: instant, token: token, action)
            } else {
                if let first = token.first { timerTokens[first] = nil }
                action()
            }
        }
        token.current = id
        return id
    }

    /// Runs `action` after this host's clock has advanced by `delay` (see ``schedule(at:_:)``).
    @discardableResult
    public func schedule(after delay: Duration, _ action: @escaping @Sendable () -> Void) -> TimerID {
        schedule(at: clock.now.advanced(by: delay), action)
    }

    /// Runs `action` after `delay` of virtual time, provided this incarnation is still
    /// the live one then: a plain wait (like a task's sleep), which a later clock-skew
    /// fault does not stretch or shorten. Cancel it with ``cancel(_:)``.
    @discardableResult
    public func schedule(virtualDelay delay: Duration, _ action: @escaping @Sendable () -> Void) -> TimerID {
        simulation.schedule(after: delay) { [self] in
            guard isCurrent else { return }
            action()
        }
    }

    /// Cancels a timer from ``schedule(at:_:)``, including any re-armed wait.
    public func cancel(_ timer: TimerID) {
        if let token = timerTokens.removeValue(forKey: timer) {
            token.isCancelled = true
            if let current = token.current { simulation.cancelTimer(current) }
        }
        simulation.cancelTimer(timer)
    }

    /// Number of this incarnation's host-clock timers still pending (target timers included).
    public var pendingTimerCount: Int { timerTokens.count + targetTimers.count }

    /// Number of this incarnation's tasks still running.
    public var liveTaskCount: Int { tasks.count }

    /// Cancels every task of this incarnation, oldest first.
    func cancelAllTasks() {
        for id in tasks.keys.sorted() {
            tasks[id]?.cancel()
        }
        tasks.removeAll()
    }

    /// Hands a one-way message to `service` after every earlier one from `sender`
    /// has been handled: one reader task per sender drains that sender's stream.
    func deliverInOrder(_ payload: any NetworkPayload, from sender: HostID, to service: any HostService) {
        let inbox: StreamInbox
        if let existing = streams[sender] {
            inbox = existing
        } else {
            inbox = StreamInbox()
            streams[sender] = inbox
        }
        if !inbox.isReading, case .handled = service.handleInline(payload, from: sender, context: self) {
            return  // nothing of this sender's is waiting, so handling it now keeps the order
        }
        inbox.pending.append(payload)
        guard !inbox.isReading else { return }
        inbox.isReading = true
        spawn { [self] in
            while inbox.head < inbox.pending.count {
                let next = inbox.pending[inbox.head]
                inbox.head += 1
                _ = await service.handle(next, from: sender, context: self)
            }
            inbox.pending.removeAll(keepingCapacity: true)
            inbox.head = 0
            inbox.isReading = false
        }
    }

    /// Sends a one-way message (dropped if this incarnation is gone).
    public func send(_ payload: consuming any NetworkPayload, to destination: HostID) {
        guard isCurrent else { return }
        network.send(payload, from: host, to: destination)
    }

    /// Sends a request and waits for its reply until `deadline` (this host's
    /// clock reading, so a skewed host's deadlines are skewed too).
    ///
    /// - Throws: ``NetworkError/timeout(to:deadline:)`` at the deadline if no reply
    ///   came (lost, partitioned, peer down); ``NetworkError/callerDown(host:)`` at
    ///   once if this incarnation is gone or goes down while waiting.
    public func request(
        _ payload: any NetworkPayload, to destination: HostID, deadline: SimInstant,
        isolation: isolated (any Actor)? = #isolation
    ) async throws(NetworkError) -> any NetworkPayload {
        guard isCurrent else { throw .callerDown(host: name) }
        let virtualDeadline = clock.virtualTime(whenReading: deadline)
        return try await network.request(
            payload, from: host, to: destination, deadline: virtualDeadline, isolation: isolation)
    }

    /// Sends a request and waits at most `timeout` for its reply.
    public func request(
        _ payload: any NetworkPayload, to destination: HostID, timeout: Duration,
        isolation: isolated (any Actor)? = #isolation
    ) async throws(NetworkError) -> any NetworkPayload {
        try await request(payload, to: destination, deadline: clock.now.advanced(by: timeout), isolation: isolation)
    }

    /// Sends a request and calls `onReply` on the loop with its reply or failure,
    /// with no task waiting (see ``HostService/handleInline(_:from:context:reply:)``).
    ///
    /// `deadline` is this host's clock reading. `onReply` is not called if this
    /// incarnation is gone, now or by the time the outcome is known.
    public func request(
        _ payload: consuming any NetworkPayload, to destination: HostID, deadline: SimInstant,
        onReply: consuming @escaping @Sendable (consuming Result<any NetworkPayload, NetworkError>) -> Void
    ) {
        guard isCurrent else { return }
        network.request(payload, from: host, to: destination, deadline: clock.virtualTime(whenReading: deadline),
                        onReply: onReply)
    }

    /// Sends a request and calls `onReply` with its reply or failure after at most `timeout`.
    public func request(
        _ payload: consuming any NetworkPayload, to destination: HostID, timeout: Duration,
        onReply: consuming @escaping @Sendable (consuming Result<any NetworkPayload, NetworkError>) -> Void
    ) {
        request(payload, to: destination, deadline: clock.now.advanced(by: timeout), onReply: onReply)
    }

    /// Sends a request and calls `target` with `token` and its reply or failure after at
    /// most `timeout`: ``request(_:to:timeout:onReply:)`` with no closure to allocate, for
    /// an object that keeps its own state between requests.
    public func request(
        _ payload: consuming any NetworkPayload, to destination: HostID, timeout: Duration,
        target: any ReplyTarget, token: UInt64
    ) {
        guard isCurrent else { return }
        let deadline = clock.virtualTime(whenReading: clock.now.advanced(by: timeout))
        network.request(payload, from: host, to: destination, deadline: deadline, target: target, token: token)
    }

    /// Sends a request whose reply must have type `Reply`, calling `onReply` with it
    /// (a reply of another type fails with ``NetworkError/noReply(from:)``).
    /// (Inlinable, like ``typed(_:from:)``, so that callers get it specialised.)
    @inlinable
    public func request<Reply: NetworkPayload>(
        _ payload: any NetworkPayload, to destination: HostID, timeout: Duration, expecting: Reply.Type,
        onReply: @escaping @Sendable (Result<Reply, NetworkError>) -> Void
    ) {
        request(payload, to: destination, timeout: timeout) { [self] result in
            onReply(typed(consume result, from: destination))
        }
    }

    /// Sends a request whose reply must have type `Reply`, waiting until `deadline`
    /// (this host's clock).
    public func request<Reply: NetworkPayload>(
        _ payload: any NetworkPayload, to destination: HostID, deadline: SimInstant, expecting: Reply.Type,
        isolation: isolated (any Actor)? = #isolation
    ) async throws(NetworkError) -> Reply {
        try typed(.success(await request(payload, to: destination, deadline: deadline, isolation: isolation)),
                  from: destination).get()
    }

    /// Sends a request whose reply must have type `Reply`.
    public func request<Reply: NetworkPayload>(
        _ payload: any NetworkPayload, to destination: HostID, timeout: Duration, expecting: Reply.Type,
        isolation: isolated (any Actor)? = #isolation
    ) async throws(NetworkError) -> Reply {
        try typed(.success(await request(payload, to: destination, timeout: timeout, isolation: isolation)),
                  from: destination).get()
    }

    /// A request's outcome with its reply as a `Reply`: a reply of another type counts
    /// as no reply (``NetworkError/noReply(from:)``). For callbacks that take the
    /// untyped outcome (one closure fewer per request than the typed overload).
    ///
    /// Inlinable: callers get it specialised to their `Reply`, with no generic
    /// metadata to look up per reply.
    @inlinable
    public func typed<Reply: NetworkPayload>(
        _ result: consuming Result<any NetworkPayload, NetworkError>, from destination: HostID
    ) -> Result<Reply, NetworkError> {
        switch consume result {
        case .success(let reply):
            guard let typed = reply.exactly(Reply.self) ?? reply as? Reply else {
                return .failure(noReply(from: destination))
            }
            return .success(typed)
        case .failure(let error):
            return .failure(error)
        }
    }

    /// The error for a reply of the wrong type from `destination`.
    @usableFromInline
    func noReply(from destination: HostID) -> NetworkError {
        .noReply(from: network.name(of: destination))
    }
}

/// The unread one-way messages from one sender, and whether a reader is draining them.
final class StreamInbox: @unchecked Sendable {
    var pending: [any NetworkPayload] = []
    var head = 0
    var isReading = false
}

/// A host timer that may be re-armed; cancelling the token cancels every arming.
final class TimerToken: @unchecked Sendable {
    var first: TimerID?
    var current: TimerID?
    var isCancelled = false
}
