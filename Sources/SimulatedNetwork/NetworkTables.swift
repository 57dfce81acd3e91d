/// The requests awaiting a reply, by request id, without hashing.
///
/// Request ids are issued in increasing order and most requests are answered
/// within their timeout, so the live ones lie in a window of recent ids. The table is
/// a ring over that window: entry `id - base` (from `head`) holds the number of the slot
/// where request `id` is kept (plus one; 0 for none). The window's start moves past
/// answered requests as soon as the oldest is answered.
///
/// The requests themselves live in slots reused last freed first, not in the ring: a
/// request that stays pending for seconds stretches the window over every request sent
/// since, and with the requests in the ring (72 bytes each) each new one was written to
/// memory last used a window ago, cold; the ring's entries are 4 bytes, and the slots in
/// use stay few and warm.
///
/// Invariants: `span` ids starting at `base` are in the window; the entry of `base` is
/// set whenever `span > 0`; entries outside the window are 0; `count` is the number of
/// set entries, and of slots holding a request (the others are on the free chain).
/// - Complexity: O(1) lookup and removal, O(1) amortised insertion. Memory is the
///   window, 4 bytes per id issued while the oldest unanswered request is pending, and
///   the most requests pending at once.
struct PendingRequestTable<Request>: ~Copyable {
    /// The ring over the window: slot number plus one, or 0.
    private var ring: UnsafeMutablePointer<UInt32>
    private var capacity = 64
    private var base: UInt64 = 0
    private var head = 0
    private var span = 0
    private(set) var count = 0
    /// The requests, in slots reused last freed first (which frees those still pending
    /// with the table).
    private var requests = FiringSlots<Request>()

    private var mask: Int { capacity - 1 }

    init() {
        ring = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        ring.initialize(repeating: 0, count: capacity)
    }

    deinit { ring.deallocate() }

    /// The ring entry of request `id`, if `id` is in the window.
    @inline(__always)
    private func position(of id: UInt64) -> Int? {
        guard id >= base, id - base < UInt64(span) else { return nil }
        return (head + Int(id - base)) & mask
    }

    /// The request `id`, if pending.
    subscript(id: UInt64) -> Request? {
        guard let position = position(of: id), ring[position] != 0 else { return nil }
        return requests[ring[position] - 1]
    }

    /// Registers request `id`, which must not be pending. Ids normally arrive in
    /// increasing order; an older one (a task that took its id before another request
    /// started) extends the window back.
    @inline(__always)
    mutating func insert(_ request: consuming Request, id: UInt64) {
        let slot = requests.insert(request)
        if span > 0, id >= base, id - base < UInt64(capacity) {
            // The usual case: a new id, in the ring as it is.
            let offset = Int(id - base)
            let position = (head + offset) & mask
            precondition(ring[position] == 0, "request is already pending")
            ring[position] = slot + 1
            span = max(span, offset + 1)
        } else {
            place(slot, id: id)
        }
        count += 1
    }

    /// ``insert(_:id:)``'s other cases: the first request of an empty window, an older
    /// id than the window's first, or one past the ring's end.
    @inline(never)
    private mutating func place(_ slot: UInt32, id: UInt64) {
        if span == 0 {
            base = id
            head = 0
        } else if id < base {
            let extra = Int(base - id)
            if span + extra > capacity { grow(toHold: span + extra) }
            head = (head - extra) & mask
            base = id
            span += extra
        }
        let offset = Int(id - base)
        if offset >= capacity { grow(toHold: offset + 1) }
        let position = (head + offset) & mask
        precondition(ring[position] == 0, "request \(id) is already pending")
        ring[position] = slot + 1
        span = max(span, offset + 1)
    }

    /// Removes and returns request `id`, if pending.
    @inline(__always)
    mutating func removeValue(forKey id: UInt64) -> Request? {
        guard let position = position(of: id), ring[position] != 0 else { return nil }
        let slot = ring[position] - 1
        ring[position] = 0
        count -= 1
        while span > 0, ring[head] == 0 {
            head = (head + 1) & mask
            base += 1
            span -= 1
        }
        return requests.take(slot)
    }

    /// The ids of the pending requests, in increasing order.
    var ids: [UInt64] {
        (0..<span).compactMap { offset in ring[(head + offset) & mask] != 0 ? base + UInt64(offset) : nil }
    }

