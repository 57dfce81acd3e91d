public import SimulationKernel

/// How a semaphore algorithm on auth retries after a lost race.
///
/// Attempts are numbered from 1. Before attempt *i* ≥ 2 the algorithm sleeps
/// `backoffBase × (i−1)` jittered uniformly into `[d/2, d)` (see ``HalfJitter``);
/// after attempt ``maxAttempts`` fails it gives up with *too much contention*.
///
/// Invariant: `maxAttempts >= 1`.
public struct SemaphoreRetryPolicy: Sendable, Hashable {
    /// Total attempts, the first included.
    public let maxAttempts: Int
    /// The linear back-off base.
    public let backoffBase: Duration

    /// A policy with the given attempts and base.
    ///
    /// - Precondition: `maxAttempts >= 1`.
    public init(maxAttempts: Int, backoffBase: Duration) {
        precondition(maxAttempts >= 1, "at least one attempt")
        self.maxAttempts = maxAttempts
        self.backoffBase = backoffBase
    }

    /// The nominal (un-jittered) sleep before `attempt` (≥ 2): `backoffBase × (attempt − 1)`.
    public func nominalDelay(beforeAttempt attempt: Int) -> Duration {
        LinearBackoff(step: backoffBase).nominalDelay(retry: attempt - 1)
    }

    /// The jittered sleep before `attempt` (≥ 2); one draw from `random`.
    public func delay(beforeAttempt attempt: Int, using random: inout SeededRandom) -> Duration {
        HalfJitter.apply(to: nominalDelay(beforeAttempt: attempt), using: &random)
    }
}
