import Cluster
import Scenario
import SimulatedNetwork
import SimulationKernel

/// Generated workloads (`load:`): open models (arrivals at a rate, independent
/// of how the cluster responds) and closed models (a fixed number of loops,
/// each waiting for its connection to end and thinking before the next).
enum LoadGenerator {
    /// Schedules every entry of `load` until `end`.
    static func schedule(_ load: [LoadEntry], of scenario: Scenario, on cluster: SimCluster, until end: SimInstant) {
        for entry in load {
            let users = scenario.userNames(of: entry)
            let nodes = scenario.nodeNames(of: entry)
            guard !users.isEmpty, !nodes.isEmpty else { continue }
            let plan = Plan(entry: entry, users: users, nodes: nodes)
            switch entry.model {
            case .open(let arrival):
                scheduleOpen(plan, arrival: arrival, on: cluster, until: end)
            case .closed(let loop):
                scheduleClosed(plan, loop: loop, on: cluster, until: end)
            }
        }
    }

    /// What one load entry draws for each connection.
    struct Plan: Sendable {
        let entry: LoadEntry
        let users: [String]
        let nodes: [String]
        /// The entry's `hold`, converted once (it is drawn at every arrival).
        let hold: DurationDistribution?

        init(entry: LoadEntry, users: [String], nodes: [String]) {
            self.entry = entry
            self.users = users
            self.nodes = nodes
            hold = entry.hold.map { ScenarioCompiler.durationDistribution($0.value) }
        }

        func draw(using random: inout SeededRandom)
            -> (user: String, node: String, hold: Duration?, sessions: Int, output: SessionOutput)
        {
            let draw = drawIndices(using: &random)
            return (users[draw.user], nodes[draw.node], draw.hold, draw.sessions, draw.output)
        }

        /// ``draw(using:)`` with the user and node as indexes into ``users`` and ``nodes``
        /// (the same draws, in the same order).
        func drawIndices(using random: inout SeededRandom)
            -> (user: Int, node: Int, hold: Duration?, sessions: Int, output: SessionOutput)
        {
            let user = random.next(below: users.count)
            let node = random.next(below: nodes.count)
            let hold = self.hold.map { $0.sample(using: &random) }
            let sessions = Int(ScenarioCompiler.sample(entry.sessions.value, using: &random).rounded())
            // Constant distributions draw nothing, so files without `output` keep their random streams.
            let rate = ScenarioCompiler.sample(entry.output.value, using: &random)
            let output = SessionOutput(bytesPerSecond: max(0, rate), interval: entry.outputInterval.value)
            return (user, node, hold, max(0, sessions), output)
        }
    }

    /// Arrivals with a (possibly ramping) rate: exponential gaps for `poisson`,
    /// regular ones for `constant`. The rate is read at each arrival, so ramps
    /// are followed step by step.
    ///
    /// Generated as the run goes, one pending timer per entry: each arrival draws
    /// its connection and the time of the next. (Scheduling every arrival up front
    /// held a timer and a closure per connection for the whole run, a million of
    /// them at scale.) The draws come from the entry's own stream in the same
    /// order either way.
    private static func scheduleOpen(_ plan: Plan, arrival: Arrival, on cluster: SimCluster, until end: SimInstant) {
        let arrivals = OpenArrivals(
            plan: plan, arrival: arrival, cluster: cluster,
            random: cluster.simulation.randomStream(named: "load:\(plan.entry.name.value)"),
            time: arrival.from.value, stop: min(arrival.until.value, end.offset))
        arrivals.scheduleNext()
    }

    /// The state of one open-model entry between arrivals. Touched only on the
    /// simulation loop.
    private final class OpenArrivals: TimerTarget, @unchecked Sendable {
        let plan: Plan
        let arrival: Arrival
        unowned let cluster: SimCluster
        var random: SeededRandom
        /// The next arrival's offset from the start of the run.
        var time: Duration
        let stop: Duration
        /// The rate read when the pending arrival was scheduled.
        var pendingRate = 0.0
        /// The client host of each of the plan's users and the host of each of its nodes,
        /// by index (looked up once, not by name at every arrival; nil for a name the
        /// cluster does not have).
        let clientHosts: [HostID?]
        let nodeHosts: [HostID?]

        init(plan: Plan, arrival: Arrival, cluster: SimCluster, random: SeededRandom, time: Duration, stop: Duration) {
            self.plan = plan
            self.arrival = arrival
            self.cluster = cluster
            self.random = random
            self.time = time
            self.stop = stop
            clientHosts = plan.users.map(cluster.clientHost(of:))
            nodeHosts = plan.nodes.map(cluster.nodeHost(named:))
        }

        /// Schedules the arrival at ``time``, skipping stretches where the rate is
        /// zero; nothing once ``stop`` is reached.
        func scheduleNext() {
            while time < stop {
                let rate = arrival.rate(at: time)
                guard rate > 0 else {
                    time += .milliseconds(100)  // nothing arrives while the rate is zero; look again shortly
                    continue
                }
                // The arrivals themselves are the timer's target (the timer keeps them alive):
                // no closure per arrival.
                pendingRate = rate
                cluster.simulation.schedule(at: .at(time), target: self, token: 0)
                return
            }
        }

        func timerFired(token: UInt64) { arrive(rate: pendingRate) }

        private func arrive(rate: Double) {
            let draw = plan.drawIndices(using: &random)
            // A name the cluster does not have connects nothing (as connectNow by name does);
            // its draws were made all the same, so the stream stays in step.
            if let client = clientHosts[draw.user], let node = nodeHosts[draw.node] {
                cluster.connectNow(client: client, to: node, named: plan.nodes[draw.node], hold: draw.hold,
                                   sessions: draw.sessions, output: draw.output)
            }
            let meanGap = 1 / rate
            let gap = arrival.process.value == .poisson ? -meanGap * log(random.nextOpenUnit()) : meanGap
            time += .nanoseconds(Int64(gap * 1e9))
            scheduleNext()
        }
    }

    /// `concurrency` loops of connect → hold → disconnect → think, until `end`.
    private static func scheduleClosed(_ plan: Plan, loop: ClosedLoop, on cluster: SimCluster, until end: SimInstant) {
        let think = ScenarioCompiler.durationDistribution(loop.think.value)
        for index in 0..<loop.concurrency.value {
            let name = "load:\(plan.entry.name.value)#\(index)"
            cluster.simulation.schedule(at: .zero) {
                cluster.simulation.spawn {
                    var random = cluster.simulation.randomStream(named: name)
                    while cluster.simulation.now < end {
                        let draw = plan.draw(using: &random)
                        await cluster.session(draw.user, to: draw.node, hold: draw.hold ?? .seconds(1),
                                              sessions: draw.sessions, output: draw.output)
                        do { try await cluster.simulation.sleep(for: think.sample(using: &random)) } catch { return }
                    }
                }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
