import Cluster
import SessionControl
import SimulationKernel
import Testing

@Suite("The observation log's packed records")
struct ObservationRecordsTests {
    /// One record of every observation, with the values a packed form could get wrong:
    /// absent and present limits, every reason, a latency finer than a nanosecond, long
    /// (heap-allocated) names, a repeated lease id, large ids and negative times.
    static let everyKind: [ObservationRecord] = {
        let long = "a-user-name-longer-than-fifteen-bytes"
        let id = ConnectionID(.max - 1)
        var observations: [Observation] = [
            .connectionAttempted(id, user: "alice", node: "node-1"),
            .connectionAccepted(id, user: "alice", node: "node-1", controlled: true, limit: 3),
            .connectionAccepted(ConnectionID(2), user: long, node: "node-2", controlled: false, limit: nil),
            .connectionAccepted(ConnectionID(3), user: long, node: "node-2", controlled: false, limit: .max),
            .connectionClosed(id, user: "alice", node: "node-1"),
            .acquireCompleted(id, user: "alice", node: "node-1", latency: .milliseconds(4)),
            .acquireCompleted(id, user: "alice", node: "node-1", latency: .nanoseconds(1) / 3),
            .acquireCompleted(id, user: "alice", node: "node-1", latency: .seconds(Int64.max)),
            .sessionOpened(id, channel: .max, user: "alice", node: "node-1"),
            .sessionClosed(id, channel: 0, user: "alice", node: "node-1"),
            .sessionRejected(id, channel: 7, user: "alice", node: "node-1", reason: "max_sessions", max: 2),
            .leaseGranted(user: "alice", leaseID: "lease-1", holder: "node-1", expires: SimInstant(nanoseconds: 9)),
            .leaseExtended(user: "alice", leaseID: "lease-1", expires: SimInstant(nanoseconds: .max)),
            .leaseRemoved(user: "alice", leaseID: "lease-1", expired: true),
            .leaseRemoved(user: long, leaseID: "9f6c1b2e-5d1a-4c3e-8f7a-0b1c2d3e4f50", expired: false),
            .semaphoreDeleted(user: "alice", leaseIDs: ["lease-1", "lease-2"]),
            .auditEventStored(SessionRejectedEvent(
                user: "alice", login: "root", serverID: "node-1", reason: .maxConnections, max: 3, time: .zero,
                uid: "u1")),
            .hostCrashed(host: "node-1"),
            .hostRestarted(host: "node-1"),
            .clockSkewChanged(host: "auth-1", offset: .seconds(-5)),
            .recordingStarted(session: "s1", connection: id, user: "alice", node: "node-1", mode: "node"),
            .partUploaded(session: "s1", bytes: 5 << 20, took: .milliseconds(30)),
            .uploadFinished(session: "s1", completed: true, parts: 2),
            .recordingFailed(session: "s1", connection: id, lostEvents: 4),
            .storageOutage(active: true),
        ]
        for reason in ConnectionRejection.allCases {
            observations.append(.connectionRejected(id, user: long, node: "node-1", reason: reason,
                                                    message: "limit of \(reason.rawValue) reached"))
        }
        for reason in ConnectionTermination.allCases {
            observations.append(.connectionTerminated(id, user: "alice", node: "node-1", reason: reason))
        }
        return observations.enumerated().map { offset, observation in
            ObservationRecord(time: SimInstant(nanoseconds: Int64(offset) * 1_000_003 - 5),
                              host: offset.isMultiple(of: 2) ? "node-1" : "client-\(offset)-with-a-long-name",
                              observation: observation)
        }
    }()

    @Test("every kind of record reads back exactly as it was appended")
    func roundTrip() {
        let records = ObservationRecords(Self.everyKind)
        #expect(records.count == Self.everyKind.count)
        for (offset, record) in Self.everyKind.enumerated() {
            #expect(records[offset] == record, "record \(offset)")
        }
        #expect(Array(records) == Self.everyKind)
    }

    @Test("records stay in order across chunk boundaries")
    func acrossChunks() {
        let count = 70_000  // more than two chunks
        var expected: [ObservationRecord] = []
        expected.reserveCapacity(count)
        for index in 0..<count {
            let template = Self.everyKind[index % Self.everyKind.count]
            expected.append(ObservationRecord(time: SimInstant(nanoseconds: Int64(index)), host: template.host,
                                              observation: template.observation))
        }
        let records = ObservationRecords(expected)
        #expect(records.count == count)
        #expect(records.first == expected.first)
        #expect(records.last == expected.last)
        #expect(records[32_767] == expected[32_767])
        #expect(records[32_768] == expected[32_768])
        #expect(records.elementsEqual(expected))
    }

    @Test("a record's kind, rejection reason and whether it is kept whole read without rebuilding it")
    func kindsWithoutRebuilding() {
        let records = ObservationRecords(Self.everyKind)
        var others: [Int] = []
        for (position, record) in Self.everyKind.enumerated() {
            let expected: ObservationRecordKind = switch record.observation {
            case .connectionAttempted: .attempted
            case .connectionAccepted: .accepted
            case .connectionRejected: .rejected
            case .connectionTerminated: .terminated
            case .connectionClosed: .closed
            // A latency finer than a nanosecond, or past 64 bits of them, has no packed form.
            case .acquireCompleted(_, _, _, let latency):
                latency == .nanoseconds(1) / 3 || latency == .seconds(Int64.max) ? .other : .acquireCompleted
            case .sessionOpened: .sessionOpened
            case .sessionClosed: .sessionClosed
            case .leaseGranted: .leaseGranted
            case .leaseExtended: .leaseExtended
            case .leaseRemoved: .leaseRemoved
            default: .other
            }
            #expect(records.kind(at: position) == expected, "\(record.observation)")
            if expected == .other { others.append(position) }
            if case .connectionRejected(_, _, _, let reason, _) = record.observation {
                #expect(records.rejectionReason(at: position) == reason)
            } else {
                #expect(records.rejectionReason(at: position) == nil)
            }
        }
        #expect(records.otherPositions == others)
        #expect(!others.isEmpty)
        var whole: [ObservationRecord] = []
        records.forEachOther { time, observation in
            whole.append(ObservationRecord(time: time, host: records[others[whole.count]].host, observation: copy observation))
        }
        #expect(whole == others.map { Self.everyKind[$0] })
        for position in Self.everyKind.indices {
            let record = records.withOther(at: position) { time, observation in
                ObservationRecord(time: time, host: records[position].host, observation: copy observation)
            }
            #expect(record == (others.contains(position) ? Self.everyKind[position] : nil))
        }
        var visited: [ObservationRecord] = []
        records.forEach(ofKinds: [.accepted, .other]) { visited.append($0) }
        let expected = Self.everyKind.indices.filter { [.accepted, .other].contains(records.kind(at: $0)) }
            .map { Self.everyKind[$0] }
        #expect(visited == expected)
        #expect(visited.count > others.count)
    }
}
