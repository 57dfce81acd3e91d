import Testing
import SessionControl
import SimulationKernel

@Suite("Bytewise strings as table keys, and the backend store keyed by them")
struct BytewiseStringTests {
    /// Keys of every length around the eight-byte steps, with non-ASCII bytes.
    static let keys: [String] = {
        var keys = (0..<3_000).map { SemaphoreKey.connection("dev-\($0)").path }
        keys += (0..<40).map { String(repeating: "k", count: $0) }
        keys += ["é", "e\u{301}", "semaphores/connection/é", "semaphores/connection/ü-\u{1F600}", "\u{0}", "\u{0}\u{0}"]
        return keys
    }()

    @Test("equal keys hash equal; these distinct keys hash apart under several seeds")
    func hashes() {
        for seed in [0, 1, -1, 0x5EED, Int.min] {
            var seen: [Int: String] = [:]
            for key in Self.keys {
                let hash = BytewiseString(key)._rawHashValue(seed: seed)
                let copy = String(decoding: Array(key.utf8), as: UTF8.self)  // the same bytes, other storage
                #expect(BytewiseString(copy) == BytewiseString(key))
                #expect(BytewiseString(copy)._rawHashValue(seed: seed) == hash)
                if let other = seen[hash] { Issue.record("\(key) and \(other) share hash \(hash) under seed \(seed)") }
                seen[hash] = key
            }
        }
    }

    @Test("keys are equal by their bytes, as a real key-value store compares them")
    func byteEquality() {
        #expect(BytewiseString("é") != BytewiseString("e\u{301}"))  // canonically equivalent, other bytes
        #expect(BytewiseString("K") != BytewiseString("\u{212A}"))   // KELVIN SIGN
        #expect(BytewiseString("semaphores/connection/dev-1") == BytewiseString("semaphores/connection/" + "dev-1"))
        #expect(BytewiseString("") == BytewiseString(String()))
        for (a, b) in zip(Self.keys, Self.keys.dropFirst()) { #expect(BytewiseString(a) != BytewiseString(b)) }
    }

    @Test("keys that differ in one byte anywhere hash apart")
    func oneByte() {
        let base = Array(SemaphoreKey.connection("dev-123456").path.utf8)
        let hash = BytewiseString(String(decoding: base, as: UTF8.self))._rawHashValue(seed: 7)
        for index in base.indices {
            var changed = base
            changed[index] ^= 1
            #expect(BytewiseString(String(decoding: changed, as: UTF8.self))._rawHashValue(seed: 7) != hash, "byte \(index)")
        }
    }

    @Test("a store finds, replaces and deletes by key like a dictionary keyed by the keys' bytes")
    func storeAgreesWithDictionary() throws {
        var store = BackendStore<Int>()
        var reference: [[UInt8]: Int] = [:]
        var state: UInt64 = 3
        for step in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let key = Self.keys[Int(state >> 33) % Self.keys.count]
            let bytes = Array(key.utf8)
            switch (state >> 20) % 3 {
            case 0:
                let created = try? store.create(key, value: step, expires: nil, now: .zero)
                #expect((created != nil) == (reference[bytes] == nil))
                if reference[bytes] == nil { reference[bytes] = step }
            case 1:
                if let item = try? store.get(key, now: .zero) {
                    #expect(reference[bytes] == item.value)
                    _ = try store.compareAndSwap(key, expectedRevision: item.revision, value: step, expires: nil, now: .zero)
                    reference[bytes] = step
                } else {
                    #expect(reference[bytes] == nil)
                }
            default:
                let deleted = (try? store.delete(key, now: .zero)) != nil
                #expect(deleted == (reference.removeValue(forKey: bytes) != nil))
            }
        }
        for (bytes, value) in reference {
            #expect(try store.get(String(decoding: bytes, as: UTF8.self), now: .zero).value == value)
        }
        #expect(store.keys(now: .zero).map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
                == reference.keys.sorted { $0.lexicographicallyPrecedes($1) })
    }
}
