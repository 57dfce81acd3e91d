import Foundation

/// Scenario texts shared by the end-to-end tests.
enum Fixtures {
    /// A node whose clock runs 30 s ahead crashes while holding a lease. Its lease
    /// expiry was written 30 s too late, so the lease outlives the crashed holder by
    /// 141 s, more than the 120 s timeout: `lease-bounded` fails (exit 1). Real
    /// behaviour of the modelled system, useful as a known failure.
    static let clockAheadCrash = """
        name: clock-ahead-crash
        description: node-1 runs 30s ahead and crashes holding a lease.
        duration: 5m
        cluster:
          nodes: [node-1, node-2]
        roles:
          limited: { max_connections: 1 }
        users:
          olga: { roles: [limited] }
        faults:
          - { at: 0s, clock_skew: { host: node-1, offset: 30s } }
          - { at: 10s, crash: node-1 }
        script:
          - { at: 1s, user: olga, connect: node-1 }
        """

    /// Writes `text` as `name` in `directory` and returns its path.
    static func write(_ text: String, named name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
