import SimulatedNetwork
import SimulationKernel

/// A proxy: relays client connections and channel requests to nodes, and the
/// nodes' notifications back to clients. Keeps no state of its own.
///
/// If the node does not answer a connect in time, the proxy answers the client
/// with a `node_down` rejection (the client would otherwise hear nothing).
final class ProxyService: HostService {
    let configuration: ClusterConfiguration

    init(configuration: ClusterConfiguration) {
        self.configuration = configuration
    }

    func handle(_ message: any NetworkPayload, from sender: HostID, context: HostContext) async -> (any NetworkPayload)? {
        let timeout = configuration.clientRequestTimeout
        switch message {
        case let connect as SSHConnect:
            do {
                return try await context.request(connect, to: connect.node, timeout: timeout, expecting: SSHConnectReply.self)
            } catch {
                return SSHConnectReply(
                    connection: connect.connection,
                    outcome: .rejected(.nodeDown, message: "node \(context.network.name(of: connect.node)) did not answer: \(error)"))
            }
        case let open as OpenChannel:
            return try? await context.request(open, to: open.node, timeout: timeout, expecting: OpenChannelReply.self)
        case let close as CloseChannel:
            context.send(close, to: close.node)
        case let disconnect as SSHDisconnect:
            return try? await context.request(disconnect, to: disconnect.node, timeout: configuration.disconnectTimeout,
                                              expecting: DisconnectAck.self)
        case let closed as ConnectionClosedByNode:
            context.send(closed, to: closed.client)
        default:
            break
        }
        return nil
    }
}
