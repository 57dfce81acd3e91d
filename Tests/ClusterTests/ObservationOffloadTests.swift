import Cluster
import SimulatedNetwork
import SimulationKernel
import Testing

@Suite("The observation log on a worker thread")
struct ObservationOffloadTests {
    /// A run with load, crashes, a restart, skew and a partition: observations and the
    /// network's own trace events (faults, crashes) interleave.
    static func run(offloaded: Bool, slices: Int) -> (records: [ObservationRecord], digest: String, count: UInt64) {
        var configuration = makeConfiguration(seed: 7, maxConnections: 2, users: ["alice", "bob", "carol"])
        configuration.network = LinkProfile(latency: .uniform(min: .milliseconds(1), max: .milliseconds(5)))
        let cluster = SimCluster(configuration)
        if offloaded { cluster.log.offloadToWorker() }
        for second in 0..<120 {
            for (index, user) in ["alice", "bob", "carol"].enumerated() {
                cluster.connect(user, to: "node-\((second + index) % 3 + 1)", at: .seconds(Double(second)),
                                hold: .seconds(Double(5 + second % 7)))
            }
        }
        cluster.network.schedule(.crash(cluster.host("node-2")), at: .seconds(30), for: .seconds(20))
        cluster.skewClock("node-3", offset: .seconds(-2), at: .seconds(40), for: .seconds(30))
        cluster.network.schedule(.partition(from: cluster.hosts(["node-1"]), to: cluster.hosts(["auth-1"]), oneWay: false),
                                 at: .seconds(60), for: .seconds(90))
        let end = 300
        for slice in 1...slices {
            cluster.run(until: .at(.seconds(Double(end * slice / slices))))
        }
        return (Array(cluster.log.records), cluster.simulation.trace.digest, cluster.simulation.trace.count)
    }

    @Test("the worker packs and digests exactly what the loop would have, paused or not")
    func sameRecordsAndDigest() {
        let inline = Self.run(offloaded: false, slices: 1)
        #expect(inline.records.count > 1_000)
        #expect(inline.records.contains { if case .hostCrashed = $0.observation { true } else { false } })
        for slices in [1, 7] {
            let offloaded = Self.run(offloaded: true, slices: slices)
            #expect(offloaded.records == inline.records)
            #expect(offloaded.digest == inline.digest)
            #expect(offloaded.count == inline.count)
        }
    }
}
