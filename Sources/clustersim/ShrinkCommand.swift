import ArgumentParser
import Runner
import Scenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `clustersim shrink`: for a failing seed, search for a smaller scenario that still
/// fails the same invariant or expectation, and write it as a scenario file with the seed.
struct ShrinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shrink",
        abstract: "Shrink a failing seed's scenario to a smaller one that still fails the same way.",
        discussion: """
            Runs SCENARIO with --seed, then greedily drops expectations, faults, load entries, users, \
            script steps and nodes, lowers counts and rates and cuts the duration, keeping each change \
            whose run (same seed) still fails the same invariant or expectation, until nothing more can \
            go or --max-runs is spent. The result is written to --out as a scenario file that records \
            the seed; with --swarm, the seed's drawn faults are written out as faults, so it reproduces \
            without --swarm. Exit status: 1 when the seed fails (the smaller scenario is written and \
            fails the same way), 0 when the seed passes (nothing to shrink; nothing is written), 2 when \
            the input could not be used.
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "The failing seed.")
    var seed: UInt64

    @Option(help: "Write the shrunk scenario to this file (never the scenario file itself).")
    var out: String

    @Option(help: "Most simulation runs to spend, the first run of the seed included (at least 2).")
    var maxRuns: Int = 200

    @Option(help: """
        The failure to keep: an invariant id (limiter-safety), or an expectation's selector, optionally \
        followed by its condition ('connections_accepted{user:alice} == 3'). Default: the first failure, \
        invariants before expectations.
        """)
    var target: String?

    @OptionGroup var swarmOptions: SwarmOptions

    @Flag(help: "The seed was judged on the built-in invariants only (as explore --invariants-only): leave the expectations out.")
    var invariantsOnly = false

    func validate() throws {
        guard maxRuns >= 2 else { throw ValidationError("--max-runs must be at least 2 (the seed's run and a check of the file)") }
        guard !out.isEmpty, out != "-" else { throw ValidationError("--out needs a file path") }
        if out == scenario || Self.isSameFile(out, scenario) {
            throw ValidationError("'\(out)' is the scenario file; refusing to overwrite it (choose another --out)")
        }
    }

    func run() throws {
        guard let (path, loaded) = try ScenarioFiles.loadAll([scenario]).first else { return }
        if let problem = Self.unwritableDirectory(of: out) {
            writeStandardError("error: cannot write \(out): \(problem); check that the directory exists and is writable")
            throw ExitStatus.badInput
        }
        let bounds = try swarmOptions.bounds(for: loaded)
        let request = ShrinkRequest(
            scenario: loaded, sourceFile: path, outputFile: out, seed: seed, swarm: bounds,
            invariantsOnly: invariantsOnly, target: target, maxRuns: maxRuns)
        let line = StatusLine()
        let budget = maxRuns
        var shrinker = Shrinker(request) { runs, best in
            line.show("shrink: run \(runs)/\(budget), smallest so far: \(ScenarioSize(best).summary)")
        }
        let outcome: ShrinkOutcome
        do {
            outcome = try shrinker.shrink()
        } catch {
            line.clear()
            writeStandardError("error: \(error)")
            throw ExitStatus.badInput
        }
        line.clear()
        switch outcome {
        case .passes:
            print("shrink: \(loaded.name.value) (\(path)), seed \(seed)\(bounds == nil ? "" : ", swarm"): "
                  + "every invariant and expectation held; nothing to shrink (\(out) not written)")
        case .shrunk(let result):
            do {
                try OutputFile.write(result.fileText, to: out)
            } catch {
                writeStandardError("error: \(error)")
                throw ExitStatus.badInput
            }
            print(summary(result, path: path, swarm: bounds != nil), terminator: "")
            throw ExitStatus.failure
        }
    }

    /// What `shrink` prints: the failure kept, original and shrunk sizes, runs used, the
    /// file written and the command that reproduces the failure.
    func summary(_ result: ShrinkResult, path: String, swarm: Bool) -> String {
        var out = "shrink: \(result.original.name.value) (\(path)), seed \(seed)\(swarm ? ", swarm faults written out" : "")\n"
        out += "  failure kept: \(result.target)\n"
        let others = result.originalFailures.filter { $0 != result.target }
        if !others.isEmpty {
            out += "  also failed originally (not kept): \(others.map(\.description).joined(separator: "; "))\n"
        }
        let before = ScenarioSize(result.original).rows
        let after = ScenarioSize(result.shrunk).rows
        let nameWidth = before.map(\.name.count).max() ?? 0
        let valueWidth = max(8, (before + after).map(\.value.count).max() ?? 0)
        func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return left ? text + fill : fill + text
        }
        out += "  \(pad("", nameWidth))  \(pad("original", valueWidth))  \(pad("shrunk", valueWidth))\n"
        for (old, new) in zip(before, after) {
            out += "  \(pad(old.name, nameWidth, left: true))  \(pad(old.value, valueWidth))  \(pad(new.value, valueWidth))\n"
        }
        let stop = result.budgetExhausted ? "stopped at the run budget (--max-runs)" : "nothing more could go"
        let skipped = result.invalidCandidates == 0 ? "" : " (\(result.invalidCandidates) candidates did not validate: skipped)"
        out += "  \(result.runs) runs of at most \(maxRuns)\(skipped); \(stop)\n"
        out += "wrote \(self.out)\n"
        out += "reproduce with: \(result.report.reproduceCommand ?? "clustersim run \(self.out) --seed \(seed)")\n"
        return out
    }

    /// Why no file can be created in the directory of `path` (checked before the runs, so
    /// a typo costs nothing), or nil when it can.
    static func unwritableDirectory(of path: String) -> String? {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let checked = path.contains("/") ? (directory.isEmpty ? "/" : directory) : "."
        return access(checked, W_OK) == 0 ? nil : String(cString: strerror(errno))
    }

    /// Whether both paths name one existing file (the same device and inode: through a
    /// symbolic link, a hard link or another spelling of the path).
    static func isSameFile(_ first: String, _ second: String) -> Bool {
        var a = stat()
        var b = stat()
        guard stat(first, &a) == 0, stat(second, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }
}
