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

    @Test("open channels stay in the order they opened, through closes of the first, a middle one and the last")
    func openChannelsKeepTheirOrder() {
        var counter = SessionChannelCounter(limit: .unlimited)
        for id: UInt32 in [5, 3, 9, 1, 7] { _ = counter.open(id, kind: .session) }
        #expect(counter.openSessionChannels == [5, 3, 9, 1, 7])
        let closedFirst = counter.close(5)
        let closedMiddle = counter.close(1)
        let closedLast = counter.close(7)
        #expect(closedFirst && closedMiddle && closedLast)
        #expect(counter.openSessionChannels == [3, 9])
        #expect(counter.isOpen(3) && counter.isOpen(9) && !counter.isOpen(5) && !counter.isOpen(1))
        #expect(counter.open(5, kind: .session) == .opened(counted: true))  // a closed id may open again
        var visited: [UInt32] = []
        counter.forEachOpenSessionChannel { visited.append($0) }
        #expect(visited == [3, 9, 5])
        #expect(counter.openSessionCount == 3)
        for id: UInt32 in [3, 9, 5] { _ = counter.close(id) }
        #expect(counter.openSessionChannels.isEmpty && counter.openSessionCount == 0)
    }

    @Test("counters with the same limit and open channels are equal, whatever order those opened in")
    func equalityIgnoresOrder() {
        var first = SessionChannelCounter(limit: .limited(3))
        var second = SessionChannelCounter(limit: .limited(3))
        _ = first.open(1, kind: .session)
        _ = first.open(2, kind: .session)
        _ = second.open(2, kind: .session)
        _ = second.open(1, kind: .session)
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        _ = second.close(1)
        #expect(first != second)
        #expect(SessionChannelCounter(limit: .limited(3)) != SessionChannelCounter(limit: .limited(4)))
    }
}
