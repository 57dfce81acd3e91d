import SessionControl
import SimulationKernel
import Testing

@Suite("Node lease lock")
struct LeaseLockTests {
    let down = SemaphoreError.unavailable("auth unreachable")

    /// A lock acquired at 0 with the default 2m timeout, renewed once at 60 s (deadline now 180 s).
    func renewedOnce() -> LeaseLockStateMachine {
        var lock = LeaseLockStateMachine(lease: lease("a", expires: sec(120)), now: .zero)
        _ = lock.start()
        _ = lock.timerFired(now: sec(60))
        _ = lock.keepAliveSucceeded(now: ms(60_020))
        return lock
    }

    @Test func configurationTimings() throws {
        let standard = LeaseLockConfiguration.default
        #expect(standard.timeout == .seconds(120))
        #expect(standard.renewalInterval == .seconds(60))
        #expect(standard.retryBackoff == LinearBackoff(step: .milliseconds(7_500), cap: .seconds(30)))
        #expect(standard.cancelTimeout == .seconds(30))
        #expect((1...6).map { standard.retryBackoff.nominalDelay(retry: $0) } == [7.5, 15, 22.5, 30, 30, 30].map { .seconds($0) })
        let short = try LeaseLockConfiguration(timeout: .seconds(16))
        #expect(short.renewalInterval == .seconds(8))
        #expect(short.retryBackoff == LinearBackoff(step: .seconds(1), cap: .seconds(4)))
        #expect(short.cancelTimeout == .seconds(4))
        #expect(short.firstExpiry(acquiredAt: sec(3)) == sec(19))
    }

    @Test(arguments: [Duration.zero, .seconds(-1), .nanoseconds(15)])
    func invalidTimeoutIsRejected(timeout: Duration) {
        let error = #expect(throws: ConfigurationError.self) { try LeaseLockConfiguration(timeout: timeout) }
        #expect(error?.code == .nonPositiveDuration)
        #expect(error?.description.contains("session_control_timeout") == true)
    }

    @Test func renewsEveryHalfTimeoutWithTickPlusTimeoutAndCurrentDeadline() {
        // Acquire sent at 4 s (expires 124 s), lock started when it returned at 5 s.
        var lock = LeaseLockStateMachine(lease: lease("a", expires: sec(124)), now: sec(5))
        #expect(lock.start() == .scheduleRenewal(at: sec(65)))
        #expect(lock.timerFired(now: sec(65)) == .sendKeepAlive(lease: lease("a", expires: sec(185)), deadline: sec(124)))
        #expect(lock.keepAliveSucceeded(now: ms(65_300)) == .scheduleRenewal(at: sec(125)))
        #expect(lock.deadline == sec(185))
        #expect(lock.lease.expires == sec(185))
        #expect(lock.timerFired(now: sec(125)) == .sendKeepAlive(lease: lease("a", expires: sec(245)), deadline: sec(185)))
        #expect(lock.keepAliveSucceeded(now: ms(125_001)) == .scheduleRenewal(at: sec(185)))
        #expect(lock.isActive)
    }

    @Test func failedRenewalBacksOffLinearlyWithHalfJitterUntilTheDeadline() {
        var lock = renewedOnce()
        var random = SeededRandom(seed: 11)
        var reference = random
        let backoff = LeaseLockConfiguration.default.retryBackoff
        let renewal = LeaseLockStateMachine.Action.sendKeepAlive(lease: lease("a", expires: sec(240)), deadline: sec(180))
        var now = sec(120)
        #expect(lock.timerFired(now: now) == renewal)
        var failures = 0
        while true {
            now = now.advanced(by: .milliseconds(10))  // the failure arrives after a round trip
            let action = lock.keepAliveFailed(down, now: now, random: &random)
            failures += 1
            let delay = backoff.delay(retry: failures, using: &reference)
            #expect(HalfJitter.range(for: backoff.nominalDelay(retry: failures)).contains(delay))
            let retryAt = now.advanced(by: delay)
            if retryAt >= sec(180) {
                #expect(action == .scheduleDeadline(at: sec(180)))
                #expect(lock.state == .waitingForDeadline)
                break
            }
            #expect(action == .scheduleRetry(at: retryAt))
            #expect(lock.state == .backingOff(tick: sec(120), failures: failures, retryAt: retryAt))
            now = retryAt
            #expect(lock.timerFired(now: now) == renewal)  // same expiry, same deadline
        }
        #expect(failures >= 3)
        #expect(lock.timerFired(now: sec(180)) == .terminate(.leaseLost))
        #expect(lock.end == .leaseLost)
    }

