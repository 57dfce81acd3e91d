import ArgumentParser
import Foundation
import SimulationKernel

/// `clustersim merge`: combine the `--json` files of several `explore` shards.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the --json files of several explore shards into one summary.",
        discussion: """
            The files must come from the same scenario, first seed, seed count and swarm setting. \
            Exit status: 0 when every seed of the exploration ran and passed, 1 when a seed failed or \
            is missing (no shard ran it), 2 when a file cannot be read or the files disagree.
            """
    )

    @Argument(help: "JSON files written by `clustersim explore --json`.")
    var files: [String]

    @Option(help: "Write the merged verdicts as JSON to this file ('-' for standard output).")
    var json: String?

    struct Shard {
        let scenario: String
        let file: String
        let firstSeed: UInt64
        let seeds: Int
        let swarm: Bool
        let shard: String
        let verdicts: [[String: Any]]
    }

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one explore --json file") }
        if let json, files.contains(json) { throw ValidationError("'\(json)' is one of the inputs; refusing to overwrite it") }
    }

    func run() throws {
        let shards = try files.map(read)
        let first = shards[0]
        for (path, shard) in zip(files, shards) where shard.scenario != first.scenario || shard.firstSeed != first.firstSeed
            || shard.seeds != first.seeds || shard.swarm != first.swarm {
            writeStandardError("\(path): error: this shard explored \(shard.scenario) seeds \(shard.firstSeed)+\(shard.seeds)"
                + "\(shard.swarm ? " (swarm)" : ""), but \(files[0]) explored \(first.scenario) seeds "
                + "\(first.firstSeed)+\(first.seeds)\(first.swarm ? " (swarm)" : ""); merge shards of one exploration")
            throw ExitStatus.badInput
        }
        var bySeed: [UInt64: [String: Any]] = [:]
        var duplicates: [UInt64] = []
        for shard in shards {
            for verdict in shard.verdicts {
                guard let seed = (verdict["seed"] as? NSNumber)?.uint64Value else { continue }
                if bySeed[seed] != nil { duplicates.append(seed) }
                bySeed[seed] = verdict
            }
        }
        let expected = (0..<first.seeds).map { first.firstSeed &+ UInt64($0) }
        let missing = expected.filter { bySeed[$0] == nil }
        let failing = expected.compactMap { bySeed[$0] }.filter { ($0["passed"] as? Bool) != true }
        var text = "merge: \(first.scenario), \(shards.count) shard file(s), seeds \(first.firstSeed)..\(first.firstSeed &+ UInt64(first.seeds) &- 1)\n"
        text += "  \(bySeed.count) of \(first.seeds) seeds ran, \(failing.count) failed\n"
        if !duplicates.isEmpty { text += "  note: \(duplicates.count) seed(s) ran in more than one shard (kept the last)\n" }
        if !missing.isEmpty {
            text += "  MISSING \(missing.count) seed(s) no shard ran: \(Self.ranges(missing))\n"
        }
        for verdict in failing {
            text += "\nFAIL seed \((verdict["seed"] as? NSNumber)?.uint64Value ?? 0)\n"
            for failure in verdict["failures"] as? [String] ?? [] { text += "  \(failure)\n" }
            if let reproduce = verdict["reproduce"] as? String { text += "  reproduce with: \(reproduce)\n" }
        }
        let passed = failing.isEmpty && missing.isEmpty
        text += passed ? "\nPASSED: every seed held\n" : "\nFAILED\n"
        if json == "-" { writeStandardError(text) } else { print(text, terminator: "") }
        if let json {
            var out = "{\n  \"scenario\": \(JSONText.quoted(first.scenario)),\n  \"scenario_file\": \(JSONText.quoted(first.file)),\n"
            out += "  \"first_seed\": \(first.firstSeed),\n  \"seeds\": \(first.seeds),\n  \"shard\": \"merged\",\n"
            out += "  \"swarm\": \(first.swarm),\n  \"runs\": \(bySeed.count),\n  \"failures\": \(failing.count),\n"
            out += "  \"missing\": [\(missing.map(String.init).joined(separator: ", "))],\n  \"passed\": \(passed),\n"
            let lines = try expected.compactMap { seed -> String? in
                guard let verdict = bySeed[seed] else { return nil }
                let data = try JSONSerialization.data(withJSONObject: verdict, options: [.sortedKeys])
                return "    " + String(decoding: data, as: UTF8.self)
            }
            out += "  \"verdicts\": [\n" + lines.joined(separator: ",\n") + "\n  ]\n}\n"
            do {
                try OutputFile.write(out, to: json)
            } catch {
                writeStandardError("error: \(error)")
                throw ExitStatus.badInput
            }
        }
        if !passed { throw ExitStatus.failure }
    }

    private func read(_ path: String) throws -> Shard {
        guard let data = FileManager.default.contents(atPath: path) else {
            writeStandardError("\(path): error: cannot read the file; check the path")
            throw ExitStatus.badInput
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let scenario = object["scenario"] as? String,
              let firstSeed = (object["first_seed"] as? NSNumber)?.uint64Value,
              let seeds = (object["seeds"] as? NSNumber)?.intValue,
              let verdicts = object["verdicts"] as? [[String: Any]]
        else {
            writeStandardError("\(path): error: not a file written by `clustersim explore --json`")
            throw ExitStatus.badInput
        }
        return Shard(scenario: scenario, file: object["scenario_file"] as? String ?? "", firstSeed: firstSeed,
                     seeds: seeds, swarm: object["swarm"] as? Bool ?? false, shard: object["shard"] as? String ?? "",
                     verdicts: verdicts)
    }

    /// `1-3, 7, 9-10` for a sorted list of seeds.
    static func ranges(_ seeds: [UInt64]) -> String {
        var parts: [String] = []
        var start = seeds.first
        var previous = seeds.first
        for seed in seeds.dropFirst() + [UInt64.max] {
            guard let s = start, let p = previous else { break }
            if seed == p &+ 1 { previous = seed; continue }
            parts.append(s == p ? "\(s)" : "\(s)-\(p)")
            start = seed
            previous = seed
        }
        return parts.joined(separator: ", ")
    }
}
