import ArgumentParser
import Dispatch
import HTMLReport
import Runner
import Scenario
import Verdict

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `clustersim run`: run scenarios, judge them, print and write the reports.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run scenario files and check every invariant and expectation.",
        discussion: """
            Exit status: 0 when every invariant and expectation held, 1 when something failed, \
            2 when a scenario or an option could not be used.
            """
    )

    @Argument(help: "Scenario files (YAML).")
    var scenarios: [String]

    @Option(help: "Root seed, overriding the scenario's `seed`.")
    var seed: UInt64?

    @Option(help: "Write the JSON report to this file ('-' for standard output). With several scenarios, a JSON array.")
    var json: String?

    @Option(help: "Write the trace as JSON lines to this file ('-' for standard output); one scenario only.")
    var trace: String?

    @Option(help: """
        Write a JUnit XML report to this file ('-' for standard output): a test case per expectation and \
        invariant, a test suite per scenario.
        """)
    var junit: String?

    @Option(help: """
        Write a self-contained HTML report (verdict, timelines, leases, latencies; no external resources) to \
        this file; one scenario only.
        """)
    var html: String?

    @Flag(help: "Print nothing when the run passes, only what failed otherwise.")
    var quiet = false

    /// The file options that are set, with their flags, in a fixed order.
    private var outputs: [(flag: String, path: String)] {
        [("--json", json), ("--trace", trace), ("--junit", junit), ("--html", html)].compactMap { flag, path in
            path.map { (flag, $0) }
        }
    }

    func validate() throws {
        guard !scenarios.isEmpty else { throw ValidationError("give at least one scenario file") }
        if trace != nil && scenarios.count > 1 {
            throw ValidationError("--trace takes one scenario; run the scenarios one at a time to trace each")
        }
        if html != nil && scenarios.count > 1 {
            throw ValidationError("--html takes one scenario; run the scenarios one at a time for an HTML report each")
        }
        let toStandardOutput = outputs.filter { $0.path == "-" }.map(\.flag)
        if toStandardOutput.count > 1 {
            throw ValidationError(toStandardOutput.joined(separator: " and ") + " cannot both write to standard output")
        }
        for output in outputs where output.path != "-" {
            if scenarios.contains(output.path) {
                throw ValidationError("'\(output.path)' is one of the scenario files; refusing to overwrite it")
            }
            if let other = outputs.first(where: { $0.path == output.path && $0.flag != output.flag }),
               other.flag < output.flag {
                throw ValidationError(
                    "\(other.flag) and \(output.flag) would both write '\(output.path)'; give each its own file")
            }
        }
    }

    func run() throws {
        let loaded = try ScenarioFiles.loadAll(scenarios)
        let colour = standardOutputWantsColour()
        let summaryToStandardError = outputs.contains { $0.path == "-" }
        let progress = RunProgress(total: loaded.count)
        var reports: [Report] = []
        for (index, (path, scenario)) in loaded.enumerated() {
            progress.show("running \(path)", step: index + 1)
            let verdict = ScenarioVerdict(
                scenario, file: path, seed: seed, keepsTrace: trace != nil,
                progress: progress.enabled ? { fraction in
                    progress.show("running \(path): \(Int((fraction * 100).rounded()))% of virtual time", step: index + 1)
                } : nil)
            reports.append(verdict.report)
            if let trace {
                progress.show("writing the trace of \(path)", step: index + 1)
                try write(verdict.run.cluster.simulation.trace.jsonLines(), to: trace)
            }
            if let html {
                progress.show("writing the HTML report of \(path)", step: index + 1)
                try write(HTMLReportRenderer.render(verdict: verdict), to: html)
            }
            progress.clear()
            if !quiet || !verdict.report.passed {
                let text = verdict.report.renderText(colour: colour && !summaryToStandardError)
                if summaryToStandardError { writeStandardError(text) } else { print(text, terminator: text.hasSuffix("\n") ? "" : "\n") }
            }
            // The finished run (a million objects at scale) is freed on another thread,
            // beside the next scenario or the process's exit, not before them.
            releaseInBackground(consume verdict)
        }
        if let json {
            let body = reports.count == 1
                ? reports[0].renderJSON()
                : "[\n" + reports.map { $0.renderJSON().trimmingTrailingNewline }.joined(separator: ",\n") + "\n]\n"
            try write(body, to: json)
        }
        if let junit {
            try write(Report.renderJUnit(reports), to: junit)
        }
        if !reports.allSatisfy(\.passed) { throw ExitStatus.failure }
    }

    /// Drops the last reference to `value` on a background thread.
    private func releaseInBackground(_ value: consuming ScenarioVerdict) {
        let box = ReleaseBox(value)
        DispatchQueue.global(qos: .utility).async { _ = box }
    }

    private func write(_ text: String, to path: String) throws {
        do {
            try OutputFile.write(text, to: path)
        } catch {
            writeStandardError("error: \(error)")
            throw ExitStatus.badInput
        }
    }
}

/// A one-line progress indicator on standard error, shown only when standard error is a
/// terminal: each line replaces the previous one and is erased before results are printed,
/// so nothing of it remains in the output (and nothing is written to pipes or files).
/// Within a run it shows the share of virtual time simulated so far.
struct RunProgress {
    /// The number of scenarios.
    let total: Int
    let line = StatusLine()

    /// Whether standard error is a terminal.
    var enabled: Bool { line.enabled }

    /// Replaces the progress line with `[step/total] message…`.
    func show(_ message: String, step: Int) {
        line.show((total > 1 ? "[\(step)/\(total)] " : "") + message + "…")
    }

    /// Erases the progress line.
    func clear() { line.clear() }
}

/// `clustersim validate`: check scenario files without running them.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scenario files without running them.",
        discussion: "Exit status: 0 when every file is valid, 2 otherwise (every error is listed)."
    )

    @Argument(help: "Scenario files (YAML).")
    var scenarios: [String]

    func run() throws {
        for (path, scenario) in try ScenarioFiles.loadAll(scenarios) {
            print("\(path): ok (\(scenario.name.value): \(scenario.script.count) script steps, "
                  + "\(scenario.load.count) load entries, \(scenario.faults.count) faults, "
                  + "\(scenario.expectations.count) expectations)")
        }
    }
}

extension String {
    var trimmingTrailingNewline: String { hasSuffix("\n") ? String(dropLast()) : self }
}

/// Carries a value whose last reference is dropped on another thread (it is never
/// read there, only released).
private final class ReleaseBox: @unchecked Sendable {
    let value: ScenarioVerdict
    init(_ value: consuming ScenarioVerdict) { self.value = value }
}
