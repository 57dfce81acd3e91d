import SimulatedNetwork
import SimulationKernel

/// One run of a client's steps: a connect and the channels opened on it, or channels
/// opened on a live connection. The reply target of its requests.
///
/// Each reply starts the next step, on the simulation loop, with no task waiting in
/// between. What the steps share (the connection, its node, how many channels are
/// left, what to do at the end) lives here, in one object per run, where a closure
/// per step held it before: a connect and its session channel allocated seven closure
/// contexts, and now allocate this object.
///
/// The steps, in order: the connect (``Step/connect``); then, for each of the `remaining`
/// session channels, with `scp` the hidden channel an OpenSSH `scp` opens first
/// (``Step/hiddenChannel``), and the session channel (``Step/sessionChannel``); then the
/// end (``ClientCore/channelsOpened(_:)``). A channel step on a connection that has ended
/// fails at once, without a message, as it always did.
final class ClientAttempt: ReplyTarget, @unchecked Sendable {
    /// What a reply answers (the token of the request).
    enum Step: UInt64 {
        case connect
        case hiddenChannel
        case sessionChannel
    }

    /// What happens once the channels have been tried.
    enum Ending {
        /// A connect: arm the connection's hold (if any) and report the connection.
        case connected(hold: Duration?, completion: (@Sendable (ConnectionID?) -> Void)?)
        /// Channels on a live connection: call back.
        case channelsOpened((@Sendable () -> Void)?)
    }

    let core: ClientCore
    let id: ConnectionID
    /// Session channels still to open.
    var remaining: Int
    /// Whether each session channel is preceded by scp's hidden one.
    let scp: Bool
    /// How long each session channel stays open before the client closes it (nil: open
    /// until the connection ends).
    let channelHold: Duration?
    let ending: Ending
    /// The number of the channel whose open is in flight.
    var channel: UInt32 = 0

    /// For a connect: where it goes, and what the connection is named by.
    let node: HostID
    let nodeName: String
    let via: HostID
    let handle: String?
    let output: SessionOutput

    init(core: ClientCore, id: ConnectionID, node: HostID, nodeName: String, via: HostID, handle: String?,
         sessions: Int, scp: Bool, channelHold: Duration?, output: SessionOutput, ending: Ending) {
        self.core = core
        self.id = id
        self.node = node
        self.nodeName = nodeName
        self.via = via
        self.handle = handle
        self.remaining = sessions
        self.scp = scp
        self.channelHold = channelHold
        self.output = output
        self.ending = ending
    }

    /// A step's reply (or its failure) arrived: the next step, on the client's actor.
    func replyArrived(_ outcome: consuming Result<any NetworkPayload, NetworkError>, token: UInt64) {
        let context = core.context
        if token == Step.connect.rawValue {
            let result: Result<SSHConnectReply, NetworkError> = context.typed(consume outcome, from: via)
            core.onLoop((self, result)) { core, answer in core.connectAnswered(answer.0, result: answer.1) }
        } else {
            let result: Result<OpenChannelReply, NetworkError> = context.typed(consume outcome, from: via)
            var opened = false
            if case .success(let reply) = result, case .opened = reply.outcome { opened = true }
            let step: Step = token == Step.hiddenChannel.rawValue ? .hiddenChannel : .sessionChannel
            core.onLoop((self, step, opened)) { core, answer in
                core.channelAnswered(answer.0, step: answer.1, opened: answer.2)
            }
        }
    }
}

extension ClientCore {
    /// The connect of `attempt` was answered (or failed): keep the connection and open its
    /// channels, or give up.
    func connectAnswered(_ attempt: ClientAttempt, result: Result<SSHConnectReply, NetworkError>) {
        let id = attempt.id
        switch result {
        case .failure(let error):
            world.log.append(.connectionRejected(id, user: user, node: attempt.nodeName, reason: .nodeDown,
                                                 message: "no answer: \(error)"), host: context.name)
            // The node may have accepted after all (its reply was lost): a client that
            // gives up closes the connection, as closing its TCP socket would.
            sendDisconnect(id, node: attempt.node, via: attempt.via)
            attempt.finish(with: nil)
            return
        case .success(let reply):
            switch reply.outcome {
            case .rejected(.nodeDown, let message):
                // Only the proxy says node_down; nodes log their own rejections.
                world.log.append(.connectionRejected(id, user: user, node: attempt.nodeName, reason: .nodeDown,
                                                     message: message), host: context.name)
                sendDisconnect(id, node: attempt.node, via: attempt.via)
                attempt.finish(with: nil)
                return
            case .rejected:
                attempt.finish(with: nil)
                return
            case .accepted:
                break
            }
        }
        connections[id] = ClientConnection(node: attempt.node, via: attempt.via, output: attempt.output)
        if let handle = attempt.handle { world.handles[handle] = (context.host, id) }
        openNextChannel(attempt)
    }

    /// Opens the next channel of `attempt`, or ends it when every session channel has been tried.
    func openNextChannel(_ attempt: ClientAttempt) {
        guard attempt.remaining > 0 else {
            channelsOpened(attempt)
            return
        }
        openChannel(attempt, step: attempt.scp ? .hiddenChannel : .sessionChannel)
    }

    /// Sends the open of `step`'s channel; on an ended connection, the step fails at once.
    private func openChannel(_ attempt: ClientAttempt, step: ClientAttempt.Step) {
        guard let connection = connections[attempt.id] else {
            channelAnswered(attempt, step: step, opened: false)
            return
        }
        let channel = connection.nextChannel
        connection.nextChannel += 1
        attempt.channel = channel
        let kind: ChannelRequestKind = step == .hiddenChannel ? .hiddenSession : .session
        let request = OpenChannel(connection: attempt.id, channel: channel, kind: kind, node: connection.node,
                                  user: user, output: kind == .session ? connection.output : .none)
        context.request(request, to: connection.via, timeout: world.configuration.clientRequestTimeout,
                        target: attempt, token: step.rawValue)
    }

    /// A channel of `attempt` was answered: after scp's hidden channel comes the session
    /// channel (whatever the answer); after a session channel, the next one.
    func channelAnswered(_ attempt: ClientAttempt, step: ClientAttempt.Step, opened: Bool) {
        switch step {
        case .hiddenChannel:
            openChannel(attempt, step: .sessionChannel)
        case .sessionChannel:
            if opened, let hold = attempt.channelHold, let node = connections[attempt.id]?.node {
                let id = attempt.id
                let channel = attempt.channel
                context.schedule(virtualDelay: hold) { [self] in
                    assumeIsolatedOnLoop { $0.closeChannel(id, channel: channel, node: node) }
                }
            }
            attempt.remaining -= 1
            openNextChannel(attempt)
        case .connect:
            preconditionFailure("a connect's reply is not a channel's")
        }
    }

    /// Every channel of `attempt` has been tried: arm a connect's hold and report.
    func channelsOpened(_ attempt: ClientAttempt) {
        switch attempt.ending {
        case .connected(let hold, let completion):
            if let hold, connections[attempt.id] != nil {
                // A target timer (the client itself, by connection): no closure per connection.
                connections[attempt.id]?.holdTimer = context.schedule(virtualDelay: hold, target: self,
                                                                      token: attempt.id.raw)
            }
            completion?(attempt.id)
        case .channelsOpened(let completion):
            completion?()
        }
    }
}

extension ClientAttempt {
    /// A connect that ends without a connection (refused, or no answer).
    func finish(with connection: ConnectionID?) {
        if case .connected(_, let completion) = ending { completion?(connection) }
    }
}
