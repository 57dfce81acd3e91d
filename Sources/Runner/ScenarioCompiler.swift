#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Cluster
public import Scenario
import SessionControl
import SimulatedNetwork
public import SimulationKernel

/// Turns a validated ``Scenario`` into the cluster it describes.
///
/// The scenario was validated when it was loaded (names defined, values in range),
/// so compiling cannot fail on user input.
public enum ScenarioCompiler {
    /// The cluster configuration of `scenario`, with `seed` as its root seed.
    public static func configuration(for scenario: Scenario, seed: UInt64) -> ClusterConfiguration {
        var configuration = ClusterConfiguration()
        configuration.seed = seed
        configuration.behavior = scenario.behavior.value == .teleport44 ? .teleport44 : .current
        configuration.sessionControlTimeout = scenario.cluster.sessionControlTimeout.value
        configuration.backendLatency = scenario.cluster.backendLatency.value
        configuration.authCount = scenario.cluster.authCount.value
        configuration.proxyCount = scenario.cluster.proxyCount.value
        configuration.nodes = scenario.cluster.nodes.map {
            ClusterConfiguration.NodeSpec(name: $0.name.value, kind: $0.kind.value == .openssh ? .openssh : .teleport)
        }
        configuration.network = LinkProfile(
            latency: durationDistribution(scenario.cluster.network.latency.value),
            loss: scenario.cluster.network.loss.value)
        configuration.roles = scenario.roles.compactMap {
            try? SessionControl.Role(name: $0.name.value, maxConnections: $0.maxConnections.value,
                                     maxSessions: $0.maxSessions.value)
        }
        configuration.users = scenario.users.flatMap { definition in
            let roles = definition.roles.map(\.value)
            let client: ClusterConfiguration.ClientKind = definition.client.value == .openssh ? .openssh : .tsh
            return definition.memberNames.map { ClusterConfiguration.UserSpec(name: $0, roles: roles, client: client) }
        }
        configuration.recording.mode = recordingMode(scenario.cluster.recording.mode.value)
        if let grace = scenario.cluster.recording.gracePeriod?.value {
            // Checked every 10 minutes, or every quarter of a shorter grace period.
            let check = Swift.max(Swift.min(.seconds(600), grace / 4), .seconds(1))
            configuration.recording.completer = UploadCompleterSettings(gracePeriod: grace, checkPeriod: check)
        }
        return configuration
    }

    /// The recording mode of the cluster module for a scenario's `recording.mode`.
    static func recordingMode(_ mode: RecordingMode) -> SessionRecordingMode {
        switch mode {
        case .node: .node
        case .proxy: .proxy
        case .off: .off
        case .nodeSync: .nodeSync
        case .proxySync: .proxySync
        }
    }

    /// The kernel's distribution for a scenario's duration distribution.
    public static func durationDistribution(_ distribution: Distribution<Duration>) -> DurationDistribution {
        switch distribution {
        case .constant(let value): .constant(value)
        case .exponential(let mean): .exponential(mean: mean)
        case .uniform(let low, let high): .uniform(min: low, max: high)
        case .normal(let mean, let deviation): .normal(mean: mean, standardDeviation: deviation)
        }
    }

    /// Draws one value of a numeric distribution (sessions counts and the like).
    public static func sample(_ distribution: Distribution<Double>, using random: inout SeededRandom) -> Double {
        switch distribution {
        case .constant(let value):
            return value
        case .exponential(let mean):
            return -mean * log(random.nextOpenUnit())
        case .uniform(let low, let high):
            return low + (high - low) * random.nextUnit()
        case .normal(let mean, let deviation):
            return Swift.max(0, mean + deviation * random.nextStandardNormal())
        }
    }
}

