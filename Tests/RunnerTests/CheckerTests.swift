import Cluster
import Runner
import SessionControl
import SimulationKernel
import Testing

/// Hand-written observation logs: each invariant must fail on a bad history and
/// pass on a good one.
@Suite("Invariant checker on hand-written logs")
struct CheckerTests {
    let configuration: ClusterConfiguration = {
        var configuration = ClusterConfiguration()
        configuration.nodes = [.init(name: "node-1"), .init(name: "node-2")]
        configuration.roles = [try! Role(name: "limited", maxConnections: 1)]
        configuration.users = [.init(name: "alice", roles: ["limited"])]
        return configuration
    }()

    func record(_ seconds: Double, _ host: String, _ observation: Observation) -> ObservationRecord {
        ObservationRecord(time: SimInstant(nanoseconds: Int64(seconds * 1e9)), host: host, observation: observation)
    }

    func outcome(_ id: String, _ records: [ObservationRecord], end: Double = 1_000,
                 counters: SimulationCounters = SimulationCounters()) -> InvariantOutcome {
        let checker = Checker(records: records, configuration: configuration,
                              end: SimInstant(nanoseconds: Int64(end * 1e9)), counters: counters)
        return checker.check().first { $0.id == id }!
    }

    func accepted(_ c: UInt64, at t: Double, node: String = "node-1") -> ObservationRecord {
        record(t, node, .connectionAccepted(ConnectionID(c), user: "alice", node: node, controlled: true, limit: 1))
    }

    func closed(_ c: UInt64, at t: Double, node: String = "node-1") -> ObservationRecord {
        record(t, node, .connectionClosed(ConnectionID(c), user: "alice", node: node))
    }

    @Test("limiter-safety: two overlapping controlled connections with limit 1 fail; sequential ones pass")
    func limiterSafety() {
        let bad = outcome("limiter-safety", [accepted(1, at: 0), accepted(2, at: 5, node: "node-2"),
                                             closed(2, at: 7, node: "node-2"), closed(1, at: 10)])
        #expect(!bad.passed)
        #expect(bad.violations.first?.time == SimInstant.at(.seconds(5)))
        #expect(bad.violations.first?.message == "alice had 2 controlled connections live (limit 1) for 2s")
        #expect(bad.violations.first?.hosts == ["node-1", "node-2"])
        let good = outcome("limiter-safety", [accepted(1, at: 0), closed(1, at: 5), accepted(2, at: 5), closed(2, at: 9)])
        #expect(good.passed)
        #expect(good.checked == 2)
    }

    @Test("limiter-safety: an over-limit episode is allowed up to the clock skew in force, and no longer")
    func limiterSafetyWithSkew() {
        let skew = record(0, "node-1", .clockSkewChanged(host: "node-1", offset: .seconds(-5)))
        let withinSkew = outcome("limiter-safety", [skew, accepted(1, at: 0), accepted(2, at: 100, node: "node-2"),
                                                     closed(1, at: 104), closed(2, at: 200, node: "node-2")])
        #expect(withinSkew.passed)
        let beyondSkew = outcome("limiter-safety", [skew, accepted(1, at: 0), accepted(2, at: 100, node: "node-2"),
                                                     closed(1, at: 106), closed(2, at: 200, node: "node-2")])
        #expect(!beyondSkew.passed)
    }

    @Test("limiter-safety: a skew replaced shortly before the episode still excuses it; one long gone does not")
    func limiterSafetyWithEarlierSkew() {
        // node-1 runs 5 s behind from 0 s; at 90 s a smaller skew (2 s) replaces it.
        // node-1's lease deadline was armed under the 5 s skew, so it acts up to 5 s late.
        let skews = [record(0, "node-1", .clockSkewChanged(host: "node-1", offset: .seconds(-5))),
                     record(90, "node-1", .clockSkewChanged(host: "node-1", offset: .seconds(-2)))]
        let episode = [accepted(1, at: 0), accepted(2, at: 100, node: "node-2"),
                       closed(1, at: 104.9), closed(2, at: 200, node: "node-2")]
        func inTimeOrder(_ records: [ObservationRecord]) -> [ObservationRecord] { records.sorted { $0.time < $1.time } }
        #expect(outcome("limiter-safety", inTimeOrder(skews + episode)).passed)
        // The same 4.9 s episode with only the 2 s skew in force fails.
        #expect(!outcome("limiter-safety", inTimeOrder([skews[1]] + episode)).passed)
        // A 5 s skew that ended more than a timeout (120 s) before the episode excuses nothing.
        let longGone = [record(0, "node-1", .clockSkewChanged(host: "node-1", offset: .seconds(-5))),
                        record(10, "node-1", .clockSkewChanged(host: "node-1", offset: .zero))]
        let later = [accepted(1, at: 200), accepted(2, at: 300, node: "node-2"),
                     closed(1, at: 304.9), closed(2, at: 400, node: "node-2")]
        #expect(!outcome("limiter-safety", inTimeOrder(longGone + later)).passed)
    }

