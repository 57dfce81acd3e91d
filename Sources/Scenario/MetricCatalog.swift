/// The metrics a scenario can set expectations on: the contract's Metrics table as data.
///
/// Each metric has a kind, the unit of its values and the tags it carries, in the order
/// the contract lists them. The `expect` decoder checks selectors and thresholds against
/// this table; the verdict checker can use it to render values.
public enum MetricCatalog: Sendable {
    /// Every known metric, in the contract's order.
    public static let all: [MetricDefinition] = {
        let user = MetricTagDefinition(name: "user", values: .user)
        let node = MetricTagDefinition(name: "node", values: .node)
        let mode = MetricTagDefinition(name: "mode", values: .oneOf(RecordingMode.allCases.map(\.rawValue)))
        func reason(_ values: [String]) -> MetricTagDefinition {
            MetricTagDefinition(name: "reason", values: .oneOf(values))
        }
        let rejectionReason = reason(["max_connections", "auth_unreachable", "contention", "node_down"])
        let terminationReason = reason(["lease_lost", "lease_deleted", "node_crash", "recording_failed"])
        let event = MetricTagDefinition(name: "event", values: .any)
        let code = MetricTagDefinition(name: "code", values: .any)
        func counter(_ name: String, _ tags: [MetricTagDefinition], unit: MetricUnit = .count) -> MetricDefinition {
            MetricDefinition(name: name, kind: .counter, unit: unit, tags: tags)
        }
        func gauge(_ name: String, _ tags: [MetricTagDefinition], unit: MetricUnit = .count) -> MetricDefinition {
            MetricDefinition(name: name, kind: .gauge, unit: unit, tags: tags)
        }
        func histogram(_ name: String) -> MetricDefinition {
            MetricDefinition(name: name, kind: .histogram, unit: .seconds, tags: [user])
        }
        return [
            counter("connections_attempted", [user, node]),
            counter("connections_accepted", [user, node]),
            counter("connections_rejected", [user, node, rejectionReason]),
            counter("connections_terminated", [user, node, terminationReason]),
            counter("connections_closed", [user, node]),
            gauge("concurrent_connections_peak", [user]),
            gauge("limit_exceeded_seconds", [user], unit: .seconds),
            counter("sessions_opened", [user, node]),
            counter("sessions_rejected", [user, node, reason(["max_sessions"])]),
            counter("audit_events", [event, code]),
            counter("leases_acquired", [user]),
            counter("leases_cancelled", [user]),
            counter("leases_expired", [user]),
            gauge("leases_live_at_end", [user]),
            histogram("acquire_latency"),
            histogram("lease_release_lag"),
            histogram("lease_expiry_lag"),
            counter("recording_events_emitted", [mode]),
            counter("recording_events_persisted", [mode]),
            counter("recording_events_pending", [mode]),
            counter("recording_events_lost", [mode]),
            counter("recording_bytes_uploaded", [], unit: .bytes),
            counter("upload_parts", []),
            counter("uploads_completed", []),
            counter("uploads_aborted", []),
            gauge("upload_throughput", [], unit: .bytesPerSecond),
            gauge("sim_events", []),
            gauge("sim_virtual_seconds", [], unit: .seconds),
            gauge("sim_wall_seconds", [], unit: .seconds),
            gauge("sim_messages_sent", []),
            gauge("sim_messages_delivered", []),
            gauge("sim_messages_dropped", []),
            gauge("sim_requests_timed_out", []),
        ]
    }()

    /// The metric with this name, if known.
    /// - Complexity: O(*n*) in the number of metrics (about 30).
    public static func metric(named name: String) -> MetricDefinition? {
        all.first { $0.name == name }
    }
}

/// One metric of the catalog: its name, kind, value unit and tags.
public struct MetricDefinition: Sendable, Hashable {
    /// The metric's name, e.g. `connections_rejected`.
    public var name: String
    /// Counter, gauge or histogram.
    public var kind: MetricKind
    /// The unit of the metric's values (and of its histogram aggregates other than `count`).
    public var unit: MetricUnit
    /// The tags the metric carries, in the contract's order.
    public var tags: [MetricTagDefinition]

    /// Creates a definition.
    public init(name: String, kind: MetricKind, unit: MetricUnit, tags: [MetricTagDefinition]) {
        self.name = name
        self.kind = kind
        self.unit = unit
        self.tags = tags
    }

    /// The tag with this name, if the metric has it.
    public func tag(named name: String) -> MetricTagDefinition? {
        tags.first { $0.name == name }
    }
}

/// What kind of value a metric holds.
public enum MetricKind: String, Sendable, Hashable, CaseIterable {
    /// A count that only grows; a selector sums over unnamed tags.
    case counter
    /// A single number (a maximum, a total, a rate).
    case gauge
    /// A distribution of observations; thresholds name an aggregate (`max <= 2m`).
    case histogram
}

/// The unit of a metric's values, which decides which threshold units are accepted.
public enum MetricUnit: String, Sendable, Hashable, CaseIterable {
    /// A plain count: thresholds are plain numbers.
    case count
    /// Seconds: thresholds are durations (`2m`) or plain numbers of seconds.
    case seconds
    /// Bytes: thresholds are sizes (`5MiB`) or plain numbers of bytes.
    case bytes
    /// Bytes per second: thresholds are byte rates (`1MiB/s`) or plain numbers.
    case bytesPerSecond = "bytes_per_second"
}

/// A tag a metric carries and which values it takes.
public struct MetricTagDefinition: Sendable, Hashable {
    /// The tag's name, e.g. `reason`.
    public var name: String
    /// The values the tag takes.
    public var values: Values

    /// Which values a tag takes.
    public enum Values: Sendable, Hashable {
        /// A user name defined by the scenario (a single user or a group member).
        case user
        /// A node name defined by the scenario.
        case node
        /// One of a fixed list.
        case oneOf([String])
        /// Any text (e.g. `event`, `code` of audit events).
        case any
    }

    /// Creates a tag definition.
    public init(name: String, values: Values) {
        self.name = name
        self.values = values
    }
}
