/// A first-in, first-out queue on an array and a head index.
///
/// Appending and removing are O(1) amortized. The storage is reused once the queue
/// drains, and compacted when the consumed prefix is at least half of it, so a queue
/// that never quite drains stays bounded. Consumed elements stay referenced until
/// then.
struct FIFOQueue<Element> {
    private var storage: [Element] = []
    private var head = 0

    /// Elements waiting.
    var count: Int { storage.count - head }

    /// Whether nothing waits.
    var isEmpty: Bool { head == storage.count }

    /// Adds `element` at the back.
    mutating func append(_ element: Element) {
        storage.append(element)
    }

    /// Removes and returns the front element; `nil` if the queue is empty.
    mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    /// Empties the queue and releases its storage.
    mutating func removeAll() {
        storage.removeAll()
        head = 0
    }
}

extension FIFOQueue: Sendable where Element: Sendable {}
