import Runner
import SimulationKernel

/// What `explore` prints and writes: per-seed verdicts and the failing seeds.
struct ExploreSummary {
    let scenario: String
    let file: String
    let plan: SeedPlan
    let swarm: SwarmBounds?
    let verdicts: [SeedVerdict]
    let wallSeconds: Double
    let reproduce: (UInt64) -> String
    let faults: (UInt64) -> [String]

    var failing: [SeedVerdict] { verdicts.filter { !$0.passed } }

    /// The human summary.
    var text: String {
        var out = "explore: \(scenario) (\(file)), seeds \(plan.firstSeed)..\(plan.firstSeed &+ UInt64(plan.count) &- 1)"
        if plan.shard.total > 1 { out += ", shard \(plan.shard.index)/\(plan.shard.total)" }
        if swarm != nil { out += ", swarm" }
        out += "\n"
        out += "  \(verdicts.count) runs, \(verdicts.count - failing.count) passed, \(failing.count) failed "
            + "in \(formatFixed(wallSeconds, 2))s\n"
        for verdict in failing {
            out += "\nFAIL seed \(verdict.seed)\n"
            for failure in verdict.failures { out += "  \(failure)\n" }
            for fault in faults(verdict.seed) { out += "  swarm fault: \(fault)\n" }
            out += "  reproduce with: \(reproduce(verdict.seed))\n"
        }
        out += failing.isEmpty ? "\nPASSED: every seed held\n" : "\nFAILED: \(failing.count) of \(verdicts.count) seeds\n"
        return out
    }

    /// The JSON document (deterministic apart from `wall_seconds`).
    var json: String {
        var out = "{\n"
        out += "  \"scenario\": \(JSONText.quoted(scenario)),\n"
        out += "  \"scenario_file\": \(JSONText.quoted(file)),\n"
        out += "  \"first_seed\": \(plan.firstSeed),\n"
        out += "  \"seeds\": \(plan.count),\n"
        out += "  \"shard\": \(JSONText.quoted("\(plan.shard.index)/\(plan.shard.total)")),\n"
        out += "  \"swarm\": \(swarm != nil),\n"
        out += "  \"runs\": \(verdicts.count),\n"
        out += "  \"failures\": \(failing.count),\n"
        out += "  \"passed\": \(failing.isEmpty),\n"
        out += "  \"wall_seconds\": \(wallSeconds),\n"
        out += "  \"verdicts\": [\n"
        out += verdicts.map { verdict in
            var line = "    {\"seed\": \(verdict.seed), \"passed\": \(verdict.passed), "
            line += "\"trace_digest\": \(JSONText.quoted(verdict.traceDigest)), \"failures\": ["
            line += verdict.failures.map(JSONText.quoted).joined(separator: ", ")
            line += "]"
            if !verdict.passed { line += ", \"reproduce\": \(JSONText.quoted(reproduce(verdict.seed)))" }
            return line + "}"
        }.joined(separator: ",\n")
        out += "\n  ]\n}\n"
        return out
    }
}
