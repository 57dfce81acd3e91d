import Dispatch
import SimulationKernel
import Testing

@Suite("Containment (no-escape)")
struct ContainmentTests {
    @Test("a stress of actors creating tasks, groups and continuations never escapes")
    func stressStaysContained() {
        let simulation = Simulation(seed: 11)
        let workers = (0..<16).map { Worker(name: "w\($0)", simulation: simulation) }
        let done = Collector<Int>()
        for (index, worker) in workers.enumerated() {
            simulation.spawn {
                await withTaskGroup(of: Void.self) { group in
                    for round in 0..<10 {
                        group.addTask {
                            let value: Int = await withCheckedContinuation { continuation in
                                simulation.spawn {
                                    try? await simulation.sleep(for: .milliseconds(round))
                                    continuation.resume(returning: await worker.compute(round))
                                }
                            }
                            await workers[(index + 1) % workers.count].receive("\(value)", from: worker.name)
                        }
                    }
                }
                let task = simulation.spawn { await worker.work(rounds: 2, peers: workers) }
                await task.value
                done.values.append(index)
            }
        }
        simulation.run()
        #expect(done.values.count == 16)
        #expect(simulation.counters.foreignEnqueues == 0)
        #expect(simulation.counters.escapes == 0)
        #expect(simulation.counters.isContained)
    }

    @Test("a detached task that touches the simulation is caught as a foreign enqueue and an escape")
    func detachedTaskIsCaught() {
        let simulation = Simulation(seed: 1)
        let signal = DispatchSemaphore(value: 0)
        simulation.spawn {
            Task.detached {
                simulation.trace.record("escaped")  // runs on the global pool: an escape
                simulation.spawn { }  // enqueued from a foreign thread
                signal.signal()
            }
            signal.wait()  // block the loop (test only) so the detached task runs during the run
        }
        simulation.run()
        #expect(simulation.counters.escapes == 1)
        #expect(simulation.counters.foreignEnqueues == 1)
        #expect(!simulation.counters.isContained)
    }

    @Test("work set up from another thread between runs is foreign too")
    func foreignSetupBetweenRuns() {
        let simulation = Simulation(seed: 1)
        simulation.spawn { }  // from the owner thread: fine
        simulation.run()
        #expect(simulation.counters.isContained)
        let signal = DispatchSemaphore(value: 0)
        Thread.detachNewThreadWithoutFoundation {
            simulation.spawn { }
            signal.signal()
        }
        signal.wait()
        simulation.run()
        #expect(simulation.counters.foreignEnqueues == 1)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal OS thread, so the test does not need Foundation.
enum Thread {
    static func detachNewThreadWithoutFoundation(_ body: @escaping @Sendable () -> Void) {
        final class Box: @unchecked Sendable { let body: @Sendable () -> Void; init(_ b: @escaping @Sendable () -> Void) { body = b } }
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            let box = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! Box
            box.body()
            return nil
        }, box)
        precondition(result == 0)
        pthread_detach(thread)
    }
}
