import SimulatedNetwork
import SimulationKernel
import Testing

@Suite("Delivery")
struct DeliveryTests {
    @Test("a request takes one link latency each way")
    func roundTrip() {
        let world = World()
        let results = Results()
        world.runClient { await $0.ping(1, to: world.server, timeout: .seconds(1), into: results) }
        #expect(results.outcomes == [.reply(n: 1, served: 1, at: .at(.milliseconds(20)))])
        #expect(world.log.lines == ["server got ping 1 at 0.010000000"])
        #expect(world.simulation.counters.isContained)
    }

    @Test("messages on one link arrive in the order sent, whatever their latency draws")
    func fifoPerLink() {
        let world = World(latency: .uniform(min: .milliseconds(1), max: .milliseconds(50)))
        world.runClient { context in
            for n in 0..<50 { context.send(Ping(n: n), to: world.server) }
        }
        let order = world.log.lines.map { Int($0.split(separator: " ")[3])! }
        #expect(order == Array(0..<50))
    }

    @Test("a link's own profile applies to it alone, and a new default applies to every link without one")
    func linkProfilesInEffect() {
        let world = World()
        // Used once at the default (10 ms each way), so the link exists before its override.
        let results = Results()
        world.runClient { await $0.ping(1, to: world.server, timeout: .seconds(1), into: results) }
        world.network.setLink(from: world.client, to: world.server, LinkProfile(latency: .constant(.milliseconds(50))))
        // An override equal to the default at the time is still the link's own: the way
        // back keeps 10 ms when the default changes.
        world.network.setLink(from: world.server, to: world.client, LinkProfile(latency: .constant(.milliseconds(10))))
        world.runClient(at: .at(.seconds(1))) { await $0.ping(2, to: world.server, timeout: .seconds(1), into: results) }
        world.network.defaultLink = LinkProfile(latency: .constant(.milliseconds(30)))
        world.runClient(at: .at(.seconds(2))) { await $0.ping(3, to: world.server, timeout: .seconds(1), into: results) }
        world.network.setLink(from: world.client, to: world.server, LinkProfile(latency: .constant(.milliseconds(1)), loss: 1))
        world.runClient(at: .at(.seconds(3))) { await $0.ping(4, to: world.server, timeout: .seconds(1), into: results) }
        #expect(results.outcomes == [
            .reply(n: 1, served: 1, at: .at(.milliseconds(20))),
            .reply(n: 2, served: 2, at: .at(.milliseconds(1_060))),  // 50 ms out, 10 ms back
            .reply(n: 3, served: 3, at: .at(.milliseconds(2_060))),  // 50 ms out and 10 ms back, each its own
            .failed(.timeout(to: "server", deadline: .at(.seconds(4))), at: .at(.seconds(4))),  // lost on the way out
        ])
    }

    @Test("a reply slower than the deadline fails at the deadline, not at the reply")
    func slowReplyTimesOut() {
        let world = World(serverDelay: .seconds(5))
        let results = Results()
        world.runClient { await $0.ping(1, to: world.server, timeout: .seconds(2), into: results) }
        #expect(results.outcomes == [.failed(.timeout(to: "server", deadline: .at(.seconds(2))), at: .at(.seconds(2)))])
    }

    @Test("uniform latencies stay within bounds; normal latencies are clipped at zero")
    func latencyDistributions() {
        var random = SeededRandom(seed: 9)
        let uniform = DurationDistribution.uniform(min: .milliseconds(2), max: .milliseconds(4))
        let normal = DurationDistribution.normal(mean: .milliseconds(1), standardDeviation: .milliseconds(10))
        var sawZero = false
        for _ in 0..<10_000 {
            let u = uniform.sample(using: &random)
            #expect(u >= .milliseconds(2) && u <= .milliseconds(4))
            let n = normal.sample(using: &random)
            #expect(n >= .zero)
            if n == .zero { sawZero = true }
        }
        #expect(sawZero)
        var exponential = Duration.zero
        for _ in 0..<20_000 { exponential += DurationDistribution.exponential(mean: .milliseconds(10)).sample(using: &random) }
        let mean = (exponential / 20_000).secondsDouble
        #expect(abs(mean - 0.010) < 0.0005)
    }

    @Test("adding a host does not change the latency draws of another link")
    func streamsIndependentOfOtherHosts() {
        func arrivals(extraHost: Bool) -> [String] {
            let world = World(seed: 3, latency: .exponential(mean: .milliseconds(20)))
            if extraHost { world.network.addHost("bystander") { _ in SilentService() } }
            world.runClient { context in
                for n in 0..<20 { context.send(Ping(n: n), to: world.server) }
            }
            return world.log.lines
        }
        #expect(arrivals(extraHost: false) == arrivals(extraHost: true))
    }

    @Test("the trace records sends and deliveries with virtual times")
    func traceRecordsMessages() {
        let world = World()
        world.simulation.trace.keepsEvents = true
        world.runClient { context in context.send(Ping(n: 7), to: world.server) }
        let lines = world.simulation.trace.jsonLines().split(separator: "\n")
        #expect(lines.first == #"{"t":0.000000000,"seq":0,"kind":"net.send","from":"client","to":"server","msg":"ping 7"}"#)
        #expect(lines.contains(#"{"t":0.010000000,"seq":1,"kind":"net.deliver","from":"client","to":"server","msg":"ping 7"}"#))
    }
}
