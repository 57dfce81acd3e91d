import SessionRecording
import SimulationKernel
import Testing

@Suite("Slow-auth back-off")
struct SlowAuthBackoffTests {
    @Test("5 s blocked drops the event and starts 30 s of dropping; at exactly 30 s events flow again")
    func backoff() {
        var gate = SlowAuthBackoff()
        #expect(gate.admit(now: at(10)) == .send(giveUpAt: at(15)))
        gate.sendTimedOut(now: at(15))
        #expect(gate.lostEvents == 1 && gate.backoffs == 1)
        #expect(gate.isBackingOff(now: at(15)))
        #expect(gate.admit(now: at(20)) == .drop)
        #expect(gate.admit(now: at(45).advanced(by: .nanoseconds(-1))) == .drop)
        #expect(gate.lostEvents == 3)
        #expect(gate.admit(now: at(45)) == .send(giveUpAt: at(50)))
        #expect(gate.backoffUntil == nil)
        #expect(gate.lostEvents == 3)
    }

    @Test("durations are configurable")
    func configurable() {
        var gate = SlowAuthBackoff(configuration: SlowAuthBackoff.Configuration(blockTimeout: .seconds(1), backoff: .seconds(2)))
        #expect(gate.admit(now: .zero) == .send(giveUpAt: at(1)))
        gate.sendTimedOut(now: at(1))
        #expect(gate.admit(now: at(2.5)) == .drop)
        #expect(gate.admit(now: at(3)) == .send(giveUpAt: at(4)))
    }
}
