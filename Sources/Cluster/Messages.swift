import SessionControl
import SimulatedNetwork
import SimulationKernel

/// Identifies one SSH connection across the cluster.
public struct ConnectionID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let raw: UInt64
    public init(_ raw: UInt64) { self.raw = raw }
    public static func < (lhs: ConnectionID, rhs: ConnectionID) -> Bool { lhs.raw < rhs.raw }
    public var description: String { String("c", decimal: raw) }
    /// The lease id a node uses for this connection's semaphore lease (made on every connect).
    public var leaseID: String { String("lease-", decimal: raw) }

    /// The connection whose lease id (``leaseID``) is `leaseID`, if it is one: `lease-`
    /// then the number, as `UInt64(_:)` reads it. Plain digits are read from the bytes
    /// (the checker reads every lease's id); any other form goes through `UInt64(_:)`.
    public init?(leaseID: String) {
        let parsed: UInt64?? = leaseID.utf8.withContiguousStorageIfAvailable { bytes -> UInt64? in
            guard bytes.count > 6, bytes.starts(with: Self.leaseIDPrefix) else { return nil }
            var raw: UInt64 = 0
            for byte in bytes[6...] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                let (times10, overflow) = raw.multipliedReportingOverflow(by: 10)
                let (sum, carry) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                guard !overflow, !carry else { return nil }
                raw = sum
            }
            return raw
        }
        if let parsed, let raw = parsed {
            self.init(raw)
        } else if leaseID.hasPrefix("lease-"), let raw = UInt64(leaseID.dropFirst(6)) {
            self.init(raw)
        } else {
            return nil
        }
    }

    /// The bytes of `lease-`, which begins every lease id.
    private static let leaseIDPrefix: [UInt8] = Array("lease-".utf8)

    /// The hash that `Dictionary` and `Set` use: the number mixed with the table's
    /// seed by the SplitMix64 finaliser, instead of a full SipHash round (clients and
    /// nodes look connections up by id several times per message).
    ///
    /// Equal ids hash equal, and every bit of the number reaches every bit of the hash.
    /// Orders that reach an output never come from a table's layout, so the hash may
    /// change between builds. `hash(into:)` still feeds `raw`, for hashes of compound values.
    public func _rawHashValue(seed: Int) -> Int {
        Int(truncatingIfNeeded: SplitMix64.finalize(raw ^ UInt64(UInt(bitPattern: seed))))
    }
}

/// The kind of a channel a client opens on a connection.
public enum ChannelRequestKind: String, Sendable, Hashable {
    /// A session channel (shell, exec, scp).
    case session
    /// A session channel the client opens on its own (e.g. `scp` resolving `~`).
    case hiddenSession
    /// Port forwarding: never counted against `max_sessions`.
    case portForward
}

// MARK: - Client ↔ proxy ↔ node

/// Open an SSH connection to `node` (relayed by a proxy, if any).
struct SSHConnect: NetworkPayload {
    let connection: ConnectionID
    let user: String
    let login: String
    let node: HostID
    let client: HostID
    var traceLabel: String { "ssh.connect \(connection) \(user)" }
}

/// A node's answer to ``SSHConnect``.
struct SSHConnectReply: NetworkPayload {
    enum Outcome: Sendable, Hashable {
        case accepted
        case rejected(ConnectionRejection, message: String)
    }
    let connection: ConnectionID
    let outcome: Outcome
    var traceLabel: String { "ssh.connect.reply \(connection)" }
}

/// Open a channel on a live connection.
struct OpenChannel: NetworkPayload {
    let connection: ConnectionID
    let channel: UInt32
    let kind: ChannelRequestKind
    let node: HostID
    /// The user, and the output the session will produce (for its recorder).
    let user: String
    let output: SessionOutput
    var traceLabel: String { "ssh.channel.open \(connection)/\(channel)" }
}

/// A node's answer to ``OpenChannel``.
struct OpenChannelReply: NetworkPayload {
    enum Outcome: Sendable, Hashable {
        case opened
        case rejected(message: String)
        case noSuchConnection
    }
    let outcome: Outcome
    var traceLabel: String { "ssh.channel.reply" }
}

/// Close one channel (one-way).
struct CloseChannel: NetworkPayload {
    let connection: ConnectionID
    let channel: UInt32
    let node: HostID
    var traceLabel: String { "ssh.channel.close \(connection)/\(channel)" }
}

/// Close a connection normally. Sent as a request and retried until acknowledged
/// (a real client's close is reliable: TCP retransmits it).
struct SSHDisconnect: NetworkPayload {
    let connection: ConnectionID
    let node: HostID
    var traceLabel: String { "ssh.disconnect \(connection)" }
}

/// A node's acknowledgement of ``SSHDisconnect`` (also for unknown connections).
struct DisconnectAck: NetworkPayload {
    var traceLabel: String { "ssh.disconnect.ack" }
}

/// A node closed the connection on its own (one-way, node → client).
struct ConnectionClosedByNode: NetworkPayload {
    let connection: ConnectionID
    let client: HostID
    let reason: ConnectionTermination
    var traceLabel: String { "ssh.closed \(connection) \(reason.rawValue)" }
}

// MARK: - Node ↔ auth

/// A semaphore request from a node to auth.
struct SemaphoreCall: NetworkPayload {
    enum Operation: Sendable, Hashable {
        case acquire(AcquireSemaphoreRequest)
        case keepAlive(KeepAliveSemaphoreRequest)
        case cancel(CancelSemaphoreRequest)
    }
    let operation: Operation
    var traceLabel: String {
        switch operation {
        case .acquire(let r): "sem.acquire \(r.leaseID)"
        case .keepAlive(let r): "sem.keepalive \(r.leaseID)"
        case .cancel(let r): "sem.cancel \(r.leaseID)"
        }
    }
}

/// Auth's answer to a ``SemaphoreCall``.
struct SemaphoreAnswer: NetworkPayload {
    let result: Result<SemaphoreLease, SemaphoreError>
    var traceLabel: String {
        switch result {
        case .success(let lease): "sem.ok \(lease.leaseID)"
        case .failure(let error): "sem.error \(error.code.rawValue)"
        }
    }
}

/// An audit event from a node to auth.
struct EmitAuditEvent: NetworkPayload {
    let event: SessionRejectedEvent
    var traceLabel: String { "audit.emit \(event.uid)" }
}

/// Auth's acknowledgement of a stored audit event.
struct AuditAck: NetworkPayload {
    var traceLabel: String { "audit.ack" }
}

// MARK: - Auth ↔ backend

/// One backend operation from auth.
///
/// A class, as is ``BackendAnswer``: in a message it is one reference, so reading it
/// out of the message is one retain rather than a copy of the action (whose
/// compare-and-swap holds two semaphores), and its allocation replaces the box the
/// struct needed. (The other payloads measured no faster as classes.)
final class BackendCall: NetworkPayload {
    let action: SemaphoreAction

    init(action: SemaphoreAction) { self.action = action }

    var traceLabel: String {
        switch action {
        case .get(let key): "backend.get \(key)"
        case .create(let key, _): "backend.create \(key)"
        case .compareAndSwap(let key, _, _): "backend.cas \(key)"
        case .sleep, .succeed, .fail: "backend.invalid"
        }
    }
}

/// The backend's answer (a class, like ``BackendCall``).
final class BackendAnswer: NetworkPayload {
    let result: BackendResult<Semaphore>

    init(result: BackendResult<Semaphore>) { self.result = result }

    var traceLabel: String {
        switch result {
        case .success: "backend.ok"
        case .failure(let error): "backend.error \(error.code.rawValue)"
        }
    }
}
