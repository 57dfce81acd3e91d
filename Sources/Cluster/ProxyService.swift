import SimulatedNetwork
import SimulationKernel

/// A proxy: relays client connections and channel requests to nodes, and the
/// nodes' notifications back to clients. Keeps no connection state of its own;
/// in `proxy` and `proxy-sync` modes its recorder records the sessions it relays.
///
/// If the node does not answer a connect in time, the proxy answers the client
/// with a `node_down` rejection (the client would otherwise hear nothing).
final class ProxyService: HostService, ReplyTarget, @unchecked Sendable {
    let configuration: ClusterConfiguration
    /// Records the relayed sessions in `proxy*` modes.
    let recorder: RecorderCore?
    /// The requests relayed to nodes and not yet answered, by the token of the relayed
    /// request (``replyArrived(_:token:)``). Touched only from the simulation's loop.
    private var relays = TimerSlots<Relay>()
    /// The context of the incarnation this service runs on (a service is booted per incarnation).
    private let context: HostContext

    /// The channel opens among ``relays``, by token, kept for the recorder (only with one).
    private var openings: [UInt64: OpenChannel] = [:]

    /// A request relayed to a node, waiting for the node's answer: plain values only, so
    /// that keeping and taking one copies a few words (no reference counting).
    private struct Relay {
        /// What was relayed.
        enum Request {
            case connect
            case openChannel
            case disconnect
        }
        let request: Request
        /// The connection it is for.
        let connection: ConnectionID
        let node: HostID
        /// Where the node's answer goes.
        let reply: ReplyHandle
    }

    init(context: HostContext, configuration: ClusterConfiguration, auths: [HostID], ledger: RecordingLedger,
         log: ObservationLog) {
        self.configuration = configuration
        self.context = context
        let mode = configuration.recording.mode
        recorder = mode.recordsAtProxy
            ? RecorderCore(context: context, configuration: configuration, auths: auths, ledger: ledger, log: log) {
                [context] id, nodeName in
                // Ask the node to end the connection, retrying like a close.
                guard let node = context.network.host(named: nodeName) else { return }
                context.sendReliably(TerminateConnection(connection: id, node: node), to: node,
                                     timeout: configuration.disconnectTimeout,
                                     attempts: configuration.disconnectAttempts, expecting: DisconnectAck.self)
            }
            : nil
    }

    func handle(_ message: any NetworkPayload, from sender: HostID, context: HostContext) async -> (any NetworkPayload)? {
        // Everything is relayed at its arrival (`handleInline`); a message reaching
        // this task-based path is one the proxy does not know.
        nil
    }

    /// One-way messages are relayed at their arrival.
    func handleInline(_ message: any NetworkPayload, from sender: HostID, context: HostContext) -> InlineHandling {
        switch message {
        case let close as CloseChannel:
            recorder?.post(.closed(close.connection, channel: close.channel))
            context.send(close, to: close.node)
        case let closed as ConnectionClosedByNode:
            recorder?.post(.connectionEnded(closed.connection))
            context.send(closed, to: closed.client)
        case let status as StreamStatusUpdate:
            recorder?.post(.status(auth: sender, stream: status.stream, status.status))
        default:
            break
        }
        return .handled(nil)
    }

    /// Requests are relayed to their node at their arrival and answered when the
    /// node's reply comes back (no task waits in between).
    func handleInline(_ message: any NetworkPayload, from sender: HostID, context: HostContext,
                      reply: ReplyHandle) -> InlineHandling {
        // Each request is relayed as the payload that came in (no new box); the proxy is
        // the target of the relayed request, by the slot of what its answer needs.
        if let connect = message.exactly(SSHConnect.self) {
            relay(message, to: connect.node, timeout: configuration.clientRequestTimeout,
                  as: Relay(request: .connect, connection: connect.connection, node: connect.node, reply: reply))
        } else if let open = message.exactly(OpenChannel.self) {
            let token = relay(message, to: open.node, timeout: configuration.clientRequestTimeout,
                              as: Relay(request: .openChannel, connection: open.connection, node: open.node,
                                        reply: reply))
            if recorder != nil, open.kind != .portForward { openings[token] = open }
        } else if let disconnect = message.exactly(SSHDisconnect.self) {
            recorder?.post(.connectionEnded(disconnect.connection))
            relay(message, to: disconnect.node, timeout: configuration.disconnectTimeout,
                  as: Relay(request: .disconnect, connection: disconnect.connection, node: disconnect.node,
                            reply: reply))
        } else {
            return handleInline(message, from: sender, context: context)
        }
        return .willReply
    }

    /// Sends `message` on to `node`, keeping `relay` until the node's answer (or its
    /// failure) arrives; returns the relayed request's token.
    @discardableResult
    private func relay(_ message: consuming any NetworkPayload, to node: HostID, timeout: Duration,
                       as relay: Relay) -> UInt64 {
        let token = relays.insert(relay)
        context.request(message, to: node, timeout: timeout, target: self, token: token)
        return token
    }

    /// A node answered a relayed request (or did not in time): the answer goes back to
    /// the requester. A connect with no answer gets a `node_down` rejection from the proxy;
    /// any other request with no answer gets none (its requester times out).
    ///
    /// An answer of the type expected goes back as the payload that came in: checked by
    /// its type, not read out of its box, and not boxed again (a copy and an allocation
    /// per connect and per channel, before).
    func replyArrived(_ outcome: consuming Result<any NetworkPayload, NetworkError>, token: UInt64) {
        guard let relay = relays.remove(token) else { return }
        let node = relay.node
        switch relay.request {
        case .connect:
            switch consume outcome {
            case .success(let answer):
                if type(of: answer) == SSHConnectReply.self {
                    relay.reply.send(answer)
                } else {
                    relayConnectAnswer(context.typed(.success(answer), from: node), relay: relay)
                }
            case .failure(let error):
                relayConnectAnswer(.failure(error), relay: relay)
            }
        case .openChannel:
            let opening = recorder == nil ? nil : openings.removeValue(forKey: token)
            switch consume outcome {
            case .success(let answer):
                if type(of: answer) == OpenChannelReply.self {
                    if let opening, case .opened? = answer.exactly(OpenChannelReply.self)?.outcome {
                        recordOpened(opening, node: node)
                    }
                    relay.reply.send(answer)
                } else if let reply = answer as? OpenChannelReply {
                    if let opening, case .opened = reply.outcome { recordOpened(opening, node: node) }
                    relay.reply.send(reply)
                }
            case .failure:
                return
            }
        case .disconnect:
            let answer = try? (context.typed(consume outcome, from: node) as Result<DisconnectAck, NetworkError>).get()
            relay.reply.send(answer)
        }
    }

    /// Tells the recorder that the channel `open` asked for is open.
    private func recordOpened(_ open: OpenChannel, node: HostID) {
        recorder?.post(.opened(open.connection, channel: open.channel, user: open.user,
                               node: context.network.name(of: node), output: open.output))
    }

    /// Answers a relayed connect with the node's typed answer, or with the proxy's own
    /// `node_down` rejection when the node did not answer.
    private func relayConnectAnswer(_ answer: Result<SSHConnectReply, NetworkError>, relay: Relay) {
        switch answer {
        case .success(let answer):
            relay.reply.send(answer)
        case .failure(let error):
            let message = "node \(context.network.name(of: relay.node)) did not answer: \(error)"
            relay.reply.send(SSHConnectReply(connection: relay.connection,
                                             outcome: .rejected(.nodeDown, message: message)))
        }
    }
}
