/// Identifies a timer lane of a ``Simulation`` (see ``Simulation/makeTimerLane(target:)``).
public struct TimerLaneID: Sendable, Hashable {
    let index: UInt32
}

/// The timers of one lane, first to fire first: a queue in which each timer's
/// `(deadline, sequence)` follows the one before it.
///
/// Timers that all wait the same delay (a request's timeout) are scheduled in the
/// order they fire, so they need no heap of their own: the lane keeps them in a
/// queue, and only its first live timer has an entry in the simulation's heap (it
/// is *armed*). A cancel marks its timer dead in O(1); dead timers are dropped when
/// they reach the front. Each timer keeps the sequence number it took when it was
/// scheduled, so it fires at exactly the place among all timers that an ordinary
/// timer scheduled at the same moment would have.
///
/// Invariants: timers after `head` have non-decreasing deadlines and increasing
/// sequences; when `isArmed`, the heap holds one entry of this lane, whose
/// `(deadline, sequence)` is at or before that of every timer in the queue.
/// - Complexity: O(1) amortised scheduling, cancelling and firing (plus the one
///   heap operation of arming).
struct TimerLane {
    struct Timer {
        let deadline: Int64
        let sequence: UInt64
        let token: UInt64
        var isLive = true
    }

    /// Whom the lane's timers call (not retained, as for direct timers).
    unowned(unsafe) var target: any TimerTarget
    /// Whether the heap holds this lane's entry.
    var isArmed = false
    private var timers: [Timer] = []
    /// Index in `timers` of the front of the queue.
    private var head = 0
    /// Position (counted from the lane's first timer ever) of `timers[0]`.
    private var base: UInt64 = 0

    init(target: any TimerTarget) { self.target = target }

    /// Whether a timer due at `deadline` may join the queue: not before its last timer.
    @inline(__always)
    func accepts(deadline: Int64) -> Bool {
        head == timers.count || timers[timers.count - 1].deadline <= deadline
    }

    /// Queues a timer (see ``accepts(deadline:)``); returns its position, for ``cancel(at:)``.
    @inline(__always)
    mutating func append(deadline: Int64, sequence: UInt64, token: UInt64) -> UInt64 {
        timers.append(Timer(deadline: deadline, sequence: sequence, token: token))
        return base + UInt64(timers.count - 1)
    }

    /// Marks the timer at `position` dead; a no-op if it fired or was dropped.
    @inline(__always)
    mutating func cancel(at position: UInt64) {
        guard position >= base + UInt64(head), position - base < UInt64(timers.count) else { return }
        timers[Int(position - base)].isLive = false
    }

    /// The first live timer, after dropping the dead ones before it.
    @inline(__always)
    mutating func firstLive() -> Timer? {
        while head < timers.count {
            if timers[head].isLive { return timers[head] }
            advance()
        }
        return nil
    }

    /// Drops the front timer.
    @inline(__always)
    mutating func advance() {
        head += 1
        if head == timers.count {
            base += UInt64(head)
            timers.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024, head * 2 >= timers.count {
            base += UInt64(head)
            timers.removeFirst(head)
            head = 0
        }
    }
}
