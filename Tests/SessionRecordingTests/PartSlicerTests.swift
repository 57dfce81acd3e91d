import SessionRecording
import SimulationKernel
import Testing

@Suite("Part slicing rules")
struct PartSlicerTests {
    let configuration = PartSlicer.Configuration(minimumPartSize: 1000)

    @Test("defaults: 5 MiB at auth, 128 KiB locally, 5 min inactivity, 10,000 parts")
    func defaults() {
        #expect(PartSlicer.Configuration.auth.minimumPartSize == 5 * 1024 * 1024)
        #expect(PartSlicer.Configuration.local.minimumPartSize == 128 * 1024)
        #expect(PartSlicer.Configuration.auth.inactivityFlush == .seconds(300))
        #expect(PartSlicer.Configuration.auth.maximumPartNumber == 10_000)
    }

    @Test("a part is cut when it reaches exactly the minimum size, not a byte before")
    func cutAtMinimum() {
        var slicer = PartSlicer(configuration: configuration)
        #expect(slicer.eventWritten(now: .zero, partSize: 999) == nil)
        #expect(slicer.eventWritten(now: .zero, partSize: 1000) == .size)
        slicer.partCut(reason: .size)
        #expect(slicer.partNumber == 2)
        #expect(slicer.eventsInPart == 0)
        #expect(slicer.eventWritten(now: .zero, partSize: 5000) == .size)
    }

    @Test("inactivity flush at exactly 5 minutes after the last event")
    func inactivity() {
        var slicer = PartSlicer(configuration: configuration)
        #expect(slicer.inactivityDeadline == nil)
        #expect(slicer.timerFired(now: at(1000)) == .idle)
        _ = slicer.eventWritten(now: at(10), partSize: 100)
        _ = slicer.eventWritten(now: at(20), partSize: 200)
        #expect(slicer.inactivityDeadline == at(320))
        #expect(slicer.timerFired(now: at(310)) == .rearm(at: at(320)))
        #expect(slicer.timerFired(now: at(320).advanced(by: .nanoseconds(-1))) == .rearm(at: at(320)))
        #expect(slicer.timerFired(now: at(320)) == .cut)
        slicer.partCut(reason: .inactivity)
        #expect(slicer.inactivityDeadline == nil)
    }

    @Test("non-final parts are padded to the minimum; the final part is not")
    func padding() {
        let slicer = PartSlicer(configuration: configuration)
        #expect(slicer.paddingSize(forPartSize: 300, reason: .inactivity) == 700)
        #expect(slicer.paddingSize(forPartSize: 300, reason: .flush) == 700)
        #expect(slicer.paddingSize(forPartSize: 1200, reason: .size) == 0)
        #expect(slicer.paddingSize(forPartSize: 300, reason: .completion) == 0)
    }

    @Test("the 10,000th part is never cut early: it takes the rest and is the final part")
    func lastAllowedPart() {
        var slicer = PartSlicer(configuration: configuration, firstPartNumber: 9_999)
        #expect(!slicer.isLastAllowedPart)
        #expect(slicer.eventWritten(now: .zero, partSize: 1000) == .size)
        slicer.partCut(reason: .size)
        #expect(slicer.partNumber == 10_000)
        #expect(slicer.isLastAllowedPart)
        #expect(slicer.eventWritten(now: .zero, partSize: 1_000_000) == nil)
        #expect(slicer.inactivityDeadline == nil)
        #expect(slicer.timerFired(now: at(100_000)) == .idle)
        #expect(!slicer.canFlush)
        slicer.partCut(reason: .completion)
        #expect(slicer.partNumber == 10_000)
    }
}
