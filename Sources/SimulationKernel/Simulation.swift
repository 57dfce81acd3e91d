import Synchronization

/// A deterministic, single-threaded simulation: the executor of every simulated
/// actor and task, a virtual clock with a timer heap, and seeded randomness.
///
/// Every simulated actor returns a ``SimActorExecutor`` of this simulation from its
/// `unownedExecutor`, and every simulated task is created with this simulation as
/// its executor preference (``spawn(_:)``). All their jobs land in one ready queue
/// that ``run(until:maxJobs:)`` drains on the calling thread, choosing the next job
/// by the ``SchedulingPolicy``. When nothing is ready, virtual time jumps to the
/// earliest timer. One seed and one build therefore give one history.
///
/// Invariants: the ready queue and the timer heap are touched only by the thread
/// running the loop (or, between runs, through the locked foreign inbox); virtual
/// time never decreases.
public final class Simulation: TaskExecutor, @unchecked Sendable {
    /// The root seed every random stream of this simulation derives from.
    public let seed: UInt64
    /// How the next ready job is chosen.
    public let policy: SchedulingPolicy
    /// The append-only trace of this simulation.
    public let trace: TraceRecorder

    /// The current virtual time.
    public private(set) var now: SimInstant = .zero

    private var ready = RingBuffer<ReadyJob>(minimumCapacity: 1024)
    var timers = TimerQueue()
    var timerSlots = TimerSlots<TimerPayload>()
    /// Targets of direct timers (``scheduleDirect(at:target:token:)``), by number.
    var directTargets: [DirectTarget] = []
    /// Direct timers queued and not yet fired (lanes' armed entries included).
    var directPending = 0
    /// Timer lanes (``makeTimerLane(target:)``), by number.
    var lanes: [TimerLane] = []
    var nextTimerSequence: UInt64 = 0
    private var scheduler: SeededRandom
    private var isRunning = false
    var localCounters = SimulationCounters()

    /// The loop thread's id while running, 0 otherwise; read from any thread.
    private let loopThread = Atomic<UInt>(0)
    /// The thread allowed to set up work between runs: the creator, then whichever
    /// thread last ran the loop. Enqueues from any other thread are foreign.
    private let ownerThread = Atomic<UInt>(0)
    private let hasForeignWork = Atomic<Bool>(false)
    private let foreignInbox = Mutex<[ForeignWork]>([])
    private let foreignEnqueueCount = Atomic<UInt64>(0)
    private let escapeCount = Atomic<UInt64>(0)

    /// A simulation whose randomness derives from `seed`.
    public init(seed: UInt64 = 1, policy: SchedulingPolicy = .random) {
        self.seed = seed
        self.policy = policy
        self.scheduler = SeededRandom(rootSeed: seed, stream: "kernel.scheduler")
        self.trace = TraceRecorder()
        ownerThread.store(currentThreadID(), ordering: .relaxed)
        trace.simulation = self
    }

    deinit {
        trace.simulation = nil
    }

    // MARK: - Counters

    /// Jobs run, timers fired, foreign enqueues and escapes so far.
    public var counters: SimulationCounters {
        var result = localCounters
        result.foreignEnqueues = foreignEnqueueCount.load(ordering: .relaxed)
        result.escapes = escapeCount.load(ordering: .relaxed)
        return result
    }

    /// Whether the caller is the thread currently running the loop.
    @inline(__always)
    public var isOnLoopThread: Bool { loopThread.load(ordering: .relaxed) == currentThreadID() }

    /// True between runs, when setup code on any one thread may touch the queues.
    @inline(__always)
    var loopIsIdle: Bool { loopThread.load(ordering: .relaxed) == 0 }

    /// Records an escape if simulated code calls in from outside the running loop
    /// (or, between runs, from a thread other than the owner).
    ///
    /// Kernel entry points (sleeping, tracing, network sends) call this; a non-zero
    /// count fails the run's `no-escape` invariant.
    @inline(__always)
    public func checkContained() {
        let thread = currentThreadID()
        let loop = loopThread.load(ordering: .relaxed)
        if loop != thread && (loop != 0 || ownerThread.load(ordering: .relaxed) != thread) {
            escapeCount.add(1, ordering: .relaxed)
        }
    }