    /// Re-lays the window from entry 0 in a ring of at least `minimum` entries.
    private mutating func grow(toHold minimum: Int) {
        var larger = capacity * 2
        while larger < minimum { larger *= 2 }
        let grown = UnsafeMutablePointer<UInt32>.allocate(capacity: larger)
        grown.initialize(repeating: 0, count: larger)
        for offset in 0..<span { grown[offset] = ring[(head + offset) & mask] }
        ring.deallocate()
        ring = grown
        capacity = larger
        head = 0
    }
}

/// The network's directed links by `(from, to)` key, in an open-addressing table with
/// a multiplicative hash: a lookup per message costs a multiply and usually one probe
/// instead of hashing the key with SipHash.
///
/// Each slot holds its key and its link side by side, in slots aligned to a cache line:
/// with the network's ``LinkState`` a slot is exactly one 64-byte line, so a message
/// reads and updates its link (its random stream, its last arrival) with one line
/// fetched, where keys and links in separate arrays took two or three. At 2,000 users
/// there are 4,000 client links, each used a few times per connection and cold by then.
///
/// Links are values kept in place: the network finds a link's slot once per message
/// and updates it there, with no reference to count. A slot stays valid until the next
/// insertion, which may grow the table. Nothing iterates it, so its layout never
/// reaches an output.
/// - Complexity: O(1) expected lookup and insertion; grows at half full.
struct LinkTable<Link>: ~Copyable {
    /// A key and its link. The key has the top bit set (link keys never use it), or is
    /// 0 in an empty slot, whose link is uninitialized.
    struct Slot {
        var key: UInt64
        var link: Link
    }

    /// The slots, in memory of their own: a link is read and updated in place with no
    /// optional to unwrap and no uniqueness check (several per message).
    private var slots: UnsafeMutablePointer<Slot>
    private var capacity = 64
    private var count = 0

    private static var occupied: UInt64 { 1 << 63 }
    /// Slots start on a cache line, so that a slot of one line's stride fills one line.
    private static var alignment: Int { max(64, MemoryLayout<Slot>.alignment) }

    init() {
        slots = Self.allocate(capacity)
    }

    deinit {
        for slot in 0..<capacity where slots[slot].key != 0 { (slots + slot).deinitialize(count: 1) }
        slots.deallocate()
    }

