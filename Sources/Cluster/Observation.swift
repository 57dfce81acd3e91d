public import SessionControl
public import SimulationKernel

/// Why a node refused a connection (the `reason` tag of `connections_rejected`).
public enum ConnectionRejection: String, Sendable, Hashable, CaseIterable {
    case maxConnections = "max_connections"
    case authUnreachable = "auth_unreachable"
    case contention
    case nodeDown = "node_down"
}

/// Why a live connection ended other than by a normal close (`connections_terminated`).
public enum ConnectionTermination: String, Sendable, Hashable, CaseIterable {
    case leaseLost = "lease_lost"
    case leaseDeleted = "lease_deleted"
    case nodeCrash = "node_crash"
    case recordingFailed = "recording_failed"
}

/// One observable act of the simulated cluster.
///
/// Observations are written where the act happens (a node accepting, the backend
/// writing a lease, auth storing an audit event) and are the only input of the
/// invariant checker, which recomputes everything from them rather than trusting
/// any component's own counters.
public enum Observation: Sendable, Hashable {
    /// A client started connecting (`connections_attempted`).
    case connectionAttempted(ConnectionID, user: String, node: String)
    /// A node accepted the connection. `controlled`: it holds a semaphore lease
    /// (a teleport node and a user with a connection limit).
    case connectionAccepted(ConnectionID, user: String, node: String, controlled: Bool, limit: Int?)
    /// The connection was refused. (Not `indirect`: under load a good part of all
    /// attempts are refused, and the log stores it packed anyway. The rare large cases
    /// are `indirect`, so that they do not set the size of every observation.)
    case connectionRejected(ConnectionID, user: String, node: String, reason: ConnectionRejection, message: String)
    /// A node ended a live connection on its own.
    case connectionTerminated(ConnectionID, user: String, node: String, reason: ConnectionTermination)
    /// A live connection ended normally.
    case connectionClosed(ConnectionID, user: String, node: String)
    /// A node sent a semaphore acquire and got an answer after `latency`.
    case acquireCompleted(ConnectionID, user: String, node: String, latency: Duration)
    /// A session channel opened.
    case sessionOpened(ConnectionID, channel: UInt32, user: String, node: String)
    /// A session channel was refused (`reason` is `max_sessions` for teleport's
    /// limit, `openssh_max_sessions` for OpenSSH's own, which is never audited).
    indirect case sessionRejected(ConnectionID, channel: UInt32, user: String, node: String, reason: String, max: Int)
    /// A session channel closed.
    case sessionClosed(ConnectionID, channel: UInt32, user: String, node: String)
    /// The backend stored a new lease.
    case leaseGranted(user: String, leaseID: String, holder: String, expires: SimInstant)
    /// The backend moved a lease's expiry.
    case leaseExtended(user: String, leaseID: String, expires: SimInstant)
    /// The backend removed a lease; `expired` if it had already expired (pruned).
    case leaseRemoved(user: String, leaseID: String, expired: Bool)
    /// An administrator deleted a user's semaphore; the leases it held.
    case semaphoreDeleted(user: String, leaseIDs: [String])
    /// Auth stored an audit event (exactly once per uid).
    indirect case auditEventStored(SessionRejectedEvent)
    /// A host crashed.
    case hostCrashed(host: String)
    /// A host restarted.
    case hostRestarted(host: String)
    /// A host's clock offset from virtual time changed (a clock-skew fault).
    case clockSkewChanged(host: String, offset: Duration)
    /// The recording host (the record's host) started recording a session.
    indirect case recordingStarted(session: String, connection: ConnectionID, user: String, node: String, mode: String)
    /// Auth stored a part of a session's upload: `bytes` written in `took`.
    case partUploaded(session: String, bytes: Int, took: Duration)
    /// An upload ended: completed from `parts` parts, or aborted (no parts).
    indirect case uploadFinished(session: String, completed: Bool, parts: Int)
    /// A sync writer gave up after its resume attempts; the connection is terminated.
    indirect case recordingFailed(session: String, connection: ConnectionID, lostEvents: Int)
    /// A storage outage began (`active`) or ended.
    case storageOutage(active: Bool)
}

/// An observation with where and when (virtual time) it happened.
public struct ObservationRecord: Sendable, Hashable {
    public let time: SimInstant
    public let host: String
    public let observation: Observation

    public init(time: SimInstant, host: String, observation: Observation) {
        self.time = time
        self.host = host
        self.observation = observation
    }
}

