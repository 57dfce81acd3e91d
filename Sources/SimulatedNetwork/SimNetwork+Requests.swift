import SimulationKernel

/// Requests and replies: a request is registered with its waiter (a task, a callback or
/// a reply target) and a deadline timer, sent, and completed by its reply, its deadline,
/// or its caller going down.
extension SimNetwork {
    /// Sends `payload` as a request and waits for the reply until `deadline`.
    func request(
        _ payload: any NetworkPayload, from source: HostID, to destination: HostID, deadline: SimInstant,
        isolation: isolated (any Actor)?
    ) async throws(NetworkError) -> any NetworkPayload {
        simulation.checkContained()
        if Task.isCancelled { throw .cancelled }
        let id = newRequestID()
        do {
            return try await withTaskCancellationHandler {
                try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<any NetworkPayload, any Error>) in
                    if Task.isCancelled {
                        continuation.resume(throwing: NetworkError.cancelled)
                        return
                    }
                    startRequest(id, payload, from: source, to: destination, deadline: deadline, waiter: .task(continuation))
                }
            } onCancel: {
                if self.simulation.isOnLoopThread {
                    self.failRequest(id, with: .cancelled)
                } else {
                    self.simulation.schedule(at: .zero) { [self] in failRequest(id, with: .cancelled) }
                }
            }
        } catch let error as NetworkError {
            throw error
        } catch {
            throw .cancelled
        }
    }

    /// Sends `payload` as a request and calls `onReply` on the loop when its reply
    /// arrives or it fails (at `deadline`, or at once if the caller goes down).
    ///
    /// The callback form of ``request(_:from:to:deadline:isolation:)``: no task waits,
    /// so a service can chain requests from message to message without a job per step.
    /// `onReply` is not called if the calling host has crashed or restarted by then;
    /// the incarnation that asked is gone, and with it whatever wanted the answer.
    func request(
        _ payload: consuming any NetworkPayload, from source: HostID, to destination: HostID, deadline: SimInstant,
        onReply: consuming @escaping @Sendable (consuming Result<any NetworkPayload, NetworkError>) -> Void
    ) {
        request(payload, from: source, to: destination, deadline: deadline, waiter: .callback(onReply))
    }

    /// Sends `payload` as a request and calls `target` with `token` and the outcome
    /// (``request(_:from:to:deadline:onReply:)`` without a closure).
    func request(
        _ payload: consuming any NetworkPayload, from source: HostID, to destination: HostID, deadline: SimInstant,
        target: any ReplyTarget, token: UInt64
    ) {
        request(payload, from: source, to: destination, deadline: deadline, waiter: .target(target, token))
    }

    /// Sends `payload` as a request whose outcome goes to `waiter` (a callback or a reply
    /// target; a task's request takes its id first, for its cancellation handler).
    private func request(
        _ payload: consuming any NetworkPayload, from source: HostID, to destination: HostID, deadline: SimInstant,
        waiter: consuming PendingRequest.Waiter
    ) {
        simulation.checkContained()
        startRequest(newRequestID(), payload, from: source, to: destination, deadline: deadline, waiter: waiter)
    }

    /// The next request's id (ids count from 1 and are never reused).
    private func newRequestID() -> UInt64 {
        defer { nextRequestID &+= 1 }
        return nextRequestID
    }

    /// Registers request `id` with its waiter and deadline timer, and sends it.
    private func startRequest(
        _ id: UInt64, _ payload: consuming any NetworkPayload, from source: HostID, to destination: HostID,
        deadline: SimInstant, waiter: consuming PendingRequest.Waiter
    ) {
        let timer = scheduleDeadline(deadline, of: id)
        pendingRequests.insert(PendingRequest(
            waiter: waiter, timer: timer, caller: source, callerIncarnation: incarnations[source.index],
            destination: destination, deadline: deadline), id: id)
        transmit(Message(kind: .request(id), from: source, to: destination, payload: payload))
    }

    /// The timer of request `id`'s deadline: in the lane of its timeout, if it has one
    /// or may open one.
    private func scheduleDeadline(_ deadline: SimInstant, of id: UInt64) -> TimerID {
        let timeout = deadline.nanoseconds &- simulation.now.nanoseconds
        // The lane found by index and the loop left before the call: iterating the array
        // across the call would retain and release its buffer on every request.
        var found: TimerLaneID?
        for index in deadlineLanes.indices where deadlineLanes[index].timeout == timeout {
            found = deadlineLanes[index].lane
            break
        }
        if let found { return simulation.schedule(at: deadline, in: found, token: id) }
        guard deadlineLanes.count < Self.maximumDeadlineLanes else {
            return simulation.schedule(at: deadline, target: deadlines, token: id)
        }
        let lane = simulation.makeTimerLane(target: deadlines)
        deadlineLanes.append((timeout, lane))
        return simulation.schedule(at: deadline, in: lane, token: id)
    }

    /// Transmits the reply of a request answered later (see ``ReplyHandle``).
    func sendReply(_ reply: consuming any NetworkPayload, to handle: ReplyHandle) {
        simulation.checkContained()
        guard liveIncarnations[handle.replier.index] == handle.incarnation else { return }
        transmit(Message(kind: .response(handle.request), from: handle.replier, to: handle.requester, payload: reply))
    }

    /// A request's deadline passed without a reply.
    func requestTimedOut(_ id: UInt64) {
        guard let pending = pendingRequests[id] else { return }
        failRequest(id, with: .timeout(to: name(of: pending.destination), deadline: pending.deadline))
    }

    func failRequest(_ id: UInt64, with error: NetworkError) {
        guard let pending = pendingRequests.removeValue(forKey: id) else { return }
        simulation.cancelTimer(pending.timer)
        if case .timeout = error { statistics.requestsTimedOut += 1 }
        complete(pending, with: .failure(error))
    }

    /// Hands a request's outcome to whoever waits for it: resumes the task, or calls
    /// the callback if the incarnation that asked is still up.
    func complete(_ pending: consuming PendingRequest, with result: consuming Result<any NetworkPayload, NetworkError>) {
        switch pending.waiter {
        case .task(let continuation):
            continuation.resume(with: result.mapError { $0 as any Error })
        case .callback(let onReply):
            guard liveIncarnations[pending.caller.index] == pending.callerIncarnation else { return }
            onReply(result)
        case .target(let target, let token):
            guard liveIncarnations[pending.caller.index] == pending.callerIncarnation else { return }
            target.replyArrived(result, token: token)
        }
    }
}

/// A request waiting for its reply.
struct PendingRequest {
    /// Who waits for a request's reply: a suspended task, a callback, or a reply target.
    enum Waiter {
        case task(UnsafeContinuation<any NetworkPayload, any Error>)
        case callback(@Sendable (consuming Result<any NetworkPayload, NetworkError>) -> Void)
        case target(any ReplyTarget, UInt64)
    }

    let waiter: Waiter
    let timer: TimerID
    let caller: HostID
    let callerIncarnation: UInt64
    let destination: HostID
    /// Virtual time at which the caller gives up.
    let deadline: SimInstant
}

/// The timer target of requests' deadlines: a timer's token is its request's id.
final class RequestDeadlines: TimerTarget, @unchecked Sendable {
    unowned(unsafe) let network: SimNetwork

    init(network: SimNetwork) { self.network = network }

    func timerFired(token: UInt64) { network.requestTimedOut(token) }
}
