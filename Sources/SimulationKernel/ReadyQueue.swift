/// A growable ring buffer: O(1) push at the back, pop at the front, and
/// swap-removal at any index (for seeded-random scheduling).
///
/// Unlike an `Array` used as a queue, popping never shifts elements.
struct RingBuffer<Element> {
    private var storage: [Element?]
    private var head = 0
    private(set) var count = 0

    init(capacity: Int = 1024) {
        storage = Array(repeating: nil, count: max(1, capacity))
    }

    var isEmpty: Bool { count == 0 }

    /// Appends at the back. - Complexity: amortised O(1).
    mutating func append(_ element: Element) {
        if count == storage.count { grow() }
        storage[(head + count) & (storage.count - 1)] = element
        count += 1
    }

    /// Removes the front element. - Complexity: O(1).
    mutating func removeFirst() -> Element {
        precondition(count > 0, "removeFirst on an empty ring")
        let element = storage[head].unsafelyUnwrapped
        storage[head] = nil
        head = (head + 1) & (storage.count - 1)
        count -= 1
        return element
    }

    /// Removes the element at logical position `index` by moving the front element
    /// into its place. - Complexity: O(1).
    mutating func swapRemove(at index: Int) -> Element {
        precondition(index >= 0 && index < count, "index out of range")
        let mask = storage.count - 1
        let slot = (head + index) & mask
        if index != 0 { storage.swapAt(slot, head) }
        return removeFirst()
    }

    private mutating func grow() {
        let oldCapacity = storage.count
        var bigger = [Element?](repeating: nil, count: oldCapacity * 2)
        for i in 0..<count { bigger[i] = storage[(head + i) & (oldCapacity - 1)] }
        storage = bigger
        head = 0
    }
}

extension RingBuffer {
    /// Creates a ring whose capacity is a power of two of at least `capacity`.
    init(minimumCapacity capacity: Int) {
        var size = 1
        while size < capacity { size <<= 1 }
        self.init(capacity: size)
    }
}
