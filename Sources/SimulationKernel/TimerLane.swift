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
/// The queue is a doubly linked list of nodes kept in an array, and a cancelled timer
/// leaves it at once: most timers of a lane (requests' deadlines) are cancelled within
/// milliseconds, so the queue holds only the few live ones, in nodes reused last freed
/// first, which stay in cache. (A queue that kept its cancelled timers until they
/// reached the front held the whole timeout's worth of requests, 30 seconds of them,
/// written and read back cold.)
///
/// A timer's position (its part of the ``TimerID``) is its node and the node's
/// generation, which changes when the node is freed: a stale position (of a timer
/// that fired or was cancelled) finds nothing.
///
/// Invariants: the queue, from `head` along `next`, has non-decreasing deadlines and
/// increasing sequences; every node is either queued or on the free chain; when
/// `isArmed`, the heap holds one entry of this lane, due at `armedDeadline`, whose
/// `(deadline, sequence)` is at or before that of every timer in the queue (the timer
/// it was armed for may have been cancelled since).
/// - Complexity: O(1) amortised scheduling, cancelling and firing (plus the one
///   heap operation of arming).
struct TimerLane {
    /// A timer due at `deadline`, with the sequence it took when scheduled.
    struct Timer {
        let deadline: Int64
        let sequence: UInt64
        let token: UInt64
    }

    /// A queued timer, or a free node.
    private struct Node {
        var timer: Timer
        /// The next node of the queue (or of the free chain), or ``none``.
        var next: UInt32
        /// The node before it in the queue, or ``none``.
        var previous: UInt32
        /// Bumped when the node is freed (kept to ``generationBits``).
        var generation: UInt32
        /// Whether the node holds a queued timer (not on the free chain).
        var isQueued: Bool
    }

    /// Whom the lane's timers call (not retained, as for direct timers).
    unowned(unsafe) var target: any TimerTarget
    /// Whether the heap holds this lane's entry.
    var isArmed = false
    /// The deadline of the lane's heap entry, while armed.
    var armedDeadline: Int64 = 0
    private var nodes: [Node] = []
    private var head = Self.none
    private var tail = Self.none
    /// The last node freed (the free chain runs from it through `next`), or ``none``.
    private var firstFree = Self.none

    private static var none: UInt32 { .max }
    /// A position is the node's generation above ``nodeBits`` bits of node number; the
    /// two fit the 40 bits a ``TimerID`` gives a lane timer's position. A stale position
    /// could name a timer again only after its node was reused 2^20 times.
    private static var nodeBits: UInt64 { 20 }
    private static var generationBits: UInt32 { 20 }

    init(target: any TimerTarget) { self.target = target }

    /// Whether a timer due at `deadline` may join the queue: not before its last timer
    /// nor before the heap entry the lane is armed with (its timer may be cancelled and
    /// gone from the queue, but the entry stays until it comes up), and while the lane
    /// has a node number for it.
    @inline(__always)
    func accepts(deadline: Int64) -> Bool {
        (tail == Self.none || nodes[Int(tail)].timer.deadline <= deadline)
            && (!isArmed || armedDeadline <= deadline)
            && (firstFree != Self.none || nodes.count < 1 << Self.nodeBits)
    }

    /// Queues a timer (see ``accepts(deadline:)``); returns its position, for ``cancel(at:)``.
    @inline(__always)
    mutating func append(deadline: Int64, sequence: UInt64, token: UInt64) -> UInt64 {
        let timer = Timer(deadline: deadline, sequence: sequence, token: token)
        let node: UInt32
        if firstFree != Self.none {
            node = firstFree
            firstFree = nodes[Int(node)].next
            nodes[Int(node)].timer = timer
            nodes[Int(node)].next = Self.none
            nodes[Int(node)].previous = tail
            nodes[Int(node)].isQueued = true
        } else {
            node = UInt32(nodes.count)
            nodes.append(Node(timer: timer, next: Self.none, previous: tail, generation: 0, isQueued: true))
        }
        if tail == Self.none { head = node } else { nodes[Int(tail)].next = node }
        tail = node
        return UInt64(nodes[Int(node)].generation) << Self.nodeBits | UInt64(node)
    }

    /// Removes the timer at `position`; a no-op if it fired or was cancelled.
    @inline(__always)
    mutating func cancel(at position: UInt64) {
        let node = position & (1 << Self.nodeBits - 1)
        guard node < UInt64(nodes.count), nodes[Int(node)].isQueued,
              UInt64(nodes[Int(node)].generation) == position >> Self.nodeBits else { return }
        remove(UInt32(node))
    }

    /// The timer at the front of the queue, if any (every queued timer is live).
    @inline(__always)
    var first: Timer? {
        head == Self.none ? nil : nodes[Int(head)].timer
    }

    /// Drops the front timer. - Precondition: the queue is not empty.
    @inline(__always)
    mutating func advance() {
        remove(head)
    }

    /// Unlinks queued `node` and frees it (a new generation, first on the free chain).
    @inline(__always)
    private mutating func remove(_ node: UInt32) {
        let next = nodes[Int(node)].next
        let previous = nodes[Int(node)].previous
        if previous == Self.none { head = next } else { nodes[Int(previous)].next = next }
        if next == Self.none { tail = previous } else { nodes[Int(next)].previous = previous }
        nodes[Int(node)].generation = (nodes[Int(node)].generation &+ 1) & (1 << Self.generationBits - 1)
        nodes[Int(node)].isQueued = false
        nodes[Int(node)].next = firstFree
        firstFree = node
    }
}
