import Cluster
import SimulationKernel
import Testing

@testable import Runner

/// The pieces of a lease's history the checks and metrics read, against their plain
/// definitions.
@Suite("Lease history")
struct LeaseHistoryTests {
    @Test("a lease id names its connection as UInt64 parsing of its digits does, and every connection's own id names it")
    func connectionOfLeaseID() {
        func reference(_ id: String) -> ConnectionID? {
            guard id.hasPrefix("lease-"), let raw = UInt64(id.dropFirst(6)) else { return nil }
            return ConnectionID(raw)
        }
        var ids = ["lease-0", "lease-1", "lease-42", "lease-18446744073709551615", "lease-18446744073709551616",
                   "lease-", "lease", "", "lease-+7", "lease--7", "lease-7x", "lease- 7", "Lease-7", "lease-٣",
                   "lease-\u{301}7", "lease-7\u{301}", "lease-0007", "xlease-7", "lease-99999999999999999999"]
        var random = SeededRandom(seed: 5)
        for _ in 0..<500 { ids.append("lease-\(random.next() >> UInt64(random.next(below: 64)))") }
        for raw: UInt64 in [0, 7, 1_234_567, .max] { #expect(ConnectionID(leaseID: ConnectionID(raw).leaseID) == ConnectionID(raw)) }
        for id in ids {
            #expect(ConnectionID(leaseID: id) == reference(id), "\(id)")
        }
    }

    @Test("a lease is gone at the earlier of its removal and an expiry by the end")
    func gone() {
        func at(_ seconds: Int64) -> SimInstant { SimInstant(nanoseconds: seconds * 1_000_000_000) }
        func reference(_ lease: LeaseHistory.Lease, _ end: SimInstant) -> SimInstant? {
            [lease.removed, lease.expires <= end ? lease.expires : nil].compactMap { $0 }.min()
        }
        for removed in [nil, 5, 10, 15] as [Int64?] {
            for expires: Int64 in [5, 10, 20] {
                for end: Int64 in [4, 10, 30] {
                    var lease = LeaseHistory.Lease(leaseID: "lease-1", user: "u", holder: "n", granted: at(0),
                                                   expires: at(expires))
                    lease.removed = removed.map(at)
                    #expect(lease.gone(before: at(end)) == reference(lease, at(end)))
                }
            }
        }
    }
}
