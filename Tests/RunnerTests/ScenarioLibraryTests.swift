import Foundation
import Runner
import Scenario
import Testing
import Verdict

/// The scenario library: every file in `scenarios/` must load, run and pass.
@Suite("Scenario library")
struct ScenarioLibraryTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios")

    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    @Test("the library has at least 14 scenarios, each with a description")
    func libraryIsComplete() throws {
        #expect(Self.files.count >= 14)
        for file in Self.files {
            let scenario = try ScenarioLoader.load(path: Self.directory.appendingPathComponent(file).path)
            #expect((scenario.description?.value.count ?? 0) > 40, "\(file) needs a description of what it shows")
            #expect(!scenario.expectations.isEmpty, "\(file) needs expectations that pin its outcome")
        }
    }

    @Test("every scenario passes", arguments: ScenarioLibraryTests.files)
    func scenarioPasses(_ file: String) throws {
        let path = Self.directory.appendingPathComponent(file).path
        let verdict = ScenarioVerdict(try ScenarioLoader.load(path: path), file: path)
        let failures = verdict.report.failedExpectations.map { "\($0.metric) \($0.condition): measured \(String(describing: $0.value))" }
            + verdict.report.failedInvariants.flatMap { invariant in invariant.violations.map { "\(invariant.id): \($0.message)" } }
        #expect(verdict.report.passed, "\(file): \(failures.joined(separator: "; "))")
    }

    /// The scenario benchmark's own scenario must pass too: a benchmark of a failing
    /// run would measure violation reporting, not a run. (The 10k-user scale scenario
    /// is too big for a test; the README states its verdict.)
    @Test("the scenario benchmark's scenario passes")
    func benchmarkScenarioPasses() throws {
        let path = Self.directory.deletingLastPathComponent()
            .appendingPathComponent("Benchmarks/Scenarios/bench-load.yaml").path
        let verdict = ScenarioVerdict(try ScenarioLoader.load(path: path), file: path)
        let failed = verdict.report.failedExpectations.map(\.metric) + verdict.report.failedInvariants.map(\.id)
        #expect(verdict.report.passed, "bench-load.yaml fails: \(failed)")
    }

    @Test("the same scenario and seed give a byte-identical report and trace")
    func reportsAreReproducible() throws {
        let path = Self.directory.appendingPathComponent("lossy-network.yaml").path
        let scenario = try ScenarioLoader.load(path: path)
        let first = ScenarioVerdict(scenario, file: path)
        let second = ScenarioVerdict(scenario, file: path)
        #expect(first.report.renderJSON(options: .comparable) == second.report.renderJSON(options: .comparable))
        #expect(first.report.traceDigest == second.report.traceDigest)
        let other = ScenarioVerdict(scenario, file: path, seed: 2)
        #expect(other.report.traceDigest != first.report.traceDigest)
        #expect(other.report.seed == 2)
    }
}

@Suite("Progress")
struct ProgressTests {
    @Test("running in slices for progress gives the same history as one run")
    func slicedRunIsIdentical() throws {
        let path = ScenarioLibraryTests.directory.appendingPathComponent("node-crash-restart.yaml").path
        let scenario = try ScenarioLoader.load(path: path)
        final class Fractions: @unchecked Sendable { var values: [Double] = [] }
        let fractions = Fractions()
        let sliced = ScenarioVerdict(scenario, file: path, progress: { fractions.values.append($0) })
        let whole = ScenarioVerdict(scenario, file: path)
        #expect(sliced.report.traceDigest == whole.report.traceDigest)
        #expect(sliced.report.renderJSON(options: .comparable) == whole.report.renderJSON(options: .comparable))
        #expect(fractions.values.count > 10 && fractions.values.count <= 100)
        #expect(fractions.values.last == 1.0)
        #expect(fractions.values == fractions.values.sorted())
    }
}
