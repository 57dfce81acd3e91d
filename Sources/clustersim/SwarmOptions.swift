import ArgumentParser
import Runner
import Scenario

/// The swarm-mode options shared by `explore` (which draws each seed's faults) and
/// `shrink` (which writes a failing seed's drawn faults out as explicit faults).
struct SwarmOptions: ParsableArguments {
    @Flag(help: "Swarm mode: each seed also draws a fault schedule (kinds, times, targets within the scenario's `swarm:` bounds, overridden by the options below).")
    var swarm = false

    @Option(help: "Swarm: most faults per seed (default: the scenario's max_faults, else 3).")
    var swarmFaults: Int?

    @Option(help: "Swarm: fault kinds to draw from, comma-separated: partition,crash,clock_skew,latency,loss (default: the scenario's kinds, else all).")
    var swarmKinds: String?

    @Option(help: "Swarm: largest clock skew, e.g. 10s (default: the scenario's max_skew, else 10s).")
    var swarmMaxSkew: String?

    func validate() throws {
        guard swarm else { return }
        if let swarmFaults, swarmFaults < 1 { throw ValidationError("--swarm-faults must be at least 1") }
        _ = try bounds(base: SwarmBounds())
    }

    /// The bounds for `scenario` (its `swarm:` settings with these options applied), or nil
    /// without `--swarm`.
    func bounds(for scenario: Scenario) throws -> SwarmBounds? {
        swarm ? try bounds(base: SwarmBounds(scenario: scenario)) : nil
    }

    /// `base` (the scenario's bounds) with the command line's options applied.
    func bounds(base: SwarmBounds) throws -> SwarmBounds {
        var bounds = base
        if let swarmFaults { bounds.maxFaults = swarmFaults }
        if let swarmKinds {
            var kinds: [SwarmBounds.Kind] = []
            for name in swarmKinds.split(separator: ",").map({ String($0).trimmingSpaces }) where !name.isEmpty {
                guard let kind = SwarmBounds.Kind(rawValue: name) else {
                    let known = SwarmBounds.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                    throw ValidationError("unknown swarm fault kind '\(name)' (expected one of: \(known))")
                }
                kinds.append(kind)
            }
            guard !kinds.isEmpty else { throw ValidationError("--swarm-kinds names no fault kind") }
            bounds.kinds = kinds
        }
        if let swarmMaxSkew {
            do {
                bounds.maxSkew = try Units.parseDuration(swarmMaxSkew)
            } catch {
                throw ValidationError("--swarm-max-skew: expected a duration like '10s', found '\(swarmMaxSkew)'")
            }
        }
        return bounds
    }

    /// The options that reproduce `bounds` on the command line (`--swarm --swarm-faults 3 …`).
    static func arguments(for bounds: SwarmBounds) -> String {
        "--swarm --swarm-faults \(bounds.maxFaults) --swarm-kinds \(bounds.kinds.map(\.rawValue).joined(separator: ",")) "
            + "--swarm-max-skew \(Units.format(duration: bounds.maxSkew))"
    }
}
