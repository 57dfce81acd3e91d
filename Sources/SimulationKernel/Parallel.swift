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
