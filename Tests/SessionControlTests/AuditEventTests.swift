import SessionControl
import SimulationKernel
import Testing

@Suite("Rejections and the audit event")
struct AuditEventTests {
    @Test func rejectionMessages() {
        #expect(LimitRejection(kind: .maxConnections, user: "alice", max: 2).message
            == #"too many concurrent ssh connections for user "alice" (max=2)"#)
        #expect(LimitRejection(kind: .maxSessions, user: "bob", max: 1).message
            == #"too many session channels for user "bob" (max=1)"#)
        #expect(LimitRejection(kind: .maxSessions, user: #"a"b\c"#, max: 1).message
            == #"too many session channels for user "a\"b\\c" (max=1)"#)
        #expect(LimitRejection(kind: .maxConnections, user: "alice", max: 2).closesConnection)
    }

    @Test("a message written byte by byte reads as the interpolated one, for any limit and name")
    func rejectionMessageDigitsAndNames() {
        for max in [0, 7, 10, 99, 100, 12_345, Int.max, -1, -40, Int.min] {
            // The last name has a quote byte but no quote character (the quote and the
            // accent are one character), so nothing in it is escaped.
            for user in ["alice", "", "渡辺", "cafe\u{301}", "a\"\u{301}b"] {
                #expect(LimitRejection(kind: .maxConnections, user: user, max: max).message
                    == "too many concurrent ssh connections for user \"\(user)\" (max=\(max))")
                #expect(LimitRejection(kind: .maxSessions, user: user, max: max).message
                    == "too many session channels for user \"\(user)\" (max=\(max))")
            }
        }
    }

    @Test func reasonsAndLegacyKinds() {
        #expect(LimitKind.maxConnections.reason == "max_connections limit reached")
        #expect(LimitKind.maxSessions.reason == "max_sessions limit reached")
        #expect(LimitKind(legacyKind: "connection") == .maxConnections)
        #expect(LimitKind(legacyKind: "session") == .maxSessions)
        #expect(LimitKind(reason: "max_sessions limit reached") == .maxSessions)
        #expect(LimitKind(reason: "nope") == nil)
    }

    @Test func eventFieldsInStableOrder() {
        let event = SessionRejectedEvent(
            rejection: LimitRejection(kind: .maxConnections, user: "alice", max: 2),
            login: "root", serverID: "node-1", time: SimInstant(nanoseconds: 12_000_000_250), uid: "u-1")
        #expect(event.fields.map(\.description) == [
            "event=session.rejected", "code=T1006W", "user=alice", "login=root", "server_id=node-1", "proto=ssh",
            "reason=max_connections limit reached", "max=2", "time=12.000000250", "uid=u-1",
        ])
        #expect(event.rejection.message == #"too many concurrent ssh connections for user "alice" (max=2)"#)
    }

    @Test func canonicalEventRoundTrips() throws {
        let event = SessionRejectedEvent(
            user: "alice", login: "root", serverID: "node-1", reason: .maxSessions, max: 1,
            time: SimInstant(nanoseconds: 3_500_000_000), uid: "u-2")
        #expect(try SessionRejectedEvent(normalizing: event.fieldDictionary) == event)
    }

    @Test(arguments: [("connection", LimitKind.maxConnections), ("session", .maxSessions)])
    func legacyAliasIsNormalised(legacyKind: String, expected: LimitKind) throws {
        let fields = [
            "event": "sessctl.limit", "sessctl_kind": legacyKind, "user": "alice", "login": "root",
            "server_id": "node-1", "max": "3", "time": "7.25", "uid": "u-3",
        ]
        let event = try SessionRejectedEvent(normalizing: fields)
        #expect(event.reason == expected)
        #expect(event.time == SimInstant(nanoseconds: 7_250_000_000))
        #expect(event.fields.first == AuditField("event", "session.rejected"))
        #expect(event.fields[1] == AuditField("code", "T1006W"))
    }

    @Test func normalisationErrors() {
        let base = [
            "event": "session.rejected", "code": "T1006W", "user": "alice", "login": "root", "server_id": "n",
            "proto": "ssh", "reason": "max_connections limit reached", "max": "2", "time": "1.000000000", "uid": "u",
        ]
        func failure(_ change: (inout [String: String]) -> Void) -> AuditEventError? {
            var fields = base
            change(&fields)
            return #expect(throws: AuditEventError.self) { try SessionRejectedEvent(normalizing: fields) }
        }
        #expect(failure { $0["event"] = "session.start" }?.code == .unknownEvent)
        #expect(failure { $0["event"] = nil }?.code == .missingField)
        #expect(failure { $0["reason"] = "bored" }?.field == "reason")
        #expect(failure { $0["reason"] = nil }?.field == "reason")
        #expect(failure { $0["code"] = "T9999" }?.field == "code")
        #expect(failure { $0["proto"] = "kube" }?.field == "proto")
        #expect(failure { $0["uid"] = nil }?.field == "uid")
        #expect(failure { $0["max"] = "-1" }?.field == "max")
        #expect(failure { $0["time"] = "1.0000000001" }?.field == "time")
        #expect(failure { $0["time"] = "abc" }?.field == "time")
        #expect(failure {
            $0["event"] = "sessctl.limit"
            $0["sessctl_kind"] = "session"
        }?.field == "sessctl_kind")  // contradicts the reason
        #expect(failure {
            $0["event"] = "sessctl.limit"
            $0["reason"] = nil
        }?.field == "sessctl_kind")
        #expect(failure { $0["user"] = nil }?.description == #"missing field "user""#)
    }

    @Test func uidsFromTheSeededGeneratorAreUnique() {
        var random = SeededRandom(rootSeed: 42, stream: "audit")
        let uids = (0..<100).map { _ in RandomIdentifier.uuid(using: &random) }
        #expect(Set(uids).count == 100)
    }

    @Test("a uid is the two draws in lowercase hex, version and variant bits set, dashed 8-4-4-4-12")
    func uidLayout() {
        var random = SeededRandom(rootSeed: 9, stream: "audit")
        var reference = random
        for _ in 0..<200 {
            let uid = RandomIdentifier.uuid(using: &random)
            let high = reference.next() & ~0xF000 | 0x4000
            let low = reference.next() & ~(0xC << 60) | (0x8 << 60)
            func hex(_ word: UInt64) -> String {
                let digits = String(word, radix: 16)
                return String(repeating: "0", count: 16 - digits.count) + digits
            }
            let all = Array(hex(high) + hex(low))
            let expected = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(all[$0]) }.joined(separator: "-")
            #expect(uid == expected)
        }
    }
}
