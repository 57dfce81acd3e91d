@testable import SimulatedNetwork
import SimulationKernel
import Testing

@Suite("The network's request and link tables")
struct NetworkTablesTests {
    /// A deterministic stream for the model-based tests.
    struct Stream {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test("a link profile's sampler follows its latency when the latency changes")
    func profileSamplerFollowsLatency() {
        var profile = LinkProfile(latency: .constant(.milliseconds(2)))
        var random = SeededRandom(rootSeed: 1, stream: "p")
        #expect(profile.latencySampler.sample(using: &random) == 2_000_000)
        profile.latency = .constant(.milliseconds(9))
        #expect(profile.latencySampler.sample(using: &random) == 9_000_000)
        #expect(profile == LinkProfile(latency: .constant(.milliseconds(9))))
    }

    @Test("a disk keys files by their bytes, and reads a value of exactly the asked type or one that casts")
    func diskKeysAndReads() {
        class Base: @unchecked Sendable {}
        final class Derived: Base, @unchecked Sendable {}
        let disk = SimDisk()
        disk.write("caf\u{E9}", 1)
        disk.write("cafe\u{301}", 2)  // canonically equivalent, other bytes: another file
        #expect(disk.count == 2)
        #expect(disk.read("caf\u{E9}", as: Int.self) == 1)
        #expect(disk.read("cafe\u{301}", as: Int.self) == 2)
        #expect(disk.read("caf\u{E9}", as: String.self) == nil)
        disk.write("object", Derived())
        #expect(disk.read("object", as: Base.self) != nil)
        #expect(disk.read("object", as: Derived.self) != nil)
        #expect(disk.remove("caf\u{E9}"))
        #expect(!disk.remove("caf\u{E9}"))
        #expect(disk.keys() == ["cafe\u{301}", "object"])
    }

    @Test("a disk's first key with a prefix is the first of its sorted keys with that prefix")
    func diskFirstKeyWithPrefix() {
        let disk = SimDisk()
        #expect(disk.firstKey(withPrefix: "audit/") == nil)
        for key in ["audit/000000000010", "other", "audit/000000000002", "audit-next", "audit/000000000003"] {
            disk.write(key, 1)
        }
        #expect(disk.firstKey(withPrefix: "audit/") == disk.keys(withPrefix: "audit/").first)
        #expect(disk.firstKey(withPrefix: "audit/") == "audit/000000000002")
        disk.remove("audit/000000000002")
        #expect(disk.firstKey(withPrefix: "audit/") == "audit/000000000003")
        #expect(disk.firstKey(withPrefix: "") == "audit-next")
        #expect(disk.firstKey(withPrefix: "zz") == nil)
    }

