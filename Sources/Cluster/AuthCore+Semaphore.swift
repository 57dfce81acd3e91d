import SessionControl
import SimulatedNetwork
import SimulationKernel

extension AuthCore {
    /// Starts one semaphore operation for a node and answers it through `reply`
    /// when its machine finishes: each backend reply or back-off timer steps the
    /// machine on, with no task waiting in between (see ``SemaphoreOperationRun``).
    nonisolated func start(_ operation: consuming SemaphoreCall.Operation, reply: ReplyHandle) {
        switch consume operation {
        case .acquire(let request):
            SemaphoreOperationRun(
                SemaphoreAcquireStateMachine(request: request, profile: configuration.behavior), core: self, reply: reply
            ).start()
        case .keepAlive(let request):
            SemaphoreOperationRun(SemaphoreKeepAliveStateMachine(request: request), core: self, reply: reply).start()
        case .cancel(let request):
            SemaphoreOperationRun(
                SemaphoreCancelStateMachine(request: request, profile: configuration.behavior), core: self, reply: reply
            ).start()
        }
    }
}

/// One semaphore operation in flight on auth: its state machine, and the effects
/// of the actions it returns (backend round trips and back-off sleeps).
///
/// Driven entirely from the simulation loop: a backend reply (the run is its
/// requests' ``ReplyTarget``) or an elapsed back-off feeds the machine, and the next
/// action is performed at once.
/// The retry jitter comes from auth's own random stream, so the draws are the same
/// as those of a task that awaited each step. If auth goes down meanwhile, nothing
/// more happens (its callbacks and timers die with the incarnation) and the node
/// times out, as it would waiting for a crashed auth.
final class SemaphoreOperationRun<Machine: SemaphoreBackendOperation>: ReplyTarget, @unchecked Sendable {
    private var machine: Machine
    private let core: AuthCore
    private let reply: ReplyHandle
    /// The backend operation awaiting its answer (the run is the reply target of its
    /// requests, so no closure per request keeps it).
    private var awaiting = SemaphoreBackendStep.get

    init(_ machine: Machine, core: AuthCore, reply: ReplyHandle) {
        self.machine = machine
        self.core = core
        self.reply = reply
    }

    /// Performs the machine's first action.
    func start() {
        perform(machine.start(now: core.context.clock.now))
    }

    private func perform(_ action: consuming SemaphoreAction) {
        let context = core.context
        switch action {
        case .succeed(let lease):
            reply.send(SemaphoreAnswer(result: .success(lease)))
            return
        case .fail(let error):
            reply.send(SemaphoreAnswer(result: .failure(error)))
            return
        case .sleep(let duration):
            context.simulation.schedule(after: duration) { [self] in
                guard context.isCurrent else { return }
                perform(machine.sleepCompleted(now: context.clock.now))
            }
            return
        case .get, .create, .compareAndSwap:
            break
        }
        // The run keeps which operation it was, not the action: a compare-and-swap
        // holds two semaphores, and a copy of them per request is a retain per string.
        // The action itself moves into the call (its last use), uncopied.
        awaiting = SemaphoreBackendStep(action)
        context.request(BackendCall(action: action), to: core.backend,
                        timeout: core.configuration.backendRequestTimeout, target: self, token: 0)
    }

    /// Feeds the backend's answer to `machine`, in place: a static function with the
    /// machine `inout`, since stepping it from the run's own method copied the answer
    /// out of its message first (measured).
    private static func step(
        _ machine: inout Machine, _ awaiting: SemaphoreBackendStep, answer: BackendAnswer, now: SimInstant,
        random: inout SeededRandom
    ) -> SemaphoreAction {
        machine.backendCompleted(awaiting, result: answer.result, now: now, random: &random)
    }

    /// The backend answered the operation in ``awaiting`` (or the request failed).
    func replyArrived(_ outcome: consuming Result<any NetworkPayload, NetworkError>, token: UInt64) {
        let context = core.context
        switch context.typed(consume outcome, from: core.backend) as Result<BackendAnswer, NetworkError> {
        case .success(let answer):
            // Auth's jitter stream is borrowed for the step and given back: two steps on
            // auth that capture nothing, where one closure around the machine (generic
            // over it) would allocate its context and its arguments' metadata.
            var random = core.onLoop(()) { core, _ in core.random }
            let next = Self.step(&machine, awaiting, answer: answer, now: context.clock.now, random: &random)
            core.onLoop(random) { $0.random = $1 }
            perform(next)
        case .failure(let error):
            reply.send(SemaphoreAnswer(result: .failure(.unavailable("backend unreachable: \(error)"))))
        }
    }
}
