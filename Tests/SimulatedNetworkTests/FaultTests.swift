import SimulatedNetwork
import SimulationKernel
import Testing

@Suite("Faults")
struct FaultTests {
    @Test("a message sent during a partition is lost; after healing, messages flow again")
    func partitionLosesMessages() {
        let world = World()
        world.network.schedule(.partition(from: [world.client], to: [world.server], oneWay: false),
                               at: .at(.seconds(1)), for: .seconds(2))
        world.runClient { context in
            context.send(Ping(n: 0), to: world.server)  // before: delivered
            try? await context.clock.sleep(for: .seconds(2))
            context.send(Ping(n: 1), to: world.server)  // during: lost
            try? await context.clock.sleep(for: .seconds(2))
            context.send(Ping(n: 2), to: world.server)  // after: delivered
        }
        #expect(world.log.lines == ["server got ping 0 at 0.010000000", "server got ping 2 at 4.010000000"])
    }

    @Test("a request during a partition fails exactly at its deadline")
    func requestDuringPartitionFailsAtDeadline() {
        let world = World()
        world.network.inject(.partition(from: [world.client], to: [world.server], oneWay: false))
        let results = Results()
        world.runClient(at: .at(.seconds(1))) { await $0.ping(1, to: world.server, timeout: .seconds(3), into: results) }
        #expect(results.outcomes == [.failed(.timeout(to: "server", deadline: .at(.seconds(4))), at: .at(.seconds(4)))])
    }

    @Test("a partition that starts while a message is in flight drops it on arrival")
    func partitionCutsInFlight() {
        let world = World(latency: .constant(.seconds(1)))
        world.network.schedule(.partition(from: [world.client], to: [world.server], oneWay: false),
                               at: .at(.milliseconds(500)), for: .seconds(10))
        world.runClient { $0.send(Ping(n: 1), to: world.server) }
        #expect(world.log.lines.isEmpty)
        #expect(world.network.statistics.dropped == 1)
    }

    @Test("a one-way partition blocks one direction only")
    func oneWayPartition() {
        // client → server blocked: the ping never arrives.
        let blocked = World()
        blocked.network.inject(.partition(from: [blocked.client], to: [blocked.server], oneWay: true))
        let r1 = Results()
        blocked.runClient { await $0.ping(1, to: blocked.server, timeout: .seconds(1), into: r1) }
        #expect(blocked.log.lines.isEmpty)
        #expect(r1.outcomes == [.failed(.timeout(to: "server", deadline: .at(.seconds(1))), at: .at(.seconds(1)))])

        // server → client blocked: the ping arrives and is served, the reply is lost.
        let replyBlocked = World()
        replyBlocked.network.inject(.partition(from: [replyBlocked.server], to: [replyBlocked.client], oneWay: true))
        let r2 = Results()
        replyBlocked.runClient { await $0.ping(1, to: replyBlocked.server, timeout: .seconds(1), into: r2) }
        #expect(replyBlocked.log.lines == ["server got ping 1 at 0.010000000"])
        #expect(r2.outcomes == [.failed(.timeout(to: "server", deadline: .at(.seconds(1))), at: .at(.seconds(1)))])
    }