    // MARK: - Randomness

    /// An independent random stream named `name`, derived from the root seed.
    public func randomStream(named name: String) -> SeededRandom {
        SeededRandom(rootSeed: seed, stream: name)
    }

    // MARK: - Executors and tasks

    /// A new serial-executor identity for one actor.
    ///
    /// Give every actor its own: each call between actors with distinct identities
    /// is then an enqueue, i.e. a point where the seeded scheduler may reorder.
    public func makeActorExecutor() -> SimActorExecutor { SimActorExecutor(simulation: self) }

    /// Starts a task that runs on this simulation (never on the global executor).
    @discardableResult
    public func spawn<Success: Sendable>(
        _ operation: sending @escaping @isolated(any) () async -> Success
    ) -> Task<Success, Never> {
        Task(executorPreference: self, operation: operation)
    }

    /// Starts a throwing task that runs on this simulation.
    @discardableResult
    public func spawnThrowing<Success: Sendable>(
        _ operation: sending @escaping @isolated(any) () async throws -> Success
    ) -> Task<Success, any Error> {
        Task(executorPreference: self, operation: operation)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        enqueue(ReadyJob(job: UnownedJob(job), actorExecutor: nil))
    }

    @inline(__always)
    func enqueue(_ job: ReadyJob) {
        let thread = currentThreadID()
        if loopThread.load(ordering: .relaxed) == thread {
            ready.append(job)
        } else {
            if ownerThread.load(ordering: .relaxed) != thread || !loopIsIdle {
                foreignEnqueueCount.add(1, ordering: .relaxed)
            }
            postForeign(.job(job))
        }
    }

    func postForeign(_ work: ForeignWork) {
        foreignInbox.withLock { $0.append(work) }
        hasForeignWork.store(true, ordering: .releasing)
    }

    private func drainForeignInbox() {
        guard hasForeignWork.load(ordering: .acquiring) else { return }
        let work = foreignInbox.withLock { inbox -> [ForeignWork] in
            hasForeignWork.store(false, ordering: .relaxed)
            defer { inbox.removeAll(keepingCapacity: true) }
            return inbox
        }
        for item in work {
            switch item {
            case .job(let job): ready.append(job)
            case .cancelSleep(let id): cancelSleeper(id)
            case .action(let action): action()
            }
        }
    }

    // MARK: - The loop

    /// Runs jobs and timers until nothing is left, the next timer lies past `limit`,
    /// or `maxJobs` jobs have run.
    ///
    /// Runs on the calling thread, which must not be needed by simulated code (call
    /// it from a synchronous context or a thread you own, never the main actor).
    /// That thread becomes the owner: between runs, set-up (spawning, scheduling)
    /// must come from it, or it counts as foreign.
    /// - Complexity: O(j + t log t) for j jobs and t timers.
    @discardableResult
    public func run(until limit: SimInstant = .distantFuture, maxJobs: UInt64 = .max) -> RunOutcome {
        precondition(!isRunning, "Simulation.run is not reentrant")
        isRunning = true
        ownerThread.store(currentThreadID(), ordering: .relaxed)
        loopThread.store(currentThreadID(), ordering: .relaxed)
        defer {
            loopThread.store(0, ordering: .relaxed)
            isRunning = false
        }
        var budget = maxJobs
        drainForeignInbox()
        while true {
            if ready.isEmpty {
                drainForeignInbox()
                if !ready.isEmpty { continue }
                guard fireNextTimers(limit: limit) else {
                    if timers.isEmpty { return .quiescent(at: now) }
                    if limit > now { now = limit }
                    return .reachedTimeLimit(at: now)
                }
                continue
            }
            if budget == 0 { return .reachedJobLimit(at: now) }
            budget &-= 1
            let job: ReadyJob
            switch policy {
            case .fifo: job = ready.removeFirst()
            case .random: job = ready.swapRemove(at: ready.count == 1 ? 0 : scheduler.next(below: ready.count))
            }
            localCounters.jobsRun &+= 1
            if let executor = job.actorExecutor {
                job.job.runSynchronously(isolatedTo: executor, taskExecutor: asUnownedTaskExecutor())
            } else {
                job.job.runSynchronously(on: asUnownedTaskExecutor())
            }
            if hasForeignWork.load(ordering: .relaxed) { drainForeignInbox() }
        }
    }

