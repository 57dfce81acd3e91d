import SessionControl
import SimulationKernel
import Testing
@testable import Cluster

@Suite("The user a backend write is logged under")
struct BackendUserTests {
    static let names = ["dev-1", "", "a-user-name-longer-than-fifteen-bytes", "é\u{301}", "semaphores/connection/x", "d\"q\\"]

    @Test("read from the semaphore when it lives at the key, parsed from the key otherwise: the same user either way")
    func sameUser() {
        for name in Self.names {
            let semaphore = Semaphore(key: .connection(name), expires: .zero)
            let keys = [semaphore.key.path, SemaphoreKey.connection(name + "x").path, "other/\(name)",
                        "semaphores/connection/", String(semaphore.key.path.dropLast())]
            for key in keys {
                #expect(BackendCore.user(ofKey: key, semaphore: semaphore) == BackendCore.user(ofKey: key),
                        "\(name) at \(key)")
            }
            #expect(BackendCore.user(ofKey: semaphore.key.path, semaphore: semaphore) == name)
        }
    }
}

@Suite("The node's audit outbox")
struct AuditOutboxTests {
    @Test("an event's disk key is the prefix and its number padded to twelve digits, written at once or not")
    func outboxKey() {
        for sequence in [0, 1, 9, 10, 99, 100, 123_456, 999_999_999_999, 1_000_000_000_000, 12_345_678_901_234] {
            #expect(NodeCore.outboxKey(sequence) == NodeCore.outboxPrefix + NodeCore.padded(sequence), "\(sequence)")
        }
        #expect(NodeCore.outboxKey(42) == "audit-outbox/000000000042")
        // Keys sort in queue order.
        let keys = [0, 7, 10, 99, 100, 5_000].map(NodeCore.outboxKey)
        #expect(keys == keys.sorted())
    }
}