/// The append-only log of everything observable, in the order it happened.
///
/// Each record is also written to the simulation's trace (kind `obs.*`), so a
/// trace excerpt around a violation shows it. Appended to only on the simulation loop.
///
/// **On a second core.** After ``offloadToWorker()``, packing records and folding them
/// into the trace digest happen on a worker thread (an ``OrderedOffload``), in the
/// order they were appended, and so does digesting every other trace event: the loop
/// only numbers each event and queues it. The records and the digest come out the
/// same as without a worker. Reading ``records`` (and ``settle()``, which
/// ``SimCluster/run(until:)`` calls when the loop pauses) waits for the worker, so
/// whatever reads them after a run sees them complete.
public final class ObservationLog: @unchecked Sendable {
    private let simulation: Simulation
    /// The records; written by the worker while one is at work.
    private let store = Store()
    /// The worker that packs and digests, once ``offloadToWorker()`` was called.
    private var offload: OrderedOffload<Pending>?
    /// What the loop has queued for the worker since the last batch it handed over
    /// (filled here, with no generic call per record).
    private var batch: [Pending] = []

    init(simulation: Simulation) {
        self.simulation = simulation
    }

    deinit {
        settle()
        // The trace digests on the loop again (after everything the worker folded).
        if offload != nil { simulation.trace.deferral = nil }
    }

    /// Every record, oldest first (complete: waits for the worker, if any).
    public var records: ObservationRecords {
        settle()
        return store.records
    }

    /// Live connections with their node and user, kept so that a node crash can end
    /// them (one lookup by id per accept and close; a crash filters them all).
    private var live: [ConnectionID: (node: String, user: String)] = [:]

    /// Packs and digests on a worker thread from now on (see the type's notes). A
    /// no-op when the trace keeps its events (`--trace`): those are written in order
    /// on the loop.
    ///
    /// `observe` runs on the worker after each batch it packed, with the records so far:
    /// a pass over the log can follow it there as it grows (the metrics' counts do), off
    /// the loop's thread. It must touch only what nobody reads before ``settle()``.
    public func offloadToWorker(observe: ((ObservationRecords) -> Void)? = nil) {
        let trace = simulation.trace
        guard offload == nil, !trace.keepsEvents, trace.recentWindow == 0 else { return }
        let store = self.store
        let offload = OrderedOffload<Pending>(batchSize: Self.batchSize) { [unowned trace] batch in
            for item in batch {
                switch item {
                case .observation(let record, let sequence):
                    store.records.append(record)
                    trace.fold(time: record.time, sequence: sequence, kind: record.observation.traceKind,
                               host: record.host) { writer in
                        record.observation.forEachTraceField { writer.add($0, $1) }
                    }
                case .event(let event):
                    trace.fold(event)
                }
            }
            observe?(store.records)
        }
        self.offload = offload
        batch.reserveCapacity(offload.batchSize)
        trace.deferral = { [unowned self] in queue(.event($0)) }
    }

    /// Waits until the worker, if any, has packed and digested everything appended so far.
    public func settle() {
        guard let offload else { return }
        offload.handOver(&batch)
        offload.finish()
    }

    /// Queues `item` for the worker, handing the batch over when it is full.
    @inline(__always)
    private func queue(_ item: consuming Pending) {
        batch.append(item)
        if batch.count == Self.batchSize { offload!.handOver(&batch) }
    }

    /// Records per batch handed to the worker.
    private static let batchSize = 4096

    /// Appends `observation` at the current virtual time.
    ///
    /// Consumes `observation`: moved into its record and on to the worker, not copied.
    func append(_ observation: consuming Observation, host: String) {
        switch observation {
        case .connectionAccepted(let id, let user, let node, _, _): live[id] = (node, user)
        case .connectionClosed(let id, _, _), .connectionTerminated(let id, _, _, _): live[id] = nil
        default: break
        }
        if offload != nil {
            simulation.checkContained()
            let sequence = simulation.trace.reserveSequence()
            queue(.observation(ObservationRecord(time: simulation.now, host: host, observation: observation),
                               sequence: sequence))
        } else {
            simulation.trace.record(observation.traceKind, host: host) { writer in
                observation.forEachTraceField { writer.add($0, $1) }
            }
            store.records.append(ObservationRecord(time: simulation.now, host: host, observation: observation))
        }
    }

    /// The connections live on `node` now, oldest first.
    func liveConnections(onNode node: String) -> [(id: ConnectionID, user: String)] {
        live.filter { $0.value.node == node }.sorted { $0.key < $1.key }.map { ($0.key, $0.value.user) }
    }

    /// What the loop hands the worker: a record with its trace sequence number, or
    /// another trace event.
    private enum Pending {
        case observation(ObservationRecord, sequence: UInt64)
        case event(DeferredTraceEvent)
    }

    /// The records, in a box the worker and the loop share (never at the same time).
    private final class Store: @unchecked Sendable {
        var records = ObservationRecords()
    }
}

