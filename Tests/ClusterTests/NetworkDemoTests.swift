import Cluster
import SimulationKernel
import Testing

@Suite("Network demo workload")
struct NetworkDemoTests {
    func configuration(seed: UInt64) -> NetworkDemo.Configuration {
        var configuration = NetworkDemo.Configuration()
        configuration.seed = seed
        configuration.clients = 10
        configuration.servers = 3
        configuration.duration = .seconds(120)
        return configuration
    }

    @Test("the demo is deterministic, seed-sensitive and contained")
    func deterministic() {
        let a = NetworkDemo(configuration(seed: 1)).run()
        let b = NetworkDemo(configuration(seed: 1)).run()
        let c = NetworkDemo(configuration(seed: 2)).run()
        #expect(a == b)
        #expect(a.traceDigest != c.traceDigest)
        #expect(a.kernel.isContained)
    }

    @Test("faults cost calls: timeouts happen with faults and not without")
    func faultsMatter() {
        let faulty = NetworkDemo(configuration(seed: 3)).run()
        var calm = configuration(seed: 3)
        calm.faults = false
        let quiet = NetworkDemo(calm).run()
        #expect(faulty.timeouts > 0)
        #expect(faulty.network.dropped > 0)
        #expect(quiet.timeouts == 0)
        #expect(quiet.network.dropped == 0)
        #expect(quiet.repliesReceived > 1_000)
    }
}
