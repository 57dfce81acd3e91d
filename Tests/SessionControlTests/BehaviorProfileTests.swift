import SessionControl
import SimulationKernel
import Testing

@Suite("Behaviour profiles and back-off")
struct BehaviorProfileTests {
    @Test func scenarioSpellings() {
        #expect(BehaviorProfile(scenarioValue: "current") == .current)
        #expect(BehaviorProfile(scenarioValue: "teleport-4.4") == .teleport44)
        #expect(BehaviorProfile(scenarioValue: "4.4") == nil)
        #expect(BehaviorProfile.teleport44.scenarioValue == "teleport-4.4")
    }

    @Test func acquireBackoffBaseDiffers() {
        #expect(BehaviorProfile.teleport44.acquireBackoffBase == .milliseconds(300))
        #expect(BehaviorProfile.current.acquireBackoffBase == .milliseconds(400))
        #expect(BehaviorProfile.current.acquireRetry.maxAttempts == 6)
        #expect(BehaviorProfile.teleport44.acquireRetry.maxAttempts == 6)
    }

    @Test func cancelDiffers() {
        #expect(BehaviorProfile.teleport44.cancelRetry.maxAttempts == 1)
        #expect(!BehaviorProfile.teleport44.cancelRetriesOnConflict)
        #expect(!BehaviorProfile.teleport44.cancelPrunesExpiredLeases)
        #expect(BehaviorProfile.current.cancelRetry == BehaviorProfile.current.acquireRetry)
        #expect(BehaviorProfile.current.cancelRetriesOnConflict)
        #expect(BehaviorProfile.current.cancelPrunesExpiredLeases)
    }

    @Test func nominalAcquireDelaysAreLinear() {
        let policy = BehaviorProfile.current.acquireRetry
        #expect((2...6).map { policy.nominalDelay(beforeAttempt: $0) } == [400, 800, 1200, 1600, 2000].map { .milliseconds($0) })
        let old = BehaviorProfile.teleport44.acquireRetry
        #expect((2...6).map { old.nominalDelay(beforeAttempt: $0) } == [300, 600, 900, 1200, 1500].map { .milliseconds($0) })
    }

    @Test func halfJitterStaysInHalfOpenRange() {
        var random = SeededRandom(seed: 1)
        let nominal = Duration.seconds(1)
        for _ in 0..<2_000 {
            let jittered = HalfJitter.apply(to: nominal, using: &random)
            #expect(jittered >= .milliseconds(500))
            #expect(jittered < .seconds(1))
        }
        #expect(HalfJitter.range(for: nominal) == Duration.milliseconds(500)..<Duration.seconds(1))
    }

    @Test func halfJitterIsDeterministicAndDrawsOncePerPositiveDelay() {
        var a = SeededRandom(seed: 99)
        var b = SeededRandom(seed: 99)
        let first = (0..<10).map { _ in HalfJitter.apply(to: .seconds(3), using: &a) }
        let second = (0..<10).map { _ in HalfJitter.apply(to: .seconds(3), using: &b) }
        #expect(first == second)
        var c = SeededRandom(seed: 5)
        let before = c
        #expect(HalfJitter.apply(to: .zero, using: &c) == .zero)
        var reference = before
        #expect(c.next() == reference.next())  // zero delay drew nothing
        var d = SeededRandom(seed: 5)
        #expect(HalfJitter.apply(to: .nanoseconds(1), using: &d) == .zero)  // [0, 1) ns
    }

    @Test func linearBackoffCaps() {
        let backoff = LinearBackoff(step: .milliseconds(7500), cap: .seconds(30))
        #expect((1...6).map { backoff.nominalDelay(retry: $0) } == [7.5, 15, 22.5, 30, 30, 30].map { .seconds($0) })
    }

    @Test func randomIdentifiersAreReproducibleUUIDs() {
        var a = SeededRandom(seed: 3)
        var b = SeededRandom(seed: 3)
        let id = RandomIdentifier.uuid(using: &a)
        #expect(id == RandomIdentifier.uuid(using: &b))
        #expect(id.count == 36)
        let groups = id.split(separator: "-").map(\.count)
        #expect(groups == [8, 4, 4, 4, 12])
        #expect(id.split(separator: "-")[2].first == "4")
        #expect(RandomIdentifier.uuid(using: &a) != id)
    }
}
