import Cluster

/// Every semaphore lease's life at the backend, derived from the observation log: when it
/// was granted, renewed, and how it ended. Follows the checker's reading of the log
/// (a lease is gone at its removal or at its expiry, whichever comes first).
struct LeaseTimeline {
    /// How a lease ended.
    enum Outcome: String, Hashable, CaseIterable {
        /// Cancelled by its node before it expired.
        case cancelled
        /// Expired (pruned after its expiry, or never removed in time).
        case expired
        /// Removed by an administrator (`delete_semaphore`).
        case deleted
        /// Still live at the end of the run.
        case live = "live at end"

        /// The bar colour (Okabe–Ito).
        var colour: String {
            switch self {
            case .cancelled: Palette.blue
            case .expired: Palette.vermillion
            case .deleted: Palette.purple
            case .live: Palette.grey
            }
        }
    }

    /// One lease.
    struct Lease {
        let id: String
        let user: String
        /// The node that holds it.
        let holder: String
        /// When the backend stored it, in seconds.
        let granted: Double
        /// When the backend moved its expiry (keep-alives), in seconds.
        var renewals: [Double] = []
        /// The expiry as last written, in seconds.
        var expires: Double
        /// When the backend removed it, in seconds.
        var removed: Double?
        /// How it was removed: `expired` (pruned), `cancelled` or `deleted`.
        var removal: Outcome?
        /// How it ended, once resolved against the end of the run.
        var outcome: Outcome = .live
        /// When it stopped being live (the end of the run if it never did).
        var end: Double = 0
    }

    /// Leases in order of grant.
    private(set) var leases: [Lease] = []

    /// Lease-release lags (normal close → lease gone at the backend), in seconds, in lease order.
    private(set) var releaseLags: [Double] = []
    /// Lease-expiry lags (holder crashed or cut off → lease gone), in seconds, in lease order.
    private(set) var expiryLags: [Double] = []

    /// Derives the history from `records`; `runEnd` resolves leases never removed.
    /// - Complexity: O(*n*) in the number of records.
    init(records: ObservationRecords, runEnd: Double) {
        var index: [String: Int] = [:]
        var endings: [String: (time: Double, normal: Bool)] = [:]
        for record in records {
            let time = record.time.seconds
            switch record.observation {
            case .leaseGranted(let user, let id, let holder, let expires):
                index[id] = leases.count
                leases.append(Lease(id: id, user: user, holder: holder, granted: time, expires: expires.seconds))
            case .leaseExtended(_, let id, let expires):
                guard let position = index[id] else { continue }
                leases[position].expires = expires.seconds
                leases[position].renewals.append(time)
            case .leaseRemoved(_, let id, let expired):
                guard let position = index[id], leases[position].removed == nil else { continue }
                leases[position].removed = time
                leases[position].removal = expired ? .expired : .cancelled
            case .semaphoreDeleted(_, let ids):
                for id in ids {
                    guard let position = index[id], leases[position].removed == nil else { continue }
                    leases[position].removed = time
                    leases[position].removal = .deleted
                }
            case .connectionClosed(let connection, _, _):
                endings[connection.leaseID] = (time, true)
            case .connectionTerminated(let connection, _, _, let reason)
            where reason == .nodeCrash || reason == .leaseLost:
                endings[connection.leaseID] = (time, false)
            default:
                break
            }
        }
        for position in leases.indices {
            var lease = leases[position]
            let expiredInRun = lease.expires <= runEnd
            let gone = [lease.removed, expiredInRun ? lease.expires : nil].compactMap { $0 }.min()
            switch lease.removal {
            case .expired: lease.outcome = .expired
            case .cancelled, .deleted:
                lease.outcome = (lease.removed ?? 0) > lease.expires ? .expired : lease.removal ?? .cancelled
            case .live, nil: lease.outcome = expiredInRun ? .expired : .live
            }
            lease.end = gone ?? runEnd
            leases[position] = lease
            if let gone, let ending = endings[lease.id] {
                let lag = max(0, gone - ending.time)
                if ending.normal { releaseLags.append(lag) } else { expiryLags.append(lag) }
            }
        }
    }

    /// The nodes that held leases, sorted by name.
    var holders: [String] { Set(leases.map(\.holder)).sorted() }

    /// The number of leases that ended each way.
    func count(_ outcome: Outcome) -> Int { leases.count(where: { $0.outcome == outcome }) }
}
