import SessionControl
import SimulationKernel

/// The instant `milliseconds` after the start.
func ms(_ milliseconds: Int64) -> SimInstant { SimInstant(nanoseconds: milliseconds * 1_000_000) }

/// The instant `seconds` after the start.
func sec(_ seconds: Int64) -> SimInstant { SimInstant(nanoseconds: seconds * 1_000_000_000) }

let alice = SemaphoreKey.connection("alice")

func lease(_ id: String, expires: SimInstant, holder: String = "node-1") -> SemaphoreLease {
    SemaphoreLease(leaseID: id, expires: expires, holder: holder)
}

func acquireRequest(
    _ id: String, max: Int, expires: SimInstant, key: SemaphoreKey = alice, holder: String = "node-1"
) -> AcquireSemaphoreRequest {
    AcquireSemaphoreRequest(key: key, maxLeases: max, expires: expires, holder: holder, leaseID: id)
}

/// The final outcome of a semaphore operation.
extension SemaphoreAction {
    var succeeded: SemaphoreLease? {
        if case .succeed(let lease) = self { return lease }
        return nil
    }

    var failure: SemaphoreError? {
        if case .fail(let error) = self { return error }
        return nil
    }

    var kind: String {
        switch self {
        case .get: "get"
        case .create: "create"
        case .compareAndSwap: "cas"
        case .sleep: "sleep"
        case .succeed: "succeed"
        case .fail: "fail"
        }
    }
}

extension BackendStore where Value == Semaphore {
    /// Rewrites the item at `key` unchanged, giving it a new revision (a concurrent writer).
    mutating func bump(_ key: String, now: SimInstant) {
        let item = try! get(key, now: now)
        try! compareAndSwap(key, expectedRevision: item.revision, value: item.value, expires: item.expires, now: now)
    }

    /// Stores `semaphore` at its key, replacing whatever is there.
    mutating func put(_ semaphore: Semaphore, now: SimInstant) {
        if let item = try? get(semaphore.key.path, now: now) {
            try! compareAndSwap(
                semaphore.key.path, expectedRevision: item.revision, value: semaphore, expires: semaphore.expires,
                now: now)
        } else {
            try! create(semaphore.key.path, value: semaphore, expires: semaphore.expires, now: now)
        }
    }
}

/// A tiny synchronous driver: performs a semaphore operation's actions against a
/// pure ``BackendStore`` in virtual time.
struct Harness {
    var store = BackendStore<Semaphore>()
    var now: SimInstant = .zero
    var random = SeededRandom(seed: 0x5E55)
    /// Every action returned, in order (by kind).
    var trace: [String] = []
    /// Every sleep requested, in order.
    var sleeps: [Duration] = []
    /// Called before each backend action is performed: simulates a concurrent writer.
    var beforeBackend: ((inout BackendStore<Semaphore>, SemaphoreAction, SimInstant) -> Void)?

    /// Runs `operation` from `start` to its final action.
    mutating func run<Operation: SemaphoreBackendOperation>(_ operation: inout Operation) -> SemaphoreAction {
        var action = operation.start(now: now)
        trace.append(action.kind)
        while !action.isFinal {
            action = step(&operation, action)
        }
        return action
    }

    /// Runs `operation` with a fresh machine.
    mutating func run<Operation: SemaphoreBackendOperation>(_ operation: Operation) -> SemaphoreAction {
        var copy = operation
        return run(&copy)
    }

    /// Performs `action` and feeds its outcome back; returns the next action.
    mutating func step<Operation: SemaphoreBackendOperation>(
        _ operation: inout Operation, _ action: SemaphoreAction
    ) -> SemaphoreAction {
        let next: SemaphoreAction
        switch action {
        case .sleep(let duration):
            sleeps.append(duration)
            now = now.advanced(by: duration)
            next = operation.sleepCompleted(now: now)
        case .get, .create, .compareAndSwap:
            beforeBackend?(&store, action, now)
            let result = store.perform(action, now: now)!
            next = operation.backendCompleted(action, result: result, now: now, random: &random)
        case .succeed, .fail:
            return action
        }
        trace.append(next.kind)
        return next
    }
}
