/// An object that timers call by token (see ``Simulation/schedule(at:target:token:)``).
public protocol TimerTarget: AnyObject, Sendable {
    /// Called on the loop thread when a timer scheduled with `token` fires.
    func timerFired(token: UInt64)
}

/// Identifies an action scheduled with ``Simulation/schedule(at:_:)``.
public struct TimerID: Hashable, Sendable {
    let raw: UInt64
}

/// A target registered for direct timers (``Simulation/scheduleDirect(at:target:token:)``).
public struct DirectTimerTarget: Sendable, Hashable {
    let index: UInt32
}

/// What an unregistered target's pending direct timers fire into.
final class DiscardingTimerTarget: TimerTarget {
    static let shared = DiscardingTimerTarget()
    func timerFired(token: UInt64) {}
}
