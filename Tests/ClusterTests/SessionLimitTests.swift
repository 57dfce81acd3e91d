import Cluster
import SessionControl
import SimulatedNetwork
import SimulationKernel
import Testing

@Suite("Session limits and audit delivery")
struct SessionLimitTests {
    func sessionsRejected(_ cluster: SimCluster) -> [(time: SimInstant, reason: String, max: Int)] {
        cluster.log.records.compactMap {
            if case .sessionRejected(_, _, _, _, let reason, let max) = $0.observation { return ($0.time, reason, max) }
            return nil
        }
    }

    func sessionsOpened(_ cluster: SimCluster) -> Int {
        cluster.records { if case .sessionOpened = $0 { return true } else { return false } }.count
    }

    @Test("max_sessions rejects the extra channel, audits it, and the connection stays up")
    func maxSessionsKeepsConnection() {
        let cluster = SimCluster(makeConfiguration(maxConnections: 5, maxSessions: 2))
        cluster.connect("alice", to: "node-1", at: .zero, sessions: 3, handle: "a1")
        cluster.openSessions(handle: "a1", count: 1, at: .at(.seconds(10)))
        cluster.disconnect(handle: "a1", at: .at(.seconds(20)))
        cluster.run()
        let rejected = sessionsRejected(cluster)
        #expect(rejected.count == 2)  // the third at connect, the one at 10 s
        #expect(rejected.allSatisfy { $0.reason == "max_sessions" && $0.max == 2 })
        #expect(sessionsOpened(cluster) == 2)
        #expect(cluster.terminated(reason: .leaseLost).isEmpty)
        let closed = cluster.records { if case .connectionClosed = $0 { return true } else { return false } }
        #expect(closed.map(\.time.seconds).first.map { $0 > 20 } == true)  // closed by the client, not by the rejection
        let events = cluster.auditEvents
        #expect(events.count == 2)
        #expect(events.allSatisfy { $0.reason == .maxSessions && $0.max == 2 })
    }

    @Test("scp with max_sessions 1: the hidden channel takes the slot and the real session is rejected")
    func scpHiddenChannel() {
        let cluster = SimCluster(makeConfiguration(maxConnections: 5, maxSessions: 1))
        cluster.connect("alice", to: "node-1", at: .zero, hold: .seconds(5), sessions: 1, scp: true)
        cluster.run()
        #expect(sessionsOpened(cluster) == 1)
        #expect(sessionsRejected(cluster).map(\.reason) == ["max_sessions"])
        #expect(cluster.auditEvents.count == 1)
    }

    @Test("OpenSSH nodes apply only their own MaxSessions, which is never audited")
    func openSSHMaxSessions() {
        let cluster = SimCluster(makeConfiguration(maxConnections: 1, maxSessions: 1))
        cluster.connect("alice", to: "legacy-1", at: .zero, hold: .seconds(5), sessions: 11)
        cluster.run()
        #expect(sessionsOpened(cluster) == 10)
        #expect(sessionsRejected(cluster).map(\.reason) == ["openssh_max_sessions"])
        #expect(cluster.auditEvents.isEmpty)
    }

    @Test("a rejection on a node cut off from auth is audited late, once, when auth is reachable again")
    func auditDeliveredLate() {
        let cluster = SimCluster(makeConfiguration(maxConnections: 5, maxSessions: 1))
        cluster.connect("alice", to: "node-1", at: .zero, hold: .seconds(300), handle: "a1")
        cluster.network.schedule(.partition(from: cluster.hosts(["node-1"]), to: cluster.hosts(["auth-1"]), oneWay: false),
                                 at: .seconds(5), for: .seconds(20))
        cluster.openSessions(handle: "a1", count: 1, at: .at(.seconds(10)))
        cluster.run(until: .at(.seconds(200)))
        let stored = cluster.records { if case .auditEventStored = $0 { return true } else { return false } }
        #expect(stored.count == 1)
        #expect(stored[0].time.seconds >= 25 && stored[0].time.seconds < 31)  // after the heal, within a retry interval
    }

    @Test("an audit event queued before a node crash is delivered by the restarted node")
    func auditSurvivesCrash() {
        let cluster = SimCluster(makeConfiguration(maxConnections: 5, maxSessions: 1))
        cluster.connect("alice", to: "node-1", at: .zero, hold: .seconds(300), handle: "a1")
        cluster.network.schedule(.partition(from: cluster.hosts(["node-1"]), to: cluster.hosts(["auth-1"]), oneWay: false),
                                 at: .seconds(5), for: .seconds(60))
        cluster.openSessions(handle: "a1", count: 1, at: .at(.seconds(10)))
        cluster.network.schedule(.crash(cluster.host("node-1")), at: .seconds(20), for: .seconds(10))
        cluster.run(until: .at(.seconds(200)))
        #expect(cluster.auditEvents.count == 1)
        let stored = cluster.records { if case .auditEventStored = $0 { return true } else { return false } }
        #expect(stored.first.map { $0.time.seconds >= 65 } == true)
        #expect(cluster.terminated(reason: .nodeCrash).count == 1)
    }
}
