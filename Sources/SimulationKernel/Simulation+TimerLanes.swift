/// Timer lanes (see ``TimerLane``): FIFO queues of timers that wait one delay, each
/// with a single entry in the simulation's heap.
extension Simulation {
    // A lane timer's ``TimerID`` is `laneBit`, the lane's number from bit 40 and the
    // timer's position in its lane below; a lane's heap entry is `directBit | laneBit`
    // and the lane's number.
    private static let lanePositionBits: UInt64 = 40
    private static let laneNumberMask: UInt64 = (1 << 21) - 1

    /// The ``TimerID`` of the timer at `position` in lane `index`.
    private static func laneTimerID(lane index: Int, position: UInt64) -> TimerID {
        TimerID(raw: laneBit | UInt64(index) << lanePositionBits | position)
    }

    /// The lane and position of `timer`, if it is a lane timer.
    static func laneTimer(_ timer: TimerID) -> (lane: Int, position: UInt64)? {
        guard timer.raw & (directBit | laneBit) == laneBit else { return nil }
        return (Int(truncatingIfNeeded: (timer.raw >> lanePositionBits) & laneNumberMask),
                timer.raw & ((1 << lanePositionBits) - 1))
    }

    /// The lane of a lane's heap entry (`timerID` with `laneBit` set).
    @inline(__always)
    static func lane(ofHeapEntry timerID: UInt64) -> Int {
        Int(truncatingIfNeeded: timerID & laneNumberMask)
    }

    /// A new lane of timers that call `target` (not retained: it must outlive the
    /// simulation's use of the lane, or ``unregisterTimerLane(_:)`` first).
    ///
    /// For timers that all wait one delay, such as requests' timeouts: see
    /// ``schedule(at:in:token:)``.
    public func makeTimerLane(target: any TimerTarget) -> TimerLaneID {
        precondition(UInt64(lanes.count) <= Self.laneNumberMask, "too many timer lanes")
        lanes.append(TimerLane(target: target))
        return TimerLaneID(index: UInt32(lanes.count - 1))
    }

    /// Forgets a lane's target: its pending timers fire into nothing.
    public func unregisterTimerLane(_ lane: TimerLaneID) {
        lanes[Int(lane.index)].target = DiscardingTimerTarget.shared
    }

    /// Calls the lane's target with `token` at virtual time `deadline`, like
    /// ``schedule(at:target:token:)``, in the same `(deadline, sequence)` order; the
    /// returned id cancels it with ``cancelTimer(_:)``.
    ///
    /// Cheaper when the lane's timers come in the order they fire (a fixed delay):
    /// a queue instead of the heap, and an O(1) cancel. A deadline before the lane's
    /// last (a skewed clock moved back) gets an ordinary timer instead.
    @discardableResult
    public func schedule(at deadline: SimInstant, in lane: TimerLaneID, token: UInt64) -> TimerID {
        let index = Int(lane.index)
        guard isOnLoopThread || loopIsIdle, lanes[index].accepts(deadline: deadline.nanoseconds) else {
            return schedule(at: deadline, target: lanes[index].target, token: token)
        }
        checkContained()
        let sequence = nextTimerSequence
        nextTimerSequence &+= 1
        let position = lanes[index].append(deadline: deadline.nanoseconds, sequence: sequence, token: token)
        if !lanes[index].isArmed { armLane(index) }
        return Self.laneTimerID(lane: index, position: position)
    }

    /// Puts the lane's first timer in the heap, if it has one.
    func armLane(_ index: Int) {
        guard let first = lanes[index].first else { return }
        lanes[index].isArmed = true
        lanes[index].armedDeadline = first.deadline
        directPending += 1
        timers.insert(.init(deadline: first.deadline, sequence: first.sequence,
                            timerID: Self.directBit | Self.laneBit | UInt64(index)), now: now.nanoseconds)
    }

    /// Whether the lane's first timer is the one at `(deadline, sequence)` (the one its
    /// heap entry was armed for), not cancelled since.
    @inline(__always)
    func laneFirstIsLive(_ index: Int, deadline: Int64, sequence: UInt64) -> Bool {
        guard let first = lanes[index].first else { return false }
        return first.deadline == deadline && first.sequence == sequence
    }

    /// The lane's heap entry for `(deadline, sequence)` came up: fires that timer if it
    /// is still live (otherwise it was cancelled), and arms the next.
    func fireLane(_ index: Int, deadline: Int64, sequence: UInt64) {
        directPending -= 1
        lanes[index].isArmed = false
        guard let first = lanes[index].first, first.deadline == deadline, first.sequence == sequence else {
            armLane(index)
            return
        }
        lanes[index].advance()
        armLane(index)
        localCounters.timersFired &+= 1
        lanes[index].target.timerFired(token: first.token)
    }
}
