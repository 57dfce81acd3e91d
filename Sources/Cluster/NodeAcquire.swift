import SessionControl
import SimulatedNetwork
import SimulationKernel

/// A connect waiting for auth's answer to its acquire: what the answer needs, in the
/// reply target of the acquire (one object per connect, where a closure and its
/// isolated step allocated two contexts).
final class NodeAcquire: ReplyTarget, @unchecked Sendable {
    let core: NodeCore
    let request: SSHConnect
    let semaphoreKey: SemaphoreKey
    /// Where notifications for the client go.
    let replyTo: HostID
    let limits: EffectiveLimits
    let maxConnections: Int
    /// When the acquire was sent (virtual time), for its latency.
    let sentAt: SimInstant
    let auth: HostID
    /// Where the connect's answer goes.
    let answer: ReplyHandle

    init(core: NodeCore, request: SSHConnect, semaphoreKey: SemaphoreKey, replyTo: HostID, limits: EffectiveLimits,
         maxConnections: Int, sentAt: SimInstant, auth: HostID, answer: ReplyHandle) {
        self.core = core
        self.request = request
        self.semaphoreKey = semaphoreKey
        self.replyTo = replyTo
        self.limits = limits
        self.maxConnections = maxConnections
        self.sentAt = sentAt
        self.auth = auth
        self.answer = answer
    }

    /// Auth answered the acquire (or did not in time): admit or refuse, and answer the connect.
    func replyArrived(_ outcome: consuming Result<any NetworkPayload, NetworkError>, token: UInt64) {
        let result: Result<SemaphoreLease, SemaphoreError>
        switch core.context.typed(consume outcome, from: auth) as Result<SemaphoreAnswer, NetworkError> {
        case .success(let reply): result = reply.result
        case .failure(let error): result = .failure(.unavailable("auth unreachable: \(error)"))
        }
        let reply = core.onLoop((self, result)) { core, answer in core.acquireCompleted(answer.0, result: answer.1) }
        answer.send(reply)
    }
}