    @Test("added latency applies while the fault lasts, in both directions")
    func addedLatency() {
        let world = World()
        world.network.schedule(.latency(between: [world.client], and: [world.server], add: .seconds(1)),
                               at: .zero, for: .seconds(5))
        let results = Results()
        world.runClient(at: .at(.seconds(1))) { context in
            await context.ping(1, to: world.server, timeout: .seconds(10), into: results)
            try? await context.clock.sleep(until: .at(.seconds(10)))
            await context.ping(2, to: world.server, timeout: .seconds(10), into: results)
        }
        #expect(results.outcomes == [
            .reply(n: 1, served: 1, at: .at(.milliseconds(3_020))),
            .reply(n: 2, served: 2, at: .at(.milliseconds(10_020))),
        ])
    }

    @Test("loss drops about the given share of messages, reproducibly")
    func lossRate() {
        func delivered(seed: UInt64) -> Int {
            let world = World(seed: seed)
            world.network.inject(.loss(between: [world.client], and: [world.server], rate: 0.3))
            world.runClient { context in
                for n in 0..<2_000 { context.send(Ping(n: n), to: world.server) }
            }
            return world.log.lines.count
        }
        let count = delivered(seed: 5)
        #expect(count > 1_300 && count < 1_500)
        #expect(delivered(seed: 5) == count)
    }

    @Test("a clogged link holds messages and releases them in order")
    func clogging() {
        let world = World()
        world.network.schedule(.clog(from: [world.client], to: [world.server]), at: .zero, for: .seconds(5))
        world.runClient(at: .at(.seconds(1))) { context in
            for n in 0..<3 { context.send(Ping(n: n), to: world.server) }
        }
        #expect(world.log.lines == [
            "server got ping 0 at 5.010000000", "server got ping 1 at 5.010000000", "server got ping 2 at 5.010000000",
        ])
    }

    @Test("a skewed host reads virtual time plus its offset and sleeps by its own clock")
    func clockSkew() {
        let world = World()
        world.network.schedule(.clockSkew(world.server, offset: .seconds(-5)), at: .at(.seconds(1)))
        let results = Results()
        world.runClient(at: .at(.seconds(2))) { await $0.ping(1, to: world.server, timeout: .seconds(1), into: results) }
        // The run went quiescent when the reply arrived at 2.020 s.
        #expect(world.simulation.now == .at(.milliseconds(2_020)))
        #expect(world.network.clock(of: world.server).now == SimInstant(nanoseconds: -2_980_000_000))
        #expect(world.network.clock(of: world.client).now == .at(.milliseconds(2_020)))

        // A sleep until a skewed instant wakes when the skewed clock reads it.
        let skewed = World()
        skewed.network.inject(.clockSkew(skewed.client, offset: .seconds(10)))
        let woke = Results()
        skewed.runClient { context in
            try? await context.clock.sleep(until: .at(.seconds(15)))
            woke.outcomes.append(.reply(n: 0, served: 0, at: context.simulation.now))
        }
        #expect(woke.outcomes == [.reply(n: 0, served: 0, at: .at(.seconds(5)))])
    }

    @Test("a skewed host's pong carries its skewed time")
    func skewVisibleToPeers() {
        let world = World()
        world.network.inject(.clockSkew(world.server, offset: .seconds(-5)))
        final class Box: @unchecked Sendable { var time: SimInstant? }
        let box = Box()
        world.runClient { context in
            let pong = try? await context.request(Ping(n: 1), to: world.server, timeout: .seconds(1), expecting: Pong.self)
            box.time = pong?.serverTime
        }
        #expect(box.time == SimInstant(nanoseconds: -4_990_000_000))
    }

    @Test("a host timer and a host sleep never wake before the host's clock reads their instant, even if it is moved back")
    func timersFollowTheHostClock() {
        let world = World()
        let context = world.clientContext
        final class Box: @unchecked Sendable { var fired: [SimInstant] = [] }
        let box = Box()
        context.schedule(at: .at(.seconds(10))) { box.fired.append(world.simulation.now) }
        context.spawn {
            try? await context.clock.sleep(until: .at(.seconds(10)))
            box.fired.append(world.simulation.now)
        }
        // At 5 s the client's clock is set back 3 s: it reads 10 s only at virtual 13 s.
        world.network.schedule(.clockSkew(world.client, offset: .seconds(-3)), at: .at(.seconds(5)))
        world.simulation.run()
        #expect(box.fired == [.at(.seconds(13)), .at(.seconds(13))])
        #expect(context.pendingTimerCount == 0)
    }

    @Test("cancelling a host timer also cancels its re-armed wait")
    func cancelReArmedTimer() {
        let world = World()
        let context = world.clientContext
        final class Box: @unchecked Sendable { var fired = false }
        let box = Box()
        let timer = context.schedule(at: .at(.seconds(10))) { box.fired = true }
        world.network.schedule(.clockSkew(world.client, offset: .seconds(-3)), at: .at(.seconds(5)))
        world.simulation.schedule(at: .at(.seconds(11))) { context.cancel(timer) }  // during the re-armed wait
        world.simulation.run()
        #expect(!box.fired)
        #expect(context.pendingTimerCount == 0)
    }
}
