import Dispatch

/// Runs `first` on another thread and `second` on this one, and returns both results
/// once both are done.
///
/// For independent, pure computations (what the verdict does after a run, and the
/// halves of the report's metric snapshot): which
/// thread runs which cannot change a result, so a run stays deterministic. Blocks the
/// calling thread until `first` is done; `first` runs on a Dispatch worker, never on
/// Swift's cooperative pool, so waiting from a task cannot starve it.
package func bothInParallel<First: Sendable, Second>(
    _ first: @escaping @Sendable () -> First, _ second: () -> Second
) -> (First, Second) {
    let result = ResultSlot<First>()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { result.value = first() }
    let other = second()
    group.wait()
    return (result.value!, other)
}

/// Where the other thread leaves its result; read only after `DispatchGroup.wait`,
/// which orders the write before the read.
private final class ResultSlot<Value>: @unchecked Sendable {
    var value: Value?
}

/// Lets go of `value` on another thread: the last reference to what it holds is
/// dropped there, so that freeing a large structure (a run's checker indexes, a metrics
/// registry's tables) costs the calling thread nothing.
///
/// For values nothing else will read: the caller must hold no other reference that it
/// still uses (a copy-on-write value the caller keeps is simply not freed yet). Freeing
/// is invisible to every output, so a run stays deterministic.
package func releaseInBackground<Value>(_ value: consuming Value) {
    let box = ReleaseBox(value)
    DispatchQueue.global().async { box.release() }
}

/// Holds a value until ``release()`` drops it, on whichever thread calls it.
private final class ReleaseBox<Value>: @unchecked Sendable {
    private var value: Value?
    init(_ value: consuming Value) { self.value = value }
    func release() { value = nil }
}