    /// Fires every live timer at the earliest pending deadline, if it is within `limit`.
    /// Returns false when there is no such timer.
    private func fireNextTimers(limit: SimInstant) -> Bool {
        while let first = timers.first {
            if first.timerID & Self.laneBit != 0 {
                let lane = Self.lane(ofHeapEntry: first.timerID)
                guard laneFirstIsLive(lane, deadline: first.deadline, sequence: first.sequence) else {
                    // Its timer was cancelled: firing the entry only arms the lane's next
                    // live timer (later), without moving the clock to this one.
                    _ = timers.popFirst()
                    fireLane(lane, deadline: first.deadline, sequence: first.sequence)
                    continue
                }
            } else if !isPending(first.timerID) {
                _ = timers.popFirst()  // cancelled
                continue
            }
            guard first.deadline <= limit.nanoseconds else { return false }
            if first.deadline > now.nanoseconds { now = SimInstant(nanoseconds: first.deadline) }
            let due = now.nanoseconds
            while let next = timers.popFirst(dueBy: due) {
                if next.timerID & Self.laneBit != 0 {
                    fireLane(Self.lane(ofHeapEntry: next.timerID), deadline: next.deadline, sequence: next.sequence)
                    continue
                }
                if next.timerID & Self.directBit != 0 {
                    directPending -= 1
                    localCounters.timersFired &+= 1
                    directTargets[Int(truncatingIfNeeded: (next.timerID >> 32) & 0x7FFF_FFFF)]
                        .fire(token: next.timerID & 0xFFFF_FFFF)
                    continue
                }
                guard let payload = timerSlots.remove(next.timerID) else { continue }
                localCounters.timersFired &+= 1
                switch payload {
                case .sleeper(let continuation): continuation.resume()
                case .resume(let continuation): continuation.resume()
                case .action(let action): action()
                case .target(let target, let token): target.timerFired(token: token)
                case .reserved: break  // never queued
                }
            }
            return true
        }
        return false
    }
}

/// A registered direct timer target, not retained (it unregisters before it goes away).
///
/// Fired through its object and its type, not through an `unowned(unsafe)` existential:
/// calling a method on such a reference retains and releases it around the call, once
/// per message arrival; ``fire(token:)`` calls it at +0 (the object is alive, since it
/// unregisters before it goes).
struct DirectTarget {
    private let object: Unmanaged<AnyObject>
    private let type: any TimerTarget.Type

    init(target: any TimerTarget) {
        object = Unmanaged.passUnretained(target)
        type = Swift.type(of: target)
    }

    /// The target itself (a strong reference, for the rare path that keeps it).
    var target: any TimerTarget { type.existential(of: object) }

    /// Calls the target's `timerFired(token:)` without retaining it.
    @inline(__always)
    func fire(token: UInt64) {
        type.fireUnretained(object, token: token)
    }
}

extension TimerTarget {
    /// Calls `timerFired(token:)` on `object`, which is a `Self`, at +0.
    static func fireUnretained(_ object: Unmanaged<AnyObject>, token: UInt64) {
        Unmanaged<Self>.fromOpaque(object.toOpaque())._withUnsafeGuaranteedRef { $0.timerFired(token: token) }
    }

    /// `object`, which is a `Self`, as a target.
    static func existential(of object: Unmanaged<AnyObject>) -> any TimerTarget {
        Unmanaged<Self>.fromOpaque(object.toOpaque()).takeUnretainedValue()
    }
}

/// A job in the ready queue, with the actor it is isolated to (if any).
struct ReadyJob {
    let job: UnownedJob
    let actorExecutor: UnownedSerialExecutor?
}

enum TimerPayload {
    /// A sleep whose continuation is not registered yet (see `sleep(until:)`).
    case reserved
    case sleeper(UnsafeContinuation<Void, any Error>)
    case resume(UnsafeContinuation<Void, Never>)
    case action(@Sendable () -> Void)
    case target(any TimerTarget, UInt64)
}

enum ForeignWork {
    case job(ReadyJob)
    case cancelSleep(UInt64)
    case action(@Sendable () -> Void)
}
