/// The serial executor of one simulated actor: a distinct identity whose jobs all
/// run on the owning ``Simulation``'s loop.
///
/// An actor adopts it with:
/// ```swift
/// nonisolated let executor: SimActorExecutor
/// nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
/// ```
public final class SimActorExecutor: SerialExecutor, @unchecked Sendable {
    /// The simulation that runs this actor's jobs.
    public unowned let simulation: Simulation

    init(simulation: Simulation) { self.simulation = simulation }

    public func enqueue(_ job: consuming ExecutorJob) {
        simulation.enqueue(ReadyJob(job: UnownedJob(job), actorExecutor: asUnownedSerialExecutor()))
    }

    public func checkIsolated() {
        precondition(simulation.isOnLoopThread, "not on the simulation's loop thread")
    }
}
