import Cluster
import SessionControl
import SimulatedNetwork
import SimulationKernel

/// A small cluster: backend, auth-1, proxy-1, node-1..3, users with limits.
func makeConfiguration(
    seed: UInt64 = 1, behavior: BehaviorProfile = .current, maxConnections: Int = 2, maxSessions: Int = 0,
    users: [String] = ["alice"], proxies: Int = 1
) -> ClusterConfiguration {
    var configuration = ClusterConfiguration()
    configuration.seed = seed
    configuration.behavior = behavior
    configuration.proxyCount = proxies
    configuration.nodes = [.init(name: "node-1"), .init(name: "node-2"), .init(name: "node-3"),
                           .init(name: "legacy-1", kind: .openssh)]
    configuration.network = LinkProfile(latency: .constant(.milliseconds(1)))
    configuration.roles = [try! Role(name: "limited", maxConnections: maxConnections, maxSessions: maxSessions),
                           try! Role(name: "free")]
    configuration.users = users.map { .init(name: $0, roles: ["limited"]) } + [.init(name: "root", roles: ["free"])]
    return configuration
}

extension SimCluster {
    /// Records matching `predicate`, with their times.
    func records(where predicate: (Observation) -> Bool) -> [ObservationRecord] {
        log.records.filter { predicate($0.observation) }
    }

    func accepted(user: String) -> [ObservationRecord] {
        records {
            if case .connectionAccepted(_, let u, _, _, _) = $0 { return u == user }
            return false
        }
    }

    func rejected(user: String, reason: ConnectionRejection) -> [ObservationRecord] {
        records {
            if case .connectionRejected(_, let u, _, let r, _) = $0 { return u == user && r == reason }
            return false
        }
    }

    func terminated(reason: ConnectionTermination) -> [ObservationRecord] {
        records {
            if case .connectionTerminated(_, _, _, let r) = $0 { return r == reason }
            return false
        }
    }

    var auditEvents: [SessionRejectedEvent] {
        log.records.compactMap {
            if case .auditEventStored(let event) = $0.observation { return event }
            return nil
        }
    }

    var lifetimes: ConnectionLifetimes { ConnectionLifetimes(log.records) }

    /// The expiry of `leaseID` as last written at the backend.
    func lastExpiry(ofLease leaseID: String) -> SimInstant? {
        var expiry: SimInstant?
        for record in log.records {
            switch record.observation {
            case .leaseGranted(_, let id, _, let expires) where id == leaseID: expiry = expires
            case .leaseExtended(_, let id, let expires) where id == leaseID: expiry = expires
            default: break
            }
        }
        return expiry
    }
}

extension SimInstant {
    static func seconds(_ s: Double) -> SimInstant { SimInstant(nanoseconds: Int64(s * 1e9)) }
}
