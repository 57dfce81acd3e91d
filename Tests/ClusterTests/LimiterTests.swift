import Cluster
import SessionControl
import SimulatedNetwork
import SimulationKernel
import Testing

@Suite("Connection limiter on the cluster")
struct LimiterTests {
    @Test("the connection over the limit is rejected, audited once, and the others stay up")
    func limitReached() {
        let cluster = SimCluster(makeConfiguration(maxConnections: 2))
        for second in 0..<3 {
            cluster.connect("alice", to: "node-\(second + 1)", at: .at(.seconds(second)))
        }
        cluster.disconnectAll(at: .at(.seconds(30)))
        cluster.run()
        #expect(cluster.accepted(user: "alice").count == 2)
        let rejected = cluster.rejected(user: "alice", reason: .maxConnections)
        #expect(rejected.count == 1)
        #expect(rejected.first?.host == "node-3")
        guard case .connectionRejected(_, _, _, _, let message)? = rejected.first?.observation else { return }
        #expect(message == #"too many concurrent ssh connections for user "alice" (max=2)"#)

        let events = cluster.auditEvents
        #expect(events.count == 1)
        let fields = Dictionary(uniqueKeysWithValues: events[0].fields.map { ($0.name, $0.value) })
        #expect(fields["event"] == "session.rejected")
        #expect(fields["code"] == "T1006W")
        #expect(fields["user"] == "alice")
        #expect(fields["server_id"] == "node-3")
        #expect(fields["reason"] == "max_connections limit reached")
        #expect(fields["max"] == "2")
        #expect(fields["proto"] == "ssh")
        #expect(cluster.lifetimes.peakControlled(user: "alice") == 2)
        #expect(cluster.simulation.counters.isContained)
    }

    @Test("users without a limit and connections to OpenSSH nodes never touch the semaphore")
    func unlimitedAndOpenSSH() {
        let cluster = SimCluster(makeConfiguration(maxConnections: 1))
        for second in 0..<5 { cluster.connect("root", to: "node-1", at: .at(.seconds(second))) }
        for second in 0..<3 { cluster.connect("alice", to: "legacy-1", at: .at(.seconds(second))) }
        cluster.connect("alice", to: "node-1", at: .at(.seconds(10)))
        cluster.disconnectAll(at: .at(.seconds(30)))
        cluster.run()
        #expect(cluster.accepted(user: "root").count == 5)
        #expect(cluster.accepted(user: "alice").count == 4)  // 3 uncontrolled on legacy-1, 1 controlled
        #expect(cluster.lifetimes.peakControlled(user: "alice") == 1)
        let leases = cluster.records { if case .leaseGranted = $0 { return true } else { return false } }
        #expect(leases.count == 1)
    }

    @Test("a crashed node's lease blocks the user until it expires, and no longer")
    func crashedNodeLeaseExpires() {
        let timeout = 120.0
        let crash = 70.0  // after the first renewal (about 60 s)
        let cluster = SimCluster(makeConfiguration(maxConnections: 1))
        cluster.connect("alice", to: "node-1", at: .zero, hold: .seconds(1_000))
        cluster.network.schedule(.crash(cluster.host("node-1")), at: .seconds(crash))
        for attempt in 0..<130 {  // one attempt per second from 71 s, each held briefly
            cluster.connect("alice", to: "node-2", at: .seconds(crash + 1 + Double(attempt)), hold: .milliseconds(100))
        }
        cluster.run(until: .at(.seconds(400)))

        let lease = ConnectionID(1).leaseID
        let expiry = cluster.lastExpiry(ofLease: lease)!
        let lag = expiry.seconds - crash
        #expect(lag > timeout / 2 && lag <= timeout)
        let firstAccepted = cluster.accepted(user: "alice").dropFirst().first!.time
        let lastRejected = cluster.rejected(user: "alice", reason: .maxConnections).last!.time
        #expect(lastRejected < expiry)
        #expect(firstAccepted >= expiry)
        #expect(firstAccepted.seconds - expiry.seconds < 1.1)  // the next attempt after expiry succeeds
        #expect(cluster.terminated(reason: .nodeCrash).map(\.time) == [.seconds(crash)])
    }