    /// Slots for `capacity` links, every one empty.
    private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<Slot> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<Slot>.stride * capacity,
                                                   alignment: alignment)
        let slots = raw.bindMemory(to: Slot.self, capacity: capacity)
        let keyOffset = MemoryLayout<Slot>.offset(of: \Slot.key)!
        for slot in 0..<capacity {
            // Only the key of an empty slot is initialized (a trivial UInt64).
            UnsafeMutableRawPointer(slots + slot).storeBytes(of: 0, toByteOffset: keyOffset, as: UInt64.self)
        }
        return slots
    }

    @inline(__always)
    private static func slot(of key: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The slot of the link stored under `key`, if any.
    @inline(__always)
    func slot(of key: UInt64) -> Int? {
        let stored = key | Self.occupied
        let mask = capacity - 1
        var slot = Self.slot(of: key, mask: mask)
        while true {
            let candidate = slots[slot].key
            if candidate == stored { return slot }
            if candidate == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }

    /// The link stored under `key`, if any.
    subscript(key: UInt64) -> Link? {
        slot(of: key).map { slots[$0].link }
    }

    /// The link in `slot` (from ``slot(of:)`` or ``insert(_:forKey:)``, with no
    /// insertion since), read or updated in place.
    @inline(__always)
    subscript(slot slot: Int) -> Link {
        get { slots[slot].link }
        nonmutating _modify { yield &slots[slot].link }
    }

    /// Updates every stored link in place, in no particular order (nothing observable
    /// may depend on it).
    func updateAll(_ body: (inout Link) -> Void) {
        for slot in 0..<capacity where slots[slot].key != 0 { body(&slots[slot].link) }
    }

    /// Stores `link` under `key`, which must not be present; returns its slot.
    @discardableResult
    mutating func insert(_ link: consuming Link, forKey key: UInt64) -> Int {
        if (count + 1) * 2 > capacity { grow() }
        let slot = emptySlot(for: key)
        (slots + slot).initialize(to: Slot(key: key | Self.occupied, link: link))
        count += 1
        return slot
    }

    /// The first empty slot of `key`'s probe sequence.
    private func emptySlot(for key: UInt64) -> Int {
        let mask = capacity - 1
        var slot = Self.slot(of: key, mask: mask)
        while slots[slot].key != 0 { slot = (slot + 1) & mask }
        return slot
    }

    /// Doubles the table, moving every link to its slot in the larger one.
    private mutating func grow() {
        let old = slots
        let oldCapacity = capacity
        capacity *= 2
        slots = Self.allocate(capacity)
        for index in 0..<oldCapacity where old[index].key != 0 {
            let slot = emptySlot(for: old[index].key & ~Self.occupied)
            (slots + slot).moveInitialize(from: old + index, count: 1)
        }
        old.deallocate()
    }
}

/// Values each taken exactly once, by slot, the slot reused once its value is taken:
/// messages in flight (the slot is the token of the timer that delivers the message)
/// and pending requests (the slot is in the request's entry of ``PendingRequestTable``).
///
/// No generations, unlike ``TimerSlots``: a slot's value is taken only through its one
/// holder (a timer that cannot be cancelled, or a table entry cleared as it is taken),
/// so no stale slot number can reach a reused slot.
///
/// The values live in memory of its own, not an array of optionals: a value is moved
/// in and out of its slot with no optional to wrap, unwrap or destroy and no
/// uniqueness check (two per message in flight, otherwise). Non-copyable, so the
/// memory has one owner, which frees it with whatever is still in flight.
/// - Complexity: O(1) insertion (amortized) and removal.
struct FiringSlots<Value>: ~Copyable {
    /// Slots `0..<used` have been handed out; those not on the free chain hold a value.
    private var base: UnsafeMutablePointer<Value>
    /// Per slot, the next free slot after it on the free chain (read only while free).
    private var nextFree: UnsafeMutablePointer<UInt32>
    private var capacity: Int
    private var used = 0
    /// The last slot freed (the chain runs from it through ``nextFree``), or ``none``.
    private var firstFree = Self.none
    private var freeCount = 0

    private static var none: UInt32 { .max }

    init() {
        capacity = 64
        base = UnsafeMutablePointer<Value>.allocate(capacity: capacity)
        nextFree = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
    }

    deinit {
        var isFree = [Bool](repeating: false, count: used)
        var slot = firstFree
        while slot != Self.none {
            isFree[Int(slot)] = true
            slot = nextFree[Int(slot)]
        }
        for slot in 0..<used where !isFree[slot] { (base + slot).deinitialize(count: 1) }
        base.deallocate()
        nextFree.deallocate()
    }

    /// Stores `value`; returns its slot (the last one freed, if any: a stack, so the
    /// slots in use stay few and warm).
    @inline(__always)
    mutating func insert(_ value: consuming Value) -> UInt32 {
        if firstFree != Self.none {
            let slot = firstFree
            firstFree = nextFree[Int(slot)]
            freeCount &-= 1
            (base + Int(slot)).initialize(to: value)
            return slot
        }
        precondition(used < Int(Self.none), "too many values in flight")
        if used == capacity { grow() }
        (base + used).initialize(to: value)
        used += 1
        return UInt32(used - 1)
    }

    /// The value in `slot`, which must hold one.
    subscript(slot: UInt32) -> Value {
        base[Int(slot)]
    }

    /// Removes and returns the value in `slot`, which must hold one.
    @inline(__always)
    mutating func take(_ slot: UInt32) -> Value {
        nextFree[Int(slot)] = firstFree
        firstFree = slot
        freeCount &+= 1
        return (base + Int(slot)).move()
    }

    /// Doubles the memory, moving every slot's bytes (values and free slots alike:
    /// Swift values move bitwise).
    private mutating func grow() {
        let larger = UnsafeMutablePointer<Value>.allocate(capacity: capacity * 2)
        UnsafeMutableRawPointer(larger).copyMemory(from: base, byteCount: MemoryLayout<Value>.stride * used)
        base.deallocate()
        base = larger
        let largerChain = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity * 2)
        largerChain.initialize(from: nextFree, count: used)
        nextFree.deallocate()
        nextFree = largerChain
        capacity *= 2
    }

    /// Number of values stored.
    var count: Int { used - freeCount }
}