extension Observation {
    public var traceKind: String {
        switch self {
        case .connectionAttempted: "obs.connection.attempted"
        case .connectionAccepted: "obs.connection.accepted"
        case .connectionRejected: "obs.connection.rejected"
        case .connectionTerminated: "obs.connection.terminated"
        case .connectionClosed: "obs.connection.closed"
        case .acquireCompleted: "obs.acquire.completed"
        case .sessionOpened: "obs.session.opened"
        case .sessionRejected: "obs.session.rejected"
        case .sessionClosed: "obs.session.closed"
        case .leaseGranted: "obs.lease.granted"
        case .leaseExtended: "obs.lease.extended"
        case .leaseRemoved: "obs.lease.removed"
        case .semaphoreDeleted: "obs.semaphore.deleted"
        case .auditEventStored: "obs.audit.stored"
        case .hostCrashed: "obs.host.crashed"
        case .hostRestarted: "obs.host.restarted"
        case .clockSkewChanged: "obs.clock.skew"
        case .recordingStarted: "obs.recording.started"
        case .partUploaded: "obs.upload.part"
        case .uploadFinished: "obs.upload.finished"
        case .recordingFailed: "obs.recording.failed"
        case .storageOutage: "obs.storage.outage"
        }
    }

    /// The observation's trace fields, in order.
    public var traceFields: [(String, TraceValue)] {
        var fields: [(String, TraceValue)] = []
        forEachTraceField { fields.append(($0, $1)) }
        return fields
    }

    /// Calls `body` with each trace field, in order, building no array.
    @inline(__always)
    public func forEachTraceField(_ body: (String, TraceValue) -> Void) {
        switch self {
        case .connectionAttempted(let c, let user, let node):
            body("conn", .string(c.description))
            body("user", .string(user))
            body("node", .string(node))
        case .connectionAccepted(let c, let user, let node, let controlled, let limit):
            body("conn", .string(c.description))
            body("user", .string(user))
            body("node", .string(node))
            body("controlled", .bool(controlled))
            body("limit", .int(Int64(limit ?? 0)))
        case .connectionRejected(let c, let user, let node, let reason, let message):
            body("conn", .string(c.description))
            body("user", .string(user))
            body("node", .string(node))
            body("reason", .string(reason.rawValue))
            body("message", .string(message))
        case .connectionTerminated(let c, let user, let node, let reason):
            body("conn", .string(c.description))
            body("user", .string(user))
            body("node", .string(node))
            body("reason", .string(reason.rawValue))
        case .connectionClosed(let c, let user, let node):
            body("conn", .string(c.description))
            body("user", .string(user))
            body("node", .string(node))
        case .acquireCompleted(let c, let user, let node, let latency):
            body("conn", .string(c.description))
            body("user", .string(user))
            body("node", .string(node))
            body("latency", .duration(latency))
        case .sessionOpened(let c, let channel, let user, let node), .sessionClosed(let c, let channel, let user, let node):
            body("conn", .string(c.description))
            body("channel", .int(Int64(channel)))
            body("user", .string(user))
            body("node", .string(node))
        case .sessionRejected(let c, let channel, let user, let node, let reason, let max):
            body("conn", .string(c.description))
            body("channel", .int(Int64(channel)))
            body("user", .string(user))
            body("node", .string(node))
            body("reason", .string(reason))
            body("max", .int(Int64(max)))
        case .leaseGranted(let user, let lease, let holder, let expires):
            body("user", .string(user))
            body("lease", .string(lease))
            body("holder", .string(holder))
            body("expires", .duration(expires.offset))
        case .leaseExtended(let user, let lease, let expires):
            body("user", .string(user))
            body("lease", .string(lease))
            body("expires", .duration(expires.offset))
        case .leaseRemoved(let user, let lease, let expired):
            body("user", .string(user))
            body("lease", .string(lease))
            body("expired", .bool(expired))
        case .semaphoreDeleted(let user, let leases):
            body("user", .string(user))
            body("leases", .string(leases.joined(separator: ",")))
        case .auditEventStored(let event):
            for field in event.fields { body(field.name, .string(field.value)) }
        case .hostCrashed(let host), .hostRestarted(let host):
            body("target", .string(host))
        case .clockSkewChanged(let host, let offset):
            body("target", .string(host))
            body("offset", .duration(offset))
        case .recordingStarted(let session, let c, let user, let node, let mode):
            body("session", .string(session))
            body("conn", .string(c.description))
            body("user", .string(user))
            body("node", .string(node))
            body("mode", .string(mode))
        case .partUploaded(let session, let bytes, let took):
            body("session", .string(session))
            body("bytes", .int(Int64(bytes)))
            body("took", .duration(took))
        case .uploadFinished(let session, let completed, let parts):
            body("session", .string(session))
            body("completed", .bool(completed))
            body("parts", .int(Int64(parts)))
        case .recordingFailed(let session, let c, let lost):
            body("session", .string(session))
            body("conn", .string(c.description))
            body("lost", .int(Int64(lost)))
        case .storageOutage(let active):
            body("active", .bool(active))
        }
    }
}
