import SessionControl
import SimulationKernel
import Testing

/// The node's lease lock driven end to end against the auth algorithms and the pure backend.
@Suite("Lease lock against the backend model")
struct NodeLifecycleTests {
    let configuration = LeaseLockConfiguration.default

    func acquire(_ harness: inout Harness, _ id: String, max: Int = 1) -> SemaphoreAction {
        let request = acquireRequest(id, max: max, expires: configuration.firstExpiry(acquiredAt: harness.now))
        return harness.run(SemaphoreAcquireStateMachine(request: request, profile: .current))
    }

    /// Performs the lock's keep-alive through the auth state machine and feeds the answer back.
    func renew(_ lock: inout LeaseLockStateMachine, _ harness: inout Harness, at tick: SimInstant) -> LeaseLockStateMachine.Action {
        harness.now = tick
        guard case .sendKeepAlive(let renewed, _) = lock.timerFired(now: tick) else {
            Issue.record("expected a keep-alive at \(tick)")
            return .none
        }
        let request = KeepAliveSemaphoreRequest(key: alice, leaseID: renewed.leaseID, expires: renewed.expires)
        switch harness.run(SemaphoreKeepAliveStateMachine(request: request)) {
        case .succeed(let confirmed):
            #expect(confirmed == renewed)
            return lock.keepAliveSucceeded(now: harness.now)
        case .fail(let error):
            var random = SeededRandom(seed: 1)
            return lock.keepAliveFailed(error, now: harness.now, random: &random)
        default:
            Issue.record("keep-alive did not finish")
            return .none
        }
    }

    @Test func acquireRenewCloseCancel() {
        var harness = Harness()
        guard let acquired = acquire(&harness, "c1").succeeded else {
            Issue.record("acquire failed")
            return
        }
        #expect(acquired.expires == sec(120))
        var lock = LeaseLockStateMachine(lease: acquired, configuration: configuration, now: harness.now)
        var action = lock.start()
        for tick in [sec(60), sec(120), sec(180)] {
            #expect(action == .scheduleRenewal(at: tick))
            action = renew(&lock, &harness, at: tick)
        }
        #expect(action == .scheduleRenewal(at: sec(240)))
        #expect(harness.store.semaphore(alice, now: sec(200))?.lease(id: "c1")?.expires == sec(300))
        harness.now = sec(200)
        #expect(acquire(&harness, "c2").failure?.isMaxLeasesExceeded == true)  // limit 1 is held

        guard case .sendCancel(let held, let deadline) = lock.close(now: sec(200)) else {
            Issue.record("expected a cancel")
            return
        }
        #expect(deadline == sec(230))
        let cancelled = harness.run(
            SemaphoreCancelStateMachine(request: CancelSemaphoreRequest(key: alice, leaseID: held.leaseID), profile: .current))
        #expect(cancelled.succeeded?.leaseID == "c1")
        #expect(harness.store.semaphore(alice, now: sec(200))?.leases.isEmpty == true)
        #expect(acquire(&harness, "c3").succeeded != nil)  // the slot is free again
    }

    @Test func adminDeletingTheSemaphoreEndsTheLockAtOnce() {
        var harness = Harness()
        guard let acquired = acquire(&harness, "c1").succeeded else {
            Issue.record("acquire failed")
            return
        }
        var lock = LeaseLockStateMachine(lease: acquired, configuration: configuration, now: harness.now)
        _ = lock.start()
        #expect(renew(&lock, &harness, at: sec(60)) == .scheduleRenewal(at: sec(120)))
        try! harness.store.delete(alice.path, now: sec(90))
        #expect(renew(&lock, &harness, at: sec(120)) == .terminate(.leaseNotFound))
        #expect(lock.close(now: sec(121)) == .none)
    }

    @Test func expiredLeaseOnAuthIsRetriedUntilLost() {
        // Auth's clock runs 60.5 s ahead of the node's: when the node renews at 60 s,
        // auth already sees the lease (expiring at 120 s) as expired. Another node's
        // lease keeps the item alive, so auth answers *bad parameter*, which the
        // node retries until its own deadline passes.
        let skew = Duration.milliseconds(60_500)
        var harness = Harness()
        guard let acquired = acquire(&harness, "c1", max: 2).succeeded else {
            Issue.record("acquire failed")
            return
        }
        _ = harness.run(SemaphoreAcquireStateMachine(
            request: acquireRequest("other", max: 2, expires: sec(500), holder: "node-2"), profile: .current))
        var lock = LeaseLockStateMachine(lease: acquired, configuration: configuration, now: .zero)
        var random = SeededRandom(seed: 9)
        var action = lock.start()
        var nodeNow = SimInstant.zero
        var answers: [SemaphoreError.Code] = []
        while true {
            switch action {
            case .scheduleRenewal(let at), .scheduleRetry(let at), .scheduleDeadline(let at):
                nodeNow = at
                action = lock.timerFired(now: at)
            case .sendKeepAlive(let renewed, _):
                harness.now = nodeNow.advanced(by: skew)
                let answer = harness.run(SemaphoreKeepAliveStateMachine(
                    request: KeepAliveSemaphoreRequest(key: alice, leaseID: "c1", expires: renewed.expires)))
                guard let error = answer.failure else {
                    Issue.record("auth renewed a lease it sees as expired")
                    return
                }
                answers.append(error.code)
                action = lock.keepAliveFailed(error, now: nodeNow, random: &random)
            case .terminate(let end):
                #expect(end == .leaseLost)
                #expect(nodeNow == sec(120))
                #expect(answers.count >= 2)
                #expect(answers.allSatisfy { $0 == .badParameter })
                return
            case .sendCancel, .none:
                Issue.record("unexpected \(action)")
                return
            }
        }
    }

    @Test func expiredItemOnAuthAnswersNotFoundAndEndsAtOnce() {
        // Same skew, but no other lease: the item's own expiry (its TTL) has passed too.
        var harness = Harness()
        guard let acquired = acquire(&harness, "c1").succeeded else {
            Issue.record("acquire failed")
            return
        }
        var lock = LeaseLockStateMachine(lease: acquired, configuration: configuration, now: .zero)
        _ = lock.start()
        guard case .sendKeepAlive(let renewed, _) = lock.timerFired(now: sec(60)) else {
            Issue.record("expected a keep-alive")
            return
        }
        harness.now = ms(120_500)
        let answer = harness.run(SemaphoreKeepAliveStateMachine(
            request: KeepAliveSemaphoreRequest(key: alice, leaseID: "c1", expires: renewed.expires)))
        #expect(answer.failure?.code == .notFound)
        var random = SeededRandom(seed: 9)
        #expect(lock.keepAliveFailed(answer.failure!, now: ms(60_010), random: &random) == .terminate(.leaseNotFound))
    }
}
