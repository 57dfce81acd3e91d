/// Timers: actions, targets, direct timers and sleeps at virtual times, kept in the
/// timer queue in `(deadline, sequence)` order (the loop that fires them is in
/// `Simulation.swift`; lanes in `Simulation+TimerLanes.swift`).
extension Simulation {
    /// Runs `action` on the loop thread at virtual time `deadline` (or at once, in
    /// timer order, if the deadline has passed). Returns an id for ``cancelTimer(_:)``.
    @discardableResult
    public func schedule(at deadline: SimInstant, _ action: @escaping @Sendable () -> Void) -> TimerID {
        checkContained()
        guard isOnLoopThread || loopIsIdle else {
            // From a foreign thread (already an escape): scheduled on the loop later,
            // and the returned id cannot cancel it.
            postForeign(.action { [self] in _ = insertTimer(deadline: deadline, payload: .action(action)) })
            return TimerID(raw: .max)
        }
        return TimerID(raw: insertTimer(deadline: deadline, payload: .action(action)))
    }

    /// Calls `target.timerFired(token:)` on the loop thread at virtual time `deadline`.
    ///
    /// The allocation-free form of ``schedule(at:_:)`` for code that schedules on
    /// every message: the target finds what the timer is for by its token.
    @discardableResult
    public func schedule(at deadline: SimInstant, target: any TimerTarget, token: UInt64) -> TimerID {
        guard isOnLoopThread || loopIsIdle else {
            return schedule(at: deadline) { target.timerFired(token: token) }
        }
        checkContained()
        return TimerID(raw: insertTimer(deadline: deadline, payload: .target(target, token)))
    }

    /// Registers `target` for direct timers; keep the returned number to schedule them.
    ///
    /// The simulation does not keep `target` alive (a target usually holds its
    /// simulation): a target that goes away must first call
    /// ``unregisterDirectTimerTarget(_:)``, after which its pending timers fire into nothing.
    public func registerDirectTimerTarget(_ target: any TimerTarget) -> DirectTimerTarget {
        precondition(directTargets.count < Int(Int32.max), "too many direct timer targets")
        directTargets.append(DirectTarget(target: target))
        return DirectTimerTarget(index: UInt32(directTargets.count - 1))
    }

    /// Forgets a direct timer target (see ``registerDirectTimerTarget(_:)``).
    public func unregisterDirectTimerTarget(_ target: DirectTimerTarget) {
        directTargets[Int(target.index)] = DirectTarget(target: DiscardingTimerTarget.shared)
    }

    /// Calls `target`'s `timerFired(token:)` at virtual time `deadline`, with a timer that
    /// cannot be cancelled.
    ///
    /// The form of ``schedule(at:target:token:)`` for timers that always fire, such as
    /// a message's arrival: the heap entry itself names the target and the token, so
    /// nothing is stored beside it. Fires in the same `(deadline, sequence)` order as
    /// every other timer, and counts as one fired.
    @inline(__always)
    public func scheduleDirect(at deadline: SimInstant, target: DirectTimerTarget, token: UInt32) {
        guard isOnLoopThread || loopIsIdle else {
            let object = directTargets[Int(target.index)].target
            schedule(at: deadline) { object.timerFired(token: UInt64(token)) }
            return
        }
        checkContained()
        directPending += 1
        pushHeapEntry(id: Self.directBit | UInt64(target.index) << 32 | UInt64(token), deadline: deadline)
    }

    /// Marks the timer ids of direct timers (``TimerSlots`` ids keep this bit clear).
    static let directBit: UInt64 = 1 << 63
    /// Marks lane timers: with ``directBit``, a lane's heap entry; alone, a ``TimerID``
    /// (see `Simulation+TimerLanes.swift` for both layouts).
    static let laneBit: UInt64 = 1 << 62