    @Test func successResetsTheBackoff() {
        var lock = renewedOnce()
        var random = SeededRandom(seed: 2)
        var reference = random
        _ = lock.timerFired(now: sec(120))
        guard case .scheduleRetry(let retryAt) = lock.keepAliveFailed(down, now: sec(120), random: &random) else {
            Issue.record("expected a retry")
            return
        }
        #expect(retryAt == sec(120).advanced(by: HalfJitter.apply(to: .milliseconds(7_500), using: &reference)))
        _ = lock.timerFired(now: retryAt)
        #expect(lock.keepAliveSucceeded(now: retryAt) == .scheduleRenewal(at: sec(180)))
        #expect(lock.deadline == sec(240))
        _ = lock.timerFired(now: sec(180))
        let again = lock.keepAliveFailed(down, now: sec(180), random: &random)
        #expect(again == .scheduleRetry(at: sec(180).advanced(by: HalfJitter.apply(to: .milliseconds(7_500), using: &reference))))
    }

    @Test func leaseIsLostExactlyAtTheDeadline() {
        var lock = renewedOnce()
        _ = lock.timerFired(now: sec(120))
        var random = SeededRandom(seed: 1)
        // The keep-alive hangs; the caller abandons it at its deadline.
        #expect(lock.keepAliveFailed(down, now: sec(180), random: &random) == .terminate(.leaseLost))
        #expect(lock.end == .leaseLost)
        #expect(!lock.isActive)
    }

    @Test func successAtTheDeadlineDoesNotResurrectTheLock() {
        var lock = renewedOnce()
        _ = lock.timerFired(now: sec(120))
        #expect(lock.keepAliveSucceeded(now: sec(180)) == .terminate(.leaseLost))
        #expect(lock.end == .leaseLost)
        #expect(lock.keepAliveSucceeded(now: sec(181)) == .none)
        #expect(lock.timerFired(now: sec(240)) == .none)
        #expect(lock.close(now: sec(200)) == .none)  // nothing to cancel
    }

    @Test func successOneNanosecondBeforeTheDeadlineRenews() {
        var lock = renewedOnce()
        _ = lock.timerFired(now: sec(120))
        #expect(lock.keepAliveSucceeded(now: sec(180).advanced(by: .nanoseconds(-1))) == .scheduleRenewal(at: sec(180)))
        #expect(lock.deadline == sec(240))
        #expect(lock.timerFired(now: sec(180)) == .sendKeepAlive(lease: lease("a", expires: sec(300)), deadline: sec(240)))
    }

    @Test func timerAtTheDeadlineLosesEvenIfARetryWasDue() {
        var lock = renewedOnce()
        _ = lock.timerFired(now: sec(120))
        var random = SeededRandom(seed: 4)
        _ = lock.keepAliveFailed(down, now: sec(177), random: &random)  // any retry (≥ 3.75 s) lands past 180
        #expect(lock.state == .waitingForDeadline)
        #expect(lock.timerFired(now: sec(179)) == .none)  // early timer: ignored
        #expect(lock.timerFired(now: sec(180)) == .terminate(.leaseLost))
    }

    @Test func notFoundEndsAtOnce() {
        var lock = renewedOnce()
        _ = lock.timerFired(now: sec(120))
        var random = SeededRandom(seed: 1)
        let notFound = SemaphoreError.notFound("cannot keep alive: semaphore semaphores/connection/alice not found")
        #expect(lock.keepAliveFailed(notFound, now: ms(120_010), random: &random) == .terminate(.leaseNotFound))
        #expect(lock.end == .leaseNotFound)
        #expect(lock.close(now: sec(130)) == .none)  // no cancel after the lease was deleted
    }

    @Test func closeCancelsWithAQuarterTimeoutDeadline() {
        var lock = renewedOnce()
        #expect(lock.close(now: sec(70)) == .sendCancel(lease: lease("a", expires: sec(180)), deadline: sec(100)))
        #expect(lock.end == .closed)
        #expect(lock.timerFired(now: sec(120)) == .none)  // a timer the caller failed to cancel is harmless
        #expect(lock.close(now: sec(71)) == .none)
    }

