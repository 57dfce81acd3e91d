import SimulatedNetwork
import SimulationKernel

/// A proxy: relays client connections and channel requests to nodes, and the
/// nodes' notifications back to clients. Keeps no connection state of its own;
/// in `proxy` and `proxy-sync` modes its recorder records the sessions it relays.
///
/// If the node does not answer a connect in time, the proxy answers the client
/// with a `node_down` rejection (the client would otherwise hear nothing).
final class ProxyService: HostService {
    let configuration: ClusterConfiguration
    /// Records the relayed sessions in `proxy*` modes.
    let recorder: RecorderCore?

    init(context: HostContext, configuration: ClusterConfiguration, auths: [HostID], ledger: RecordingLedger,
         log: ObservationLog) {
        self.configuration = configuration
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
        let timeout = configuration.clientRequestTimeout
        // Each request is relayed as the payload that came in (no new box), with the reply
        // typed inside one callback that captures only what it needs.
        if let connect = message.exactly(SSHConnect.self) {
            let node = connect.node
            let connection = connect.connection
            context.request(message, to: node, timeout: timeout) { outcome in
                switch context.typed(consume outcome, from: node) as Result<SSHConnectReply, NetworkError> {
                case .success(let answer):
                    reply.send(answer)
                case .failure(let error):
                    reply.send(SSHConnectReply(
                        connection: connection,
                        outcome: .rejected(.nodeDown, message: "node \(context.network.name(of: node)) did not answer: \(error)")))
                }
            }
        } else if let open = message.exactly(OpenChannel.self) {
            let recorder = self.recorder
            context.request(message, to: open.node, timeout: timeout) { outcome in
                let answer = try? (context.typed(consume outcome, from: open.node) as Result<OpenChannelReply, NetworkError>).get()
                if let recorder, case .opened? = answer?.outcome, open.kind != .portForward {
                    recorder.post(.opened(open.connection, channel: open.channel, user: open.user,
                                          node: context.network.name(of: open.node), output: open.output))
                }
                reply.send(answer)
            }
        } else if let disconnect = message.exactly(SSHDisconnect.self) {
            recorder?.post(.connectionEnded(disconnect.connection))
            let node = disconnect.node
            context.request(message, to: node, timeout: configuration.disconnectTimeout) { outcome in
                reply.send(try? (context.typed(consume outcome, from: node) as Result<DisconnectAck, NetworkError>).get())
            }
        } else {
            return handleInline(message, from: sender, context: context)
        }
        return .willReply
    }
}
