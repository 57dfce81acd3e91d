import ArgumentParser
import Runner
import Scenario
import Verdict

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

    @Flag(help: "Print nothing when the run passes, only what failed otherwise.")
    var quiet = false

    func validate() throws {
        guard !scenarios.isEmpty else { throw ValidationError("give at least one scenario file") }
        if trace != nil && scenarios.count > 1 {
            throw ValidationError("--trace takes one scenario; run the scenarios one at a time to trace each")
        }
        if json == "-" && trace == "-" {
            throw ValidationError("--json and --trace cannot both write to standard output")
        }
        for output in [json, trace].compactMap({ $0 }) where output != "-" && scenarios.contains(output) {
            throw ValidationError("'\(output)' is one of the scenario files; refusing to overwrite it")
        }
    }

    func run() throws {
        let loaded = try ScenarioFiles.loadAll(scenarios)
        let colour = standardOutputWantsColour()
        let summaryToStandardError = json == "-" || trace == "-"
        var reports: [Report] = []
        for (path, scenario) in loaded {
            let verdict = ScenarioVerdict(scenario, file: path, seed: seed, keepsTrace: trace != nil)
            reports.append(verdict.report)
            if let trace {
                try write(verdict.run.cluster.simulation.trace.jsonLines(), to: trace)
            }
            if !quiet || !verdict.report.passed {
                let text = verdict.report.renderText(colour: colour && !summaryToStandardError)
                if summaryToStandardError { writeStandardError(text) } else { print(text, terminator: text.hasSuffix("\n") ? "" : "\n") }
            }
        }
        if let json {
            let body = reports.count == 1
                ? reports[0].renderJSON()
                : "[\n" + reports.map { $0.renderJSON().trimmingTrailingNewline }.joined(separator: ",\n") + "\n]\n"
            try write(body, to: json)
        }
        if !reports.allSatisfy(\.passed) { throw ExitStatus.failure }
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
