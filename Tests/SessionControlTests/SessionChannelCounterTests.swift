import SessionControl
import Testing

@Suite("Per-connection session counter")
struct SessionChannelCounterTests {
    @Test func sessionChannelsCountUpToTheLimit() {
        var counter = SessionChannelCounter(limit: .limited(2))
        #expect(counter.open(0, kind: .session) == .opened(counted: true))
        #expect(counter.open(1, kind: .session) == .opened(counted: true))
        #expect(counter.open(2, kind: .session) == .rejected(max: 2))
        #expect(counter.openSessionCount == 2)
        #expect(!counter.isOpen(2))
    }

    @Test func portForwardingDoesNotCount() {
        var counter = SessionChannelCounter(limit: .limited(1))
        #expect(counter.open(0, kind: .portForward) == .opened(counted: false))
        #expect(counter.open(1, kind: .portForward) == .opened(counted: false))
        #expect(counter.openSessionCount == 0)
        #expect(counter.open(2, kind: .session) == .opened(counted: true))
        #expect(counter.open(3, kind: .portForward) == .opened(counted: false))  // still allowed at the limit
        let closedForward = counter.close(0)
        #expect(!closedForward)
    }

    @Test func closingFreesTheSlotOnce() {
        var counter = SessionChannelCounter(limit: .limited(1))
        _ = counter.open(7, kind: .session)
        let first = counter.close(7)
        let second = counter.close(7)
        #expect(first)
        #expect(!second)  // a repeated close frees nothing
        #expect(counter.openSessionCount == 0)
        #expect(counter.open(8, kind: .session) == .opened(counted: true))
        let unknown = counter.close(99)
        #expect(!unknown)
    }

    @Test func hiddenScpChannelCountsSoMaxSessionsOneRejectsScp() {
        // scp opens a hidden session channel (resolving ~) before the transfer channel.
        var counter = SessionChannelCounter(limit: .limited(1))
        #expect(counter.open(0, kind: .session) == .opened(counted: true))  // hidden
        let transfer = counter.open(1, kind: .session)
        #expect(transfer == .rejected(max: 1))
        let rejection = LimitRejection(kind: .maxSessions, user: "alice", max: 1)
        #expect(!rejection.closesConnection)  // the connection stays up
    }

    @Test func unlimitedAdmitsAnyNumber() {
        var counter = SessionChannelCounter(limit: .unlimited)
        for id in 0..<1_000 { #expect(counter.open(UInt32(id), kind: .session) == .opened(counted: true)) }
        #expect(counter.openSessionCount == 1_000)
    }
}
