import Testing
@testable import Cluster

@Suite("Connection ids as table keys")
struct ConnectionIDTests {
    @Test("distinct ids get distinct raw hashes for a seed (the mix is one-to-one)")
    func distinctHashes() {
        for seed in [0, 1, -1, 0x5EED, Int.max, Int.min] {
            let hashes = Set((0..<20_000 as Range<UInt64>).map { ConnectionID($0 &* 7_919)._rawHashValue(seed: seed) })
            #expect(hashes.count == 20_000, "seed \(seed)")
        }
    }

    @Test("ids that share their low bits still spread over a table's buckets")
    func spreadsLowBits() {
        // Multiples of 1024 agree in their ten low bits: an identity hash would put them all
        // in one bucket of a 1024-bucket table. A random function fills about 63 % of them.
        let buckets = Set((1...1024 as ClosedRange<UInt64>).map { ConnectionID($0 << 10)._rawHashValue(seed: 17) & 1023 })
        #expect(buckets.count > 560)
    }

    @Test("a dictionary keyed by connection ids agrees with a sorted list of the same pairs")
    func dictionaryRoundTrip() {
        var table: [ConnectionID: UInt64] = [:]
        var reference: [UInt64: UInt64] = [:]
        var state: UInt64 = 99
        for step in 0..<30_000 as Range<UInt64> {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let raw = (state >> 33) % 4_096
            if state & 1 == 0 {
                table[ConnectionID(raw)] = step
                reference[raw] = step
            } else {
                #expect(table.removeValue(forKey: ConnectionID(raw)) == reference.removeValue(forKey: raw))
            }
        }
        #expect(table.count == reference.count)
        for (raw, value) in reference { #expect(table[ConnectionID(raw)] == value) }
        #expect(table.keys.map(\.raw).sorted() == reference.keys.sorted())
    }
}
