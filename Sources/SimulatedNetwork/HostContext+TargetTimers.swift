public import SimulationKernel

/// Identifies a host timer that calls a target (``HostContext/schedule(at:target:token:)``).
public struct HostTimerID: Hashable, Sendable {
    let raw: UInt64
}

/// A pending host timer that calls a target: what it waits for and whom it calls.
struct TargetTimer {
    /// The host-clock reading it waits for, or nil for a plain virtual-time wait.
    let instant: SimInstant?
    let target: any TimerTarget
    let token: UInt64
    /// The simulation timer of the current wait (nil only while it is being scheduled).
    var current: TimerID? = nil
}

/// Host timers that call a target by token: the allocation-free form of
/// ``HostContext/schedule(at:_:)`` and ``HostContext/schedule(virtualDelay:_:)`` for
/// timers set on every connection. Same rules — they fire only while this
/// incarnation is the live one, and a host-clock timer waits out a clock moved back —
/// and the same firing order, since each wait is one simulation timer scheduled
/// at the same moment.
extension HostContext: TimerTarget {
    /// Calls `target.timerFired(token:)` on the loop when this host's clock reads
    /// `instant`, provided this incarnation is still the live one then (see
    /// ``schedule(at:_:)``). Cancel it with ``cancel(_:)-(HostTimerID)``.
    @discardableResult
    public func schedule(at instant: SimInstant, target: any TimerTarget, token: UInt64) -> HostTimerID {
        insertTargetTimer(TargetTimer(instant: instant, target: target, token: token),
                          firingAt: clock.virtualTime(whenReading: instant))
    }

    /// Calls `target.timerFired(token:)` after `delay` of virtual time, provided this
    /// incarnation is still the live one then (see ``schedule(virtualDelay:_:)``).
    @discardableResult
    public func schedule(virtualDelay delay: Duration, target: any TimerTarget, token: UInt64) -> HostTimerID {
        insertTargetTimer(TargetTimer(instant: nil, target: target, token: token),
                          firingAt: simulation.now.advanced(by: delay))
    }

    /// Stores `timer` and starts its first wait, a simulation timer at virtual time `deadline`.
    private func insertTargetTimer(_ timer: TargetTimer, firingAt deadline: SimInstant) -> HostTimerID {
        var timer = timer
        let id = targetTimers.insert(timer)
        timer.current = simulation.schedule(at: deadline, target: self, token: id)
        targetTimers.update(id, to: timer)
        return HostTimerID(raw: id)
    }

    /// Cancels a target timer that has not fired (a no-op otherwise).
    public func cancel(_ timer: HostTimerID) {
        guard let pending = targetTimers.remove(timer.raw) else { return }
        if let current = pending.current { simulation.cancelTimer(current) }
    }

    /// A wait of a target timer is over: re-arms it if this host's clock was moved
    /// back meanwhile, and otherwise calls its target.
    public func timerFired(token id: UInt64) {
        guard isCurrent, let pending = targetTimers[id] else { return }
        if let instant = pending.instant, clock.now < instant {
            var rearmed = pending
            rearmed.current = simulation.schedule(at: clock.virtualTime(whenReading: instant), target: self, token: id)
            targetTimers.update(id, to: rearmed)
            return
        }
        targetTimers.remove(id)
        pending.target.timerFired(token: pending.token)
    }
}