    /// Whether the timer `id` in the heap is still to fire.
    @inline(__always)
    func isPending(_ id: UInt64) -> Bool {
        id & Self.directBit != 0 || timerSlots.contains(id)
    }

    /// Runs `action` after `delay` of virtual time.
    @discardableResult
    public func schedule(after delay: Duration, _ action: @escaping @Sendable () -> Void) -> TimerID {
        schedule(at: now.advanced(by: delay), action)
    }

    /// Cancels a scheduled action that has not run yet; a no-op otherwise.
    public func cancelTimer(_ timer: TimerID) {
        if let (lane, position) = Self.laneTimer(timer) {
            if isOnLoopThread || loopIsIdle {
                lanes[lane].cancel(at: position)
            } else {
                postForeign(.action { [self] in lanes[lane].cancel(at: position) })
            }
            return
        }
        if isOnLoopThread || loopIsIdle {
            timerSlots.remove(timer.raw)
            compactTimersIfMostlyCancelled()
        } else {
            postForeign(.action { [self] in timerSlots.remove(timer.raw) })
        }
    }

    /// Suspends the calling task until virtual time `deadline`.
    ///
    /// Throws `CancellationError` if the task is cancelled before or while it sleeps;
    /// the cancellation wakes it at the virtual time it arrives. Pass the caller's
    /// isolation (the default) so that the sleep adds no hop off the caller's actor.
    public func sleep(until deadline: SimInstant, isolation: isolated (any Actor)? = #isolation) async throws {
        checkContained()
        try Task.checkCancellation()
        if deadline <= now {
            return
        }
        // Reserve the slot first so that a cancellation racing the registration finds it.
        let id = timerSlots.insert(.reserved)
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                if Task.isCancelled {
                    timerSlots.remove(id)
                    continuation.resume(throwing: CancellationError())
                } else {
                    timerSlots.update(id, to: .sleeper(continuation))
                    pushHeapEntry(id: id, deadline: deadline)
                }
            }
        } onCancel: {
            if self.isOnLoopThread {
                self.cancelSleeper(id)
            } else {
                self.postForeign(.cancelSleep(id))
            }
        }
    }

    /// Suspends the calling task for `duration` of virtual time.
    public func sleep(for duration: Duration, isolation: isolated (any Actor)? = #isolation) async throws {
        try await sleep(until: now.advanced(by: duration), isolation: isolation)
    }

    /// Resumes the caller once every job ready at this virtual instant, and every job
    /// those make ready at the same instant, has run.
    public func yield(isolation: isolated (any Actor)? = #isolation) async {
        checkContained()
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            _ = insertTimer(deadline: now, payload: .resume(continuation))
        }
    }

    /// Stores `payload` and queues its timer; returns the timer's id.
    func insertTimer(deadline: SimInstant, payload: TimerPayload) -> UInt64 {
        let id = timerSlots.insert(payload)
        pushHeapEntry(id: id, deadline: deadline)
        return id
    }

    /// Rebuilds the timer heap without its cancelled entries once they are more
    /// than twice the live ones (and the heap is not small): amortized O(1) per
    /// cancel, and it changes no firing order (see ``TimerHeap`` and ``TimerQueue``).
    @inline(__always)
    func compactTimersIfMostlyCancelled() {
        guard timers.count > 4096, timers.count > 3 * (timerSlots.count + directPending) else { return }
        timers.compact { isPending($0.timerID) }
    }

    @inline(__always)
    func pushHeapEntry(id: UInt64, deadline: SimInstant) {
        timers.insert(.init(deadline: deadline.nanoseconds, sequence: nextTimerSequence, timerID: id), now: now.nanoseconds)
        nextTimerSequence &+= 1
    }

    func cancelSleeper(_ id: UInt64) {
        guard case .sleeper(let continuation)? = timerSlots[id] else { return }  // fired, or not yet registered
        timerSlots.remove(id)
        continuation.resume(throwing: CancellationError())
    }
}