    @Test("a node cut off from auth drops its controlled connection between timeout/2 and timeout after the cut")
    func partitionedNodeDropsConnection() {
        let cut = 30.0
        let cluster = SimCluster(makeConfiguration(maxConnections: 2))
        cluster.connect("alice", to: "node-1", at: .zero, hold: .seconds(1_000))
        cluster.connect("root", to: "node-1", at: .zero, hold: .seconds(1_000))
        cluster.network.schedule(.partition(from: cluster.hosts(["node-1"]), to: cluster.hosts(["auth-1"]), oneWay: false),
                                 at: .seconds(cut), for: .seconds(600))
        cluster.connect("alice", to: "node-1", at: .seconds(cut + 5))  // needs auth: cannot connect
        cluster.connect("root", to: "node-1", at: .seconds(cut + 5))   // no limit: unaffected
        cluster.run(until: .at(.seconds(300)))

        let dropped = cluster.terminated(reason: .leaseLost)
        #expect(dropped.count == 1)
        let at = dropped[0].time.seconds
        #expect(at > cut + 60 && at <= cut + 120)
        // Exactly at the lease's deadline: the renewal at 60 s failed, nothing extended it.
        #expect(dropped[0].time == cluster.lastExpiry(ofLease: ConnectionID(1).leaseID))
        let unreachable = cluster.rejected(user: "alice", reason: .authUnreachable)
        #expect(unreachable.count == 1)
        // Client → proxy → node (2 × 1 ms), then the node waits out its 30 s auth request timeout.
        #expect(unreachable[0].time == .seconds(cut + 5 + 0.002 + 30))
        #expect(cluster.accepted(user: "root").count == 2)
        #expect(cluster.terminated(reason: .leaseLost).allSatisfy {
            if case .connectionTerminated(_, let user, _, _) = $0.observation { return user == "alice" }
            return false
        })
    }

    @Test("deleting a user's semaphore drops every holder at its next renewal, without retrying")
    func deletedSemaphoreDropsHolders() {
        let cluster = SimCluster(makeConfiguration(maxConnections: 2))
        cluster.connect("alice", to: "node-1", at: .zero, hold: .seconds(1_000))
        cluster.connect("alice", to: "node-2", at: .seconds(10), hold: .seconds(1_000))
        cluster.deleteSemaphore(user: "alice", at: .at(.seconds(30)))
        cluster.run(until: .at(.seconds(300)))
        let dropped = cluster.terminated(reason: .leaseDeleted)
        #expect(dropped.count == 2)
        // Each node learns at its first renewal after the deletion (60 s after its
        // acquire) and closes at once: one keep-alive round trip, no back-off.
        #expect(dropped.map(\.host).sorted() == ["node-1", "node-2"])
        for record in dropped {
            let acquired = record.host == "node-1" ? 0.0 : 10.0
            #expect(record.time.seconds > acquired + 60 && record.time.seconds < acquired + 60.01)
        }
        let deleted = cluster.records { if case .semaphoreDeleted = $0 { return true } else { return false } }
        #expect(deleted.count == 1)
    }

    @Test("a connect whose reply is lost is closed by the client that gave up, so no orphan keeps a lease")
    func lostConnectReplyLeavesNoOrphan() {
        let cluster = SimCluster(makeConfiguration(maxConnections: 2))
        // node-1's replies to the proxy are lost for 100 s: the node accepts, nobody hears it.
        cluster.network.schedule(.partition(from: cluster.hosts(["node-1"]), to: cluster.hosts(["proxy-1"]), oneWay: true),
                                 at: .zero, for: .seconds(100))
        cluster.connect("alice", to: "node-1", at: .seconds(1))
        cluster.run(until: .at(.seconds(400)))
        #expect(cluster.rejected(user: "alice", reason: .nodeDown).count == 1)  // what the client saw
        let accepted = cluster.accepted(user: "alice")
        #expect(accepted.count == 1)  // what the node did
        let closed = cluster.records { if case .connectionClosed = $0 { return true } else { return false } }
        #expect(closed.count == 1)  // closed by the client's disconnect, not left running
        let removed = cluster.records { if case .leaseRemoved = $0 { return true } else { return false } }
        #expect(removed.count == 1)
    }
}
