@testable import SimulationKernel
import Testing

@Suite("The timer queue's two heaps")
struct TimerQueueTests {
    @Test("a heap pops its entries in (deadline, sequence) order, as sorting them does, across growth, ties and compaction")
    func heapPopsInOrder() {
        var heap = TimerHeap()
        var pending: [TimerHeap.Entry] = []
        var random = Generator(state: 7)
        var sequence: UInt64 = 0
        var popped = 0
        for round in 0..<30_000 {
            if (random.next() >> 33) % 5 < 3 {
                // Few distinct deadlines, so ties decided by sequence are common.
                let entry = TimerHeap.Entry(deadline: Int64((random.next() >> 33) % 64), sequence: sequence, timerID: sequence)
                sequence += 1
                heap.insert(entry)
                pending.append(entry)
            } else if round % 997 == 0 {
                heap.compact { $0.timerID % 3 != 0 }
                pending.removeAll { $0.timerID % 3 == 0 }
            } else {
                let expected = pending.min { TimerHeap.Entry.precedes($0, $1) }
                #expect(heap.popFirst()?.timerID == expected?.timerID)
                if let expected {
                    pending.removeAll { $0.timerID == expected.timerID }
                    popped += 1
                }
            }
            #expect(heap.count == pending.count)
        }
        #expect(popped > 5_000)
        #expect(pending.count > 64, "the heap grew past its first capacity")
    }

    @Test("near and far timers pop exactly as one heap pops them, with cancels, compaction and equal deadlines")
    func popsLikeOneHeap() {
        var queue = TimerQueue()
        var reference = TimerHeap()
        var cancelled: Set<UInt64> = []
        var random = Generator(state: 42)
        var now: Int64 = 0
        var sequence: UInt64 = 0
        var pops = 0
        for _ in 0..<20_000 {
            switch random.next() % 10 {
            case 0...5:
                // Near (within the horizon), far, equal to now, or on a coarse grid (ties).
                let offset: Int64 = switch random.next() % 4 {
                case 0: Int64(random.next() % UInt64(TimerQueue.nearHorizon))
                case 1: TimerQueue.nearHorizon + Int64(random.next() % 10_000_000_000)
                case 2: 0
                default: Int64(random.next() % 8) * 25_000_000
                }
                let entry = TimerHeap.Entry(deadline: now + offset, sequence: sequence, timerID: sequence)
                sequence += 1
                queue.insert(entry, now: now)
                reference.insert(entry)
            case 6:
                cancelled.insert(random.next() % max(sequence, 1))
            case 7:
                queue.compact { !cancelled.contains($0.timerID) }
                reference.compact { !cancelled.contains($0.timerID) }
            default:
                // Cancelled entries may be dropped by one side's compaction and not yet by
                // the other's: compare the live ones.
                let mine = Self.popLive(&queue, skipping: cancelled)
                let theirs = Self.popLive(&reference, skipping: cancelled)
                #expect(mine?.timerID == theirs?.timerID)
                if let mine { now = max(now, mine.deadline) }
                pops += 1
            }
        }
        while let theirs = Self.popLive(&reference, skipping: cancelled) {
            #expect(Self.popLive(&queue, skipping: cancelled)?.timerID == theirs.timerID)
        }
        #expect(Self.popLive(&queue, skipping: cancelled) == nil)
        #expect(pops > 1_000)
    }

    static func popLive(_ queue: inout TimerQueue, skipping cancelled: Set<UInt64>) -> TimerHeap.Entry? {
        while let entry = queue.popFirst() {
            if !cancelled.contains(entry.timerID) { return entry }
        }
        return nil
    }

    static func popLive(_ heap: inout TimerHeap, skipping cancelled: Set<UInt64>) -> TimerHeap.Entry? {
        while let entry = heap.popFirst() {
            if !cancelled.contains(entry.timerID) { return entry }
        }
        return nil
    }

    @Test("an equal deadline pops in scheduling order across the two heaps")
    func tiesAcrossHeaps() {
        var queue = TimerQueue()
        let deadline = TimerQueue.nearHorizon + 1
        // Scheduled at 0 (far: just past the horizon), then at 1 (near: the same deadline).
        queue.insert(TimerHeap.Entry(deadline: deadline, sequence: 0, timerID: 10), now: 0)
        queue.insert(TimerHeap.Entry(deadline: deadline, sequence: 1, timerID: 11), now: 1)
        queue.insert(TimerHeap.Entry(deadline: deadline - 1, sequence: 2, timerID: 12), now: 1)
        #expect(queue.count == 3)
        #expect(queue.popFirst()?.timerID == 12)
        #expect(queue.popFirst()?.timerID == 10)
        #expect(queue.popFirst()?.timerID == 11)
        #expect(queue.popFirst() == nil)
    }

    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
    }

    @Test("entries order by deadline, then sequence, at the extremes of both (negative deadlines too)")
    func entryOrderAtTheExtremes() {
        let deadlines: [Int64] = [.min, .min + 1, -1, 0, 1, .max - 1, .max]
        let sequences: [UInt64] = [0, 1, 1 << 63, .max - 1, .max]
        for a in deadlines {
            for b in deadlines {
                for s in sequences {
                    for t in sequences {
                        let x = TimerHeap.Entry(deadline: a, sequence: s, timerID: 0)
                        let y = TimerHeap.Entry(deadline: b, sequence: t, timerID: 0)
                        #expect(TimerHeap.Entry.precedes(x, y) == (a < b || (a == b && s < t)))
                        #expect(x.deadline == a)
                    }
                }
            }
        }
    }
}
