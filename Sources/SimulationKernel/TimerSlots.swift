/// Storage for pending timers' payloads, addressed by ids that carry a generation.
///
/// A slot is reused once its timer fired or was cancelled; its generation then
/// changes, so a stale id (of a fired or cancelled timer) finds nothing. No hashing:
/// lookup, insertion and removal are array accesses.
/// - Complexity: O(1) for every operation.
@usableFromInline
package struct TimerSlots<Payload> {
    @usableFromInline var payloads: [Payload?] = []
    @usableFromInline var generations: [UInt32] = []
    @usableFromInline var free: [UInt32] = []

    /// Number of occupied slots.
    @usableFromInline package internal(set) var count = 0

    @inlinable package init() {}

    /// Stores `payload`; returns its id: generation in the high 32 bits, slot in the low.
    @inlinable package mutating func insert(_ payload: consuming Payload) -> UInt64 {
        let slot: UInt32
        if let reused = free.popLast() {
            slot = reused
            payloads[Int(slot)] = payload
        } else {
            slot = UInt32(payloads.count)
            payloads.append(payload)
            generations.append(0)
        }
        count += 1
        return UInt64(generations[Int(slot)]) << 32 | UInt64(slot)
    }

    /// The payload of `id`, if it is still pending.
    @inlinable package subscript(id: UInt64) -> Payload? {
        get {
            let slot = Int(truncatingIfNeeded: id & 0xFFFF_FFFF)
            guard slot < payloads.count, generations[slot] == UInt32(truncatingIfNeeded: id >> 32) else { return nil }
            return payloads[slot]
        }
    }

    /// Whether `id` is still pending (without copying its payload).
    @inlinable package func contains(_ id: UInt64) -> Bool {
        let slot = Int(truncatingIfNeeded: id & 0xFFFF_FFFF)
        return slot < generations.count && generations[slot] == UInt32(truncatingIfNeeded: id >> 32)
            && payloads[slot] != nil
    }

    /// Replaces the payload of a pending `id`.
    @inlinable package mutating func update(_ id: UInt64, to payload: Payload) {
        let slot = Int(truncatingIfNeeded: id & 0xFFFF_FFFF)
        guard slot < payloads.count, generations[slot] == UInt32(truncatingIfNeeded: id >> 32) else { return }
        payloads[slot] = payload
    }

    /// Removes and returns the payload of `id` (nil if it already fired or was removed).
    @discardableResult @inlinable
    package mutating func remove(_ id: UInt64) -> Payload? {
        let slot = Int(truncatingIfNeeded: id & 0xFFFF_FFFF)
        guard slot < payloads.count, generations[slot] == UInt32(truncatingIfNeeded: id >> 32),
              let payload = payloads[slot].take() else { return nil }
        // 30 bits, so an id never has its top two bits set (the simulation marks
        // direct timers and lane timers with them).
        generations[slot] = (generations[slot] &+ 1) & 0x3FFF_FFFF
        free.append(UInt32(slot))
        count -= 1
        return payload
    }
}
