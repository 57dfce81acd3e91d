import Benchmark
import BenchmarkSupport
import Foundation
import SessionControl
import SimulationKernel
import Synchronization

// Limiter throughput: acquire + release pairs per second.
//
// - `rules`: the semaphore state machines against the pure backend model, one thread.
// - `actors`: clients on the real multi-threaded executor driving the same state
//   machines against a backend actor (one hop per backend operation, like a round
//   trip to the key-value store): real contention, real compare-and-swap retries.
//   Retry back-off is zero, so the figure is the limiter's, not sleeping's.
// - `baseline`: the simplest correct limiter, a mutex-protected map of counters.
// Each iteration runs `pairs` acquire+release pairs in total; throughput (#/s) × pairs
// is pairs per second. The ratio actors / baseline is the figure to track.

let pairs = 20_000
let retry = SemaphoreRetryPolicy(maxAttempts: 6, backoffBase: .zero)

/// The key-value backend, shared by every client.
actor Backend {
    var store = BackendStore<SessionControl.Semaphore>()
    let started = ContinuousClock.now

    var now: SimInstant { SimInstant(nanoseconds: (ContinuousClock.now - started).nanosecondsClamped) }

    func perform(_ action: SemaphoreAction) -> (BackendResult<SessionControl.Semaphore>, SimInstant)? {
        let time = now
        return store.perform(action, now: time).map { ($0, time) }
    }

    func clock() -> SimInstant { now }
}

/// Drives one semaphore operation to its end against `backend`. Returns whether it succeeded.
func drive(_ machine: inout some SemaphoreBackendOperation, on backend: Backend, random: inout SeededRandom) async -> Bool {
    var action = machine.start(now: await backend.clock())
    while true {
        switch action {
        case .succeed: return true
        case .fail: return false
        case .sleep: action = machine.sleepCompleted(now: await backend.clock())
        case .get, .create, .compareAndSwap:
            guard let (result, time) = await backend.perform(action) else { return false }
            action = machine.backendCompleted(action, result: result, now: time, random: &random)
        }
    }
}

/// `clients` concurrent clients, each doing its share of `pairs` acquire+release pairs,
/// on one user (`spread == false`) or each on its own user.
func runActors(clients: Int, spread: Bool) async -> Int {
    let backend = Backend()
    return await withTaskGroup(of: Int.self) { group in
        for client in 0..<clients {
            group.addTask {
                var random = SeededRandom(seed: UInt64(client))
                let key = SemaphoreKey.connection(spread ? "user-\(client)" : "shared")
                var acquired = 0
                for round in 0..<(pairs / clients) {
                    let id = "lease-\(client)-\(round)"
                    let expires = await backend.clock().advanced(by: .seconds(120))
                    var acquire = SemaphoreAcquireStateMachine(
                        request: AcquireSemaphoreRequest(key: key, maxLeases: 1_000_000, expires: expires,
                                                         holder: "node", leaseID: id),
                        retry: retry)
                    guard await drive(&acquire, on: backend, random: &random) else { continue }
                    acquired += 1
                    var cancel = SemaphoreCancelStateMachine(
                        request: CancelSemaphoreRequest(key: key, leaseID: id), retry: retry, prunesExpiredLeases: true)
                    _ = await drive(&cancel, on: backend, random: &random)
                }
                return acquired
            }
        }
        return await group.reduce(0, +)
    }
}

/// The simplest correct limiter: a mutex-protected map of counters.
final class CounterLimiter: Sendable {
    let counts = Mutex<[String: Int]>([:])
    func acquire(_ user: String, max: Int) -> Bool {
        counts.withLock { counts in
            let current = counts[user, default: 0]
            guard current < max else { return false }
            counts[user] = current + 1
            return true
        }
    }
    func release(_ user: String) { counts.withLock { $0[user, default: 1] -= 1 } }
}

func runBaseline(clients: Int, spread: Bool) async -> Int {
    let limiter = CounterLimiter()
    return await withTaskGroup(of: Int.self) { group in
        for client in 0..<clients {
            group.addTask {
                let user = spread ? "user-\(client)" : "shared"
                var acquired = 0
                for _ in 0..<(pairs / clients) where limiter.acquire(user, max: 1_000_000) {
                    acquired += 1
                    limiter.release(user)
                }
                return acquired
            }
        }
        return await group.reduce(0, +)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: smoke ? .seconds(1) : .seconds(3),
        maxIterations: smoke ? 1 : 20,
        thresholds: MallocGate.deterministic
    )

    Benchmark("rules: 20k acquire+release pairs, one thread") { benchmark in
        for _ in benchmark.scaledIterations {
            var store = BackendStore<SessionControl.Semaphore>()
            var random = SeededRandom(seed: 1)
            var now = SimInstant.zero
            let key = SemaphoreKey.connection("alice")
            for round in 0..<pairs {
                now = now.advanced(by: .microseconds(1))
                let id = "lease-\(round)"
                var acquire = SemaphoreAcquireStateMachine(
                    request: AcquireSemaphoreRequest(key: key, maxLeases: 3, expires: now.advanced(by: .seconds(120)),
                                                     holder: "node", leaseID: id),
                    retry: retry)
                var action = acquire.start(now: now)
                while !action.isFinal {
                    guard let result = store.perform(action, now: now) else { break }
                    action = acquire.backendCompleted(action, result: result, now: now, random: &random)
                }
                var cancel = SemaphoreCancelStateMachine(
                    request: CancelSemaphoreRequest(key: key, leaseID: id), retry: retry, prunesExpiredLeases: true)
                action = cancel.start(now: now)
                while !action.isFinal {
                    guard let result = store.perform(action, now: now) else { break }
                    action = cancel.backendCompleted(action, result: result, now: now, random: &random)
                }
            }
            blackHole(store.currentRevision)
        }
    }

    for clients in [1, 2, 8, 64, 1_024] {
        for spread in [false, true] {
            let shape = spread ? "spread over \(clients) users" : "one user"
            Benchmark(
                "actors: 20k pairs, \(clients) clients, \(shape)",
                configuration: .init(thresholds: MallocGate.concurrent)
            ) { benchmark in
                for _ in benchmark.scaledIterations { blackHole(await runActors(clients: clients, spread: spread)) }
            }
            Benchmark(
                "baseline: 20k pairs, \(clients) clients, \(shape)",
                configuration: .init(thresholds: MallocGate.perTask(clients))
            ) { benchmark in
                for _ in benchmark.scaledIterations { blackHole(await runBaseline(clients: clients, spread: spread)) }
            }
        }
    }
}
