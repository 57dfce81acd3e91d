import Runner
import SimulationKernel
import Verdict

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

    /// JUnit XML: one test case per seed, failed seeds with what failed and the
    /// command that reproduces them.
    var junit: String {
        let suite = "clustersim.explore.\(scenario)"
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"clustersim\" tests=\"\(verdicts.count)\" failures=\"\(failing.count)\" errors=\"0\">\n"
        out += "  <testsuite name=\"\(XMLEscaping.attribute(suite))\" tests=\"\(verdicts.count)\" "
            + "failures=\"\(failing.count)\" errors=\"0\" skipped=\"0\">\n"
        out += "    <properties>\n"
        out += "      <property name=\"scenario_file\" value=\"\(XMLEscaping.attribute(file))\"/>\n"
        out += "      <property name=\"first_seed\" value=\"\(plan.firstSeed)\"/>\n"
        out += "      <property name=\"seeds\" value=\"\(plan.count)\"/>\n"
        out += "      <property name=\"shard\" value=\"\(plan.shard.index)/\(plan.shard.total)\"/>\n"
        out += "      <property name=\"swarm\" value=\"\(swarm != nil)\"/>\n"
        out += "    </properties>\n"
        for verdict in verdicts {
            let name = XMLEscaping.attribute("seed \(verdict.seed)")
            let head = "    <testcase classname=\"\(XMLEscaping.attribute(scenario)).seeds\" name=\"\(name)\" time=\"0\""
            guard !verdict.passed else {
                out += head + "/>\n"
                continue
            }
            var details = verdict.failures.joined(separator: "\n")
            for fault in faults(verdict.seed) { details += "\nswarm fault: \(fault)" }
            details += "\nreproduce with: \(reproduce(verdict.seed))"
            out += head + ">\n"
            out += "      <failure message=\"\(XMLEscaping.attribute(verdict.failures.first ?? "failed"))\" type=\"seed\">"
                + XMLEscaping.text(details) + "</failure>\n"
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }
}