    @Test("pending requests behave like a dictionary: out-of-order answers, long-pending ones, old ids inserted late")
    func pendingRequestsAgainstADictionary() {
        var table = PendingRequestTable<Int>()
        var model: [UInt64: Int] = [:]
        var stream = Stream(state: 7)
        var nextID: UInt64 = 1
        var reserved: [UInt64] = []  // ids taken now and registered later
        for step in 0..<3_000 {
            switch stream.next(10) {
            case 0...3:
                table.insert(step, id: nextID)
                model[nextID] = step
                nextID += 1
            case 4:
                reserved.append(nextID)
                nextID += 1
            case 5:
                guard let id = reserved.popLast() else { continue }
                table.insert(step, id: id)
                model[id] = step
            default:
                // Answer a pending request, mostly among the oldest, sometimes one that never was.
                let live = model.keys.sorted()
                guard !live.isEmpty else { continue }
                let id = stream.next(8) == 0 ? nextID + 5 : live[min(live.count - 1, stream.next(4) * stream.next(live.count))]
                #expect(table.removeValue(forKey: id) == model.removeValue(forKey: id))
            }
            if step.isMultiple(of: 97) {
                #expect(table.count == model.count)
                #expect(table.ids == model.keys.sorted())
                for id in model.keys { #expect(table[id] == model[id]) }
            }
        }
        for id in model.keys.sorted() { #expect(table.removeValue(forKey: id) == model[id]) }
        #expect(table.count == 0)
        #expect(table.ids.isEmpty)
        #expect(table[1] == nil)
    }

    @Test("a request pending for long keeps the ones after it, across growth")
    func longPendingRequest() {
        var table = PendingRequestTable<Int>()
        table.insert(-1, id: 10)
        for id in 11..<5_000 as Range<UInt64> {
            table.insert(Int(id), id: id)
            #expect(table.removeValue(forKey: id) == Int(id))
        }
        #expect(table.count == 1)
        #expect(table.ids == [10])
        #expect(table[10] == -1)
        table.insert(7, id: 5_000)
        #expect(table.removeValue(forKey: 10) == -1)
        #expect(table.ids == [5_000])
        #expect(table[5_000] == 7)
    }

    final class Box {
        let value: UInt64
        init(_ value: UInt64) { self.value = value }
    }

    @Test("a link and its key fill one 64-byte slot")
    func linkSlotIsOneCacheLine() {
        #expect(MemoryLayout<LinkTable<LinkState>.Slot>.stride == 64)
        var table = LinkTable<LinkState>()
        let random = SeededRandom(rootSeed: 1, stream: "link")
        let slot = table.insert(LinkState(random: random, profile: 0, loss: 0), forKey: 3 << 32 | 4)
        table[slot: slot].lastArrival = 42
        #expect(table[3 << 32 | 4]?.lastArrival == 42)
    }

    @Test("links are found by key after growth, including keys that collide in a small table")
    func links() {
        var table = LinkTable<Box>()
        var keys: [UInt64] = [0]  // the self-link of host 0 is a valid key
        for from in 0..<60 as Range<UInt64> {
            for to in [1, 2, 3, from + 100] as [UInt64] { keys.append(from << 32 | to) }
        }
        for key in keys where table[key] == nil { table.insert(Box(key), forKey: key) }
        for key in keys { #expect(table[key]?.value == key) }
        #expect(table[7 << 32 | 9] == nil)
        #expect(table[1 << 40] == nil)
    }

    /// How many values of one test are alive (each test its own: tests run in parallel).
    final class LiveCount: @unchecked Sendable {
        var live = 0
    }

    /// A value that counts itself alive, so a test can see every value freed exactly once.
    final class Tracked {
        let number: Int
        let count: LiveCount
        init(_ number: Int, _ count: LiveCount) {
            self.number = number
            self.count = count
            count.live += 1
        }
        deinit { count.live -= 1 }
    }

    @Test("messages in flight: each slot gives back its own value, slots are reused, growth keeps them, and values still in flight are freed with the table")
    func firingSlots() {
        let count = LiveCount()
        do {
            var slots = FiringSlots<Tracked>()
            var inFlight: [(slot: UInt32, number: Int)] = []
            var next = 0
            var random = SeededRandom(seed: 3)
            for _ in 0..<5_000 {
                if inFlight.isEmpty || random.next() % 3 != 0 {
                    inFlight.append((slots.insert(Tracked(next, count)), next))
                    next += 1
                } else {
                    let (slot, number) = inFlight.remove(at: Int(random.next() % UInt64(inFlight.count)))
                    #expect(slots.take(slot).number == number)
                }
                #expect(slots.count == inFlight.count)
                #expect(Set(inFlight.map(\.slot)).count == inFlight.count, "a slot handed out twice")
            }
            #expect(inFlight.count > 100, "enough left in flight to free with the table")
            #expect(count.live == inFlight.count)
        }
        #expect(count.live == 0, "values still in flight must be freed with the table")
    }

    @Test("pending requests that own memory: answered ones come back whole, across growth and an old id, and the rest are freed with the table")
    func pendingRequestsFreed() {
        let count = LiveCount()
        do {
            var table = PendingRequestTable<Tracked>()
            for id: UInt64 in 100..<400 { table.insert(Tracked(Int(id), count), id: id) }  // grows past 64 slots
            table.insert(Tracked(50, count), id: 50)  // an older id extends the window back
            for id: UInt64 in stride(from: 100, to: 400, by: 3) {
                #expect(table.removeValue(forKey: id)?.number == Int(id))
                #expect(table.removeValue(forKey: id) == nil)
            }
            #expect(table[50]?.number == 50)
            #expect(table.count == 301 - 100)
            #expect(count.live == 201)
        }
        #expect(count.live == 0, "requests still pending must be freed with the table")
    }

    @Test("links are updated in place, kept across growth, and freed with the table")
    func linksInPlaceAndFreed() {
        let count = LiveCount()
        do {
            var table = LinkTable<Tracked>()
            for key: UInt64 in 0..<300 { table.insert(Tracked(Int(key), count), forKey: key << 32 | 1) }
            let slot = table.slot(of: 7 << 32 | 1)!
            table[slot: slot] = Tracked(-7, count)
            #expect(table[7 << 32 | 1]?.number == -7)
            #expect(table[8 << 32 | 1]?.number == 8)
            #expect(count.live == 300)
        }
        #expect(count.live == 0, "links must be freed with the table")
    }
}
