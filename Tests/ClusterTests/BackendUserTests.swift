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
