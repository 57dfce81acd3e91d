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
/// The queue is a ring that grows by doubling and never moves its timers otherwise: a
/// lane of a 30-second timeout holds every request sent in the last 30 seconds (most of
/// them cancelled), and an array that dropped its front by moving the rest down copied
/// the whole window, cold, each time the front had passed half of it.
///
/// Invariants: the `count` timers from `head` (wrapping) have non-decreasing deadlines
/// and increasing sequences, the first at position `frontPosition`; the ring's size is
/// 0 or a power of two; when `isArmed`, the heap holds one entry of this lane, whose
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
    /// The queue's ring (slots outside the queue hold fired or placeholder timers).
    private var ring: [Timer] = []
    /// Index in `ring` of the front of the queue.
    private var head = 0
    /// Number of timers queued.
    private var count = 0
    /// Position (counted from the lane's first timer ever) of the front timer.
    private var frontPosition: UInt64 = 0

    init(target: any TimerTarget) { self.target = target }

    /// The ring index of the timer `offset` places after the front.
    @inline(__always)
    private func index(_ offset: Int) -> Int { (head &+ offset) & (ring.count &- 1) }

    /// Whether a timer due at `deadline` may join the queue: not before its last timer.
    @inline(__always)
    func accepts(deadline: Int64) -> Bool {
        count == 0 || ring[index(count &- 1)].deadline <= deadline
    }

    /// Queues a timer (see ``accepts(deadline:)``); returns its position, for ``cancel(at:)``.
    @inline(__always)
    mutating func append(deadline: Int64, sequence: UInt64, token: UInt64) -> UInt64 {
        if count == ring.count { grow() }
        ring[index(count)] = Timer(deadline: deadline, sequence: sequence, token: token)
        count &+= 1
        return frontPosition &+ UInt64(count &- 1)
    }

    /// Marks the timer at `position` dead; a no-op if it fired or was dropped.
    @inline(__always)
    mutating func cancel(at position: UInt64) {
        guard position >= frontPosition, position - frontPosition < UInt64(count) else { return }
        ring[index(Int(position - frontPosition))].isLive = false
    }

    /// The first live timer, after dropping the dead ones before it.
    @inline(__always)
    mutating func firstLive() -> Timer? {
        while count > 0 {
            if ring[head].isLive { return ring[head] }
            advance()
        }
        return nil
    }

    /// Drops the front timer.
    @inline(__always)
    mutating func advance() {
        head = index(1)
        count &-= 1
        frontPosition &+= 1
    }

    /// Doubles the ring (64 timers at first), laying the queue out from index 0.
    private mutating func grow() {
        let size = Swift.max(64, ring.count * 2)
        var larger: [Timer] = []
        larger.reserveCapacity(size)
        for offset in 0..<count { larger.append(ring[index(offset)]) }
        larger.append(contentsOf: repeatElement(Timer(deadline: 0, sequence: 0, token: 0, isLive: false),
                                                count: size - count))
        ring = larger
        head = 0
    }
}