    @Test("audit-completeness: a rejection without its event, an event without a rejection, and a duplicate all fail")
    func auditCompleteness() {
        let rejection = record(1, "node-1", .connectionRejected(ConnectionID(2), user: "alice", node: "node-1",
                                                               reason: .maxConnections, message: "…"))
        func event(uid: String, max: Int = 1) -> ObservationRecord {
            record(2, "auth-1", .auditEventStored(SessionRejectedEvent(
                user: "alice", login: "alice", serverID: "node-1", reason: .maxConnections, max: max,
                time: .zero, uid: uid)))
        }
        #expect(!outcome("audit-completeness", [rejection]).passed)
        #expect(!outcome("audit-completeness", [event(uid: "u1")]).passed)
        #expect(!outcome("audit-completeness", [rejection, event(uid: "u1", max: 3)]).passed)  // wrong max
        #expect(!outcome("audit-completeness", [rejection, event(uid: "u1"), event(uid: "u1")]).passed)
        let good = outcome("audit-completeness", [rejection, event(uid: "u1")])
        #expect(good.passed)
        #expect(good.checked == 1)
    }

    @Test("lease-bounded: a lease outliving its connection by more than the timeout fails")
    func leaseBounded() {
        let granted = record(0, "backend", .leaseGranted(user: "alice", leaseID: "lease-1", holder: "node-1",
                                                         expires: .at(.seconds(120))))
        let extended = record(60, "backend", .leaseExtended(user: "alice", leaseID: "lease-1", expires: .at(.seconds(300))))
        // Closed at 10 s, but renewed to 300 s: live 290 s after the connection ended.
        let bad = outcome("lease-bounded", [granted, accepted(1, at: 0), closed(1, at: 10), extended])
        #expect(!bad.passed)
        #expect(bad.violations.first?.time == SimInstant.at(.seconds(130)))
        let good = outcome("lease-bounded", [granted, accepted(1, at: 0), closed(1, at: 10)])
        #expect(good.passed)
    }

    @Test("lost-lease-teardown: a connection outliving its lease deadline fails; one ended at the deadline passes")
    func lostLeaseTeardown() {
        let granted = record(0, "backend", .leaseGranted(user: "alice", leaseID: "lease-1", holder: "node-1",
                                                         expires: .at(.seconds(120))))
        let late = outcome("lost-lease-teardown", [granted, accepted(1, at: 0), closed(1, at: 125)])
        #expect(!late.passed)
        let onTime = outcome("lost-lease-teardown", [granted, accepted(1, at: 0),
            record(120, "node-1", .connectionTerminated(ConnectionID(1), user: "alice", node: "node-1", reason: .leaseLost))])
        #expect(onTime.passed)
        #expect(onTime.checked == 1)
        // A node whose clock runs 5 s behind reaches its deadline 5 s later in virtual time.
        let skewed = outcome("lost-lease-teardown", [
            record(0, "node-1", .clockSkewChanged(host: "node-1", offset: .seconds(-5))), granted, accepted(1, at: 0),
            record(125, "node-1", .connectionTerminated(ConnectionID(1), user: "alice", node: "node-1", reason: .leaseLost)),
        ])
        #expect(skewed.passed)
        // The skew ends mid-lock: a timer armed under -5 s may still fire 5 s late...
        let changing: [ObservationRecord] = [
            record(0, "node-1", .clockSkewChanged(host: "node-1", offset: .seconds(-5))), granted, accepted(1, at: 0),
            record(60, "node-1", .clockSkewChanged(host: "node-1", offset: .zero)),
        ]
        let lateByTheOldSkew = changing + [
            record(125, "node-1", .connectionTerminated(ConnectionID(1), user: "alice", node: "node-1", reason: .leaseLost))]
        #expect(outcome("lost-lease-teardown", lateByTheOldSkew).passed)
        // ...but not later than any offset in force explains.
        let tooLate = changing + [
            record(126, "node-1", .connectionTerminated(ConnectionID(1), user: "alice", node: "node-1", reason: .leaseLost))]
        #expect(!outcome("lost-lease-teardown", tooLate).passed)
    }

    @Test("no-escape: any foreign enqueue or escape fails the run")
    func noEscape() {
        var counters = SimulationCounters()
        #expect(outcome("no-escape", [], counters: counters).passed)
        counters.escapes = 1
        #expect(!outcome("no-escape", [], counters: counters).passed)
    }
}
