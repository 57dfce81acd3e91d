import Dispatch
@testable import SimulationKernel
import Testing

@Suite("Timer slots and background release")
struct TimerSlotsTests {
    @Test("slots behave like a table of pending ids: stale ids find nothing, freed slots are reused last-freed first")
    func slotsBehaveLikeATable() {
        var slots = TimerSlots<Int>()
        var model: [UInt64: Int] = [:]
        var pendingIDs: [UInt64] = []  // the model's keys, for a random pick in O(1)
        var stale: [UInt64] = []
        var random = TimerQueueTests.Generator(state: 11)
        var lastFreedSlot: UInt64?
        for step in 0..<20_000 {
            if model.isEmpty || (random.next() >> 33) % 3 != 0 {
                let id = slots.insert(step)
                #expect(model[id] == nil, "an id is never handed out twice while pending")
                #expect(id >> 62 == 0, "ids keep the top two bits clear")
                if let lastFreedSlot {
                    #expect(id & 0xFFFF_FFFF == lastFreedSlot, "the last slot freed is reused first")
                }
                lastFreedSlot = nil
                model[id] = step
                pendingIDs.append(id)
            } else {
                let pick = Int((random.next() >> 33) % UInt64(pendingIDs.count))
                let id = pendingIDs[pick]
                pendingIDs.swapAt(pick, pendingIDs.count - 1)
                pendingIDs.removeLast()
                if (random.next() >> 33) % 4 == 0 {
                    slots.update(id, to: -step)
                    model[id] = -step
                }
                let removed = slots.remove(id)
                #expect(removed == model.removeValue(forKey: id))
                stale.append(id)
                lastFreedSlot = id & 0xFFFF_FFFF
            }
            let count = slots.count
            #expect(count == model.count)
        }
        for (id, value) in model {
            let (pending, stored) = (slots.contains(id), slots[id])
            #expect(pending)
            #expect(stored == value)
        }
        for id in stale.suffix(1_000) where model[id] == nil {
            let (pending, stored, removed) = (slots.contains(id), slots[id], slots.remove(id))
            #expect(!pending, "a fired or cancelled id finds nothing, even when its slot is reused")
            #expect(stored == nil)
            #expect(removed == nil)
        }
        #expect(model.count > 16, "the slots grew past their first capacity")
    }

    @Test("payloads still pending when the slots go are released with them")
    func pendingPayloadsAreReleased() {
        let counter = DeinitCounter()
        do {
            var slots = TimerSlots<Tracked>()
            var ids: [UInt64] = []
            for _ in 0..<40 { ids.append(slots.insert(Tracked(counter))) }
            for id in ids.prefix(10) { slots.remove(id) }
            #expect(counter.count == 10)
        }
        #expect(counter.count == 40)
    }

    @Test("a value released in the background is freed, on another thread")
    func releaseInBackgroundFrees() async {
        let counter = DeinitCounter()
        releaseInBackground([Tracked(counter), Tracked(counter)])
        for _ in 0..<2_000 where counter.count < 2 {
            try? await Task.sleep(for: .milliseconds(1))
        }
        #expect(counter.count == 2)
    }

    final class DeinitCounter: @unchecked Sendable {
        private let lock = DispatchQueue(label: "count")
        private var value = 0
        var count: Int { lock.sync { value } }
        func increment() { lock.sync { value += 1 } }
    }

    final class Tracked {
        let counter: DeinitCounter
        init(_ counter: DeinitCounter) { self.counter = counter }
        deinit { counter.increment() }
    }
}