    @Test func closeDuringARenewalCancelsTheConfirmedLeaseAndIgnoresTheLateAnswer() {
        var lock = renewedOnce()
        _ = lock.timerFired(now: sec(120))
        #expect(lock.close(now: sec(121)) == .sendCancel(lease: lease("a", expires: sec(180)), deadline: sec(151)))
        #expect(lock.keepAliveSucceeded(now: sec(122)) == .none)
        #expect(lock.end == .closed)
    }

    @Test func closeAfterTheDeadlineSendsNothing() {
        var lock = renewedOnce()
        _ = lock.timerFired(now: sec(120))
        var random = SeededRandom(seed: 4)
        _ = lock.keepAliveFailed(down, now: sec(177), random: &random)
        #expect(lock.close(now: sec(180)) == .none)
        #expect(lock.end == .leaseLost)
    }

    @Test func alreadyExpiredLeaseIsLostOnStart() {
        var lock = LeaseLockStateMachine(lease: lease("a", expires: sec(10)), now: sec(10))
        #expect(lock.start() == .terminate(.leaseLost))
    }

    @Test func renewalOutlastingTheNextTickRenewsAtOnceLikeABufferedTick() {
        // A lease longer than the timeout (acquired with a generous expiry) lets a renewal outlast a tick.
        var lock = LeaseLockStateMachine(lease: lease("a", expires: sec(300)), now: .zero)
        _ = lock.start()
        #expect(lock.timerFired(now: sec(60)) == .sendKeepAlive(lease: lease("a", expires: sec(180)), deadline: sec(300)))
        #expect(lock.keepAliveSucceeded(now: sec(130)) == .sendKeepAlive(lease: lease("a", expires: sec(240)), deadline: sec(180)))
        #expect(lock.state == .renewing(tick: sec(120), failures: 0))
        #expect(lock.nextTick(after: sec(130)) == sec(180))
        #expect(lock.nextTick(after: sec(180)) == sec(240))
    }

    @Test func staleTimerWhileRenewingIsIgnored() {
        var lock = renewedOnce()
        _ = lock.timerFired(now: sec(120))
        #expect(lock.timerFired(now: sec(121)) == .none)
        #expect(lock.state == .renewing(tick: sec(120), failures: 0))
    }

    /// SEMANTICS: a node cut off from auth at L drops its controlled connections
    /// between L + timeout/2 and L + timeout.
    @Test(arguments: [ms(200_500), sec(240), ms(239_999), ms(61_000)], [true, false])
    func outageDropsBetweenHalfAndFullTimeout(cutAt: SimInstant, hang: Bool) {
        var lock = LeaseLockStateMachine(lease: lease("a", expires: sec(120)), now: .zero)
        var random = SeededRandom(seed: UInt64(cutAt.nanoseconds))
        let latency = Duration.milliseconds(20)
        var timer: SimInstant?
        var pending: (at: SimInstant, succeeds: Bool)?
        var lastSuccessfulTick = SimInstant.zero
        var terminated: (SimInstant, LeaseLockEnd)?

        func apply(_ action: LeaseLockStateMachine.Action, at now: SimInstant) {
            switch action {
            case .scheduleRenewal(let at), .scheduleRetry(let at), .scheduleDeadline(let at): timer = at
            case .sendKeepAlive(let renewed, let deadline):
                if now < cutAt {
                    pending = (now.advanced(by: latency), true)
                    lastSuccessfulTick = renewed.expires.advanced(by: .seconds(-120))
                } else {
                    pending = (hang ? deadline : Swift.min(now.advanced(by: latency), deadline), false)
                }
            case .terminate(let end): terminated = (now, end)
            case .sendCancel, .none: break
            }
        }

        apply(lock.start(), at: .zero)
        while terminated == nil {
            if let p = pending, timer == nil || p.at <= timer! {
                pending = nil
                apply(
                    p.succeeds ? lock.keepAliveSucceeded(now: p.at) : lock.keepAliveFailed(down, now: p.at, random: &random),
                    at: p.at)
            } else if let t = timer {
                timer = nil
                apply(lock.timerFired(now: t), at: t)
            } else {
                Issue.record("stalled")
                return
            }
        }
        let (when, end) = terminated!
        #expect(end == .leaseLost)
        #expect(when == lastSuccessfulTick.advanced(by: .seconds(120)))
        #expect(when >= cutAt.advanced(by: .seconds(60)))
        #expect(when < cutAt.advanced(by: .seconds(120)))
    }
}
