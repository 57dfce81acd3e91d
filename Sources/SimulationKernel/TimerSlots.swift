/// Storage for pending timers' payloads, addressed by ids that carry a generation.
///
/// A slot is reused once its timer fired or was cancelled; its generation then
/// changes, so a stale id (of a fired or cancelled timer) finds nothing. No hashing:
/// lookup, insertion and removal are a few loads and stores.
///
/// The slots live in memory of their own, not in arrays: each operation touches one
/// slot with no uniqueness check (three arrays, before, made three checks and three
/// bounds checks per insert). The slots freed form a chain through the slots
/// themselves, the last freed first, so the slots in use stay few and warm, and a
/// slot's number and generation are those the arrays gave. Non-copyable, so the memory
/// has one owner, which frees it with the payloads still pending.
/// - Complexity: O(1) for every operation (insertion amortized).
@usableFromInline
package struct TimerSlots<Payload>: ~Copyable {
    @usableFromInline
    struct Slot {
        /// The payload, nil while the slot is free.
        @usableFromInline var payload: Payload?
        /// Bumped when the slot is freed; kept to 30 bits, so that an id never has its
        /// top two bits set (the simulation marks direct timers and lane timers with them).
        @usableFromInline var generation: UInt32
        /// While free: the slot freed before it (the chain), or ``none``.
        @usableFromInline var nextFree: UInt32

        @inlinable init(payload: Payload?, generation: UInt32, nextFree: UInt32) {
            self.payload = payload
            self.generation = generation
            self.nextFree = nextFree
        }
    }

    /// Slots `0..<used` are initialized; the free ones among them are on the chain.
    @usableFromInline var slots: UnsafeMutablePointer<Slot>
    @usableFromInline var capacity: Int
    @usableFromInline var used = 0
    /// The last slot freed, or ``none``.
    @usableFromInline var firstFree: UInt32 = .max

    /// Number of occupied slots.
    @usableFromInline package internal(set) var count = 0

    @inlinable static var none: UInt32 { .max }

    @inlinable package init() {
        capacity = 16
        slots = .allocate(capacity: capacity)
    }

    deinit {
        slots.deinitialize(count: used)
        slots.deallocate()
    }

    /// Stores `payload`; returns its id: generation in the high 32 bits, slot in the low.
    @inlinable package mutating func insert(_ payload: consuming Payload) -> UInt64 {
        let slot: Int
        if firstFree != Self.none {
            slot = Int(firstFree)
            firstFree = slots[slot].nextFree
            slots[slot].payload = payload
        } else {
            precondition(used < Int(Self.none), "too many pending timers")
            if used == capacity { grow() }
            slot = used
            (slots + slot).initialize(to: Slot(payload: payload, generation: 0, nextFree: Self.none))
            used += 1
        }
        count += 1
        return UInt64(slots[slot].generation) << 32 | UInt64(slot)
    }

    /// The slot of `id` if it is still pending.
    @inlinable @inline(__always)
    func pendingSlot(_ id: UInt64) -> Int? {
        let slot = Int(truncatingIfNeeded: id & 0xFFFF_FFFF)
        guard slot < used, slots[slot].generation == UInt32(truncatingIfNeeded: id >> 32),
              slots[slot].payload != nil else { return nil }
        return slot
    }

    /// The payload of `id`, if it is still pending.
    @inlinable package subscript(id: UInt64) -> Payload? {
        guard let slot = pendingSlot(id) else { return nil }
        return slots[slot].payload
    }

    /// Whether `id` is still pending (without copying its payload).
    @inlinable package func contains(_ id: UInt64) -> Bool {
        pendingSlot(id) != nil
    }

    /// Replaces the payload of a pending `id`.
    @inlinable package mutating func update(_ id: UInt64, to payload: Payload) {
        guard let slot = pendingSlot(id) else { return }
        slots[slot].payload = payload
    }

    /// Removes and returns the payload of `id` (nil if it already fired or was removed).
    @discardableResult @inlinable
    package mutating func remove(_ id: UInt64) -> Payload? {
        guard let slot = pendingSlot(id) else { return nil }
        let payload = slots[slot].payload.take()
        slots[slot].generation = (slots[slot].generation &+ 1) & 0x3FFF_FFFF
        slots[slot].nextFree = firstFree
        firstFree = UInt32(truncatingIfNeeded: slot)
        count -= 1
        return payload
    }

    /// Doubles the memory, moving every slot (Swift values move bitwise).
    @usableFromInline mutating func grow() {
        let larger = UnsafeMutablePointer<Slot>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: slots, count: used)
        slots.deallocate()
        slots = larger
        capacity *= 2
    }
}
