import SessionControl
import SimulatedNetwork
import SimulationKernel

extension NodeCore {
    static let outboxPrefix = "audit-outbox/"
    static let outboxCounterKey = "audit-outbox-next"

    /// Queues the audit event of `rejection` on the node's disk and makes sure a
    /// sender is delivering the queue.
    func emitAudit(_ rejection: LimitRejection, login: String) {
        let uid = RandomIdentifier.uuid(using: &random)
        let event = SessionRejectedEvent(
            rejection: rejection, login: login, serverID: context.name, time: context.clock.now, uid: uid)
        let sequence = context.disk.read(Self.outboxCounterKey, as: Int.self) ?? 0
        context.disk.write(Self.outboxCounterKey, sequence + 1)
        context.disk.write(Self.outboxKey(sequence), event)
        deliverAuditEvents()
    }

    /// Delivers queued audit events in order until the queue is empty, retrying
    /// each until auth acknowledges it; a no-op if a delivery is under way. Runs
    /// after every boot too, so events queued before a crash are delivered by the
    /// restarted node. Each acknowledgement (or timeout) sends the next attempt.
    func deliverAuditEvents() {
        guard !deliveringAudit else { return }
        deliveringAudit = true
        deliverNextAuditEvent()
    }

    private func deliverNextAuditEvent() {
        while let key = context.disk.firstKey(withPrefix: Self.outboxPrefix) {
            guard let event = context.disk.read(key, as: SessionRejectedEvent.self) else {
                context.disk.remove(key)
                continue
            }
            context.request(EmitAuditEvent(event: event), to: pickAuth(), timeout: configuration.auditRetryInterval) {
                [self] result in
                assumeIsolatedOnLoop { core in
                    // Timed out (the request already waited its interval): the same event goes again.
                    if case .success(let reply) = result, reply.exactly(AuditAck.self) != nil { core.context.disk.remove(key) }
                    core.deliverNextAuditEvent()
                }
            }
            return
        }
        deliveringAudit = false
    }

    /// `n` zero-padded so that disk keys sort in queue order.
    static func padded(_ n: Int) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    /// The disk key of the `sequence`th queued event: ``outboxPrefix`` then ``padded(_:)``,
    /// written straight into one string (a rejection's event is queued on every rejection).
    static func outboxKey(_ sequence: Int) -> String {
        guard sequence >= 0, sequence < 1_000_000_000_000 else { return outboxPrefix + padded(sequence) }
        let prefix = outboxPrefixBytes
        return String(unsafeUninitializedCapacity: prefix.count + 12) { buffer in
            DecimalDigits.write(UInt64(sequence), zeroPaddedTo: 12, into: buffer,
                                at: buffer.initialize(fromContentsOf: prefix))
        }
    }

    /// The UTF-8 bytes of ``outboxPrefix``.
    private static let outboxPrefixBytes = Array(outboxPrefix.utf8)
}
