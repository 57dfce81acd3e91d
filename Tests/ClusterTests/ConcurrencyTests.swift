import Cluster
import SessionControl
import SimulatedNetwork
import SimulationKernel
import Testing

@Suite("Limiter under concurrency and skew")
struct ConcurrencyTests {
    /// Rounds of three short parallel connections (one per node, all closing at
    /// the same instant, so their cancels race), then, once everything has
    /// closed, three more.
    /// Returns the max_connections rejections of the last round and the live
    /// controlled connections at that moment.
    func cancelRace(behavior: BehaviorProfile, seed: UInt64) -> (rejections: Int, liveBefore: Int) {
        var configuration = makeConfiguration(seed: seed, behavior: behavior, maxConnections: 3)
        configuration.nodes = (1...3).map { .init(name: "node-\($0)") }
        let cluster = SimCluster(configuration)
        for round in 0..<5 {
            for node in 1...3 {
                cluster.connect("alice", to: "node-\(node)", at: .at(.seconds(round * 3)))
            }
            cluster.disconnectAll(at: .at(.seconds(round * 3 + 2)))  // all three close together
        }
        let probe = 20.0
        for node in 1...3 { cluster.connect("alice", to: "node-\(node)", at: .seconds(probe), hold: .seconds(1)) }
        cluster.run(until: .at(.seconds(60)))
        let live = cluster.lifetimes.lifetimes.filter { $0.user == "alice" && $0.isLive(at: .seconds(probe)) }.count
        let rejections = cluster.rejected(user: "alice", reason: .maxConnections).filter { $0.time.seconds >= probe }
        return (rejections.count, live)
    }

    @Test("teleport-4.4: a cancel that loses its compare-and-swap leaves a stale lease that rejects a user below the limit")
    func cancelRaceOldBehaviour() {
        var stale = 0
        for seed in 1...5 {
            let result = cancelRace(behavior: .teleport44, seed: UInt64(seed))
            #expect(result.liveBefore == 0)
            stale += result.rejections
        }
        #expect(stale > 0)
    }

    @Test("current: cancels retry, so nobody below the limit is rejected")
    func cancelRaceCurrentBehaviour() {
        for seed in 1...5 {
            let result = cancelRace(behavior: .current, seed: UInt64(seed))
            #expect(result.liveBefore == 0)
            #expect(result.rejections == 0)
        }
    }

    @Test("a burst of parallel acquires on one user exhausts attempts as contention, never as max_connections")
    func contentionIsNotALimitRejection() {
        var configuration = makeConfiguration(maxConnections: 1_000)
        configuration.nodes = (1...20).map { .init(name: "node-\($0)") }
        configuration.backendLatency = .milliseconds(20)
        let cluster = SimCluster(configuration)
        for n in 0..<400 { cluster.connect("alice", to: "node-\(n % 20 + 1)", at: .zero, hold: .seconds(5)) }
        cluster.run(until: .at(.seconds(120)))
        let contention = cluster.rejected(user: "alice", reason: .contention)
        #expect(contention.count > 0)
        #expect(cluster.rejected(user: "alice", reason: .maxConnections).isEmpty)
        #expect(cluster.auditEvents.isEmpty)
        #expect(cluster.accepted(user: "alice").count + contention.count == 400)
    }

    @Test("a node whose clock runs behind auth's lets a user exceed the limit, for at most the skew")
    func clockSkewBoundsOverLimit() {
        let skew = 5.0
        let cluster = SimCluster(makeConfiguration(maxConnections: 1))
        cluster.skewClock("node-1", offset: .seconds(-skew), at: .zero)
        cluster.connect("alice", to: "node-1", at: .zero, hold: .seconds(1_000))
        // Cut node-1 off from auth: its lease stops being renewed.
        cluster.network.schedule(.partition(from: cluster.hosts(["node-1"]), to: cluster.hosts(["auth-1"]), oneWay: false),
                                 at: .seconds(10), for: .seconds(1_000))
        for second in 100..<130 { cluster.connect("alice", to: "node-2", at: .seconds(Double(second)), hold: .seconds(60)) }
        cluster.run(until: .at(.seconds(300)))
        let over = cluster.lifetimes.timeOverLimit(user: "alice", limit: 1, until: .at(.seconds(300)))
        #expect(over > .zero)
        #expect(over <= .seconds(skew))
        #expect(cluster.lifetimes.peakControlled(user: "alice") == 2)

        // Without skew, the same run never exceeds the limit.
        let calm = SimCluster(makeConfiguration(maxConnections: 1))
        calm.connect("alice", to: "node-1", at: .zero, hold: .seconds(1_000))
        calm.network.schedule(.partition(from: calm.hosts(["node-1"]), to: calm.hosts(["auth-1"]), oneWay: false),
                              at: .seconds(10), for: .seconds(1_000))
        for second in 100..<130 { calm.connect("alice", to: "node-2", at: .seconds(Double(second)), hold: .seconds(60)) }
        calm.run(until: .at(.seconds(300)))
        #expect(calm.lifetimes.timeOverLimit(user: "alice", limit: 1, until: .at(.seconds(300))) == .zero)
    }

    @Test("the same seed gives the same cluster history; another seed a different one")
    func clusterDeterminism() {
        func digest(_ seed: UInt64) -> String {
            let cluster = SimCluster(makeConfiguration(seed: seed, maxConnections: 2))
            for n in 0..<30 { cluster.connect("alice", to: "node-\(n % 3 + 1)", at: .at(.milliseconds(n * 7)), hold: .seconds(2)) }
            cluster.run()
            return cluster.simulation.trace.digest
        }
        #expect(digest(3) == digest(3))
        #expect(digest(3) != digest(4))
    }
}
