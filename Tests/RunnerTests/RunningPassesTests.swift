import Cluster
@testable import Runner
import Scenario
import Testing
import Verdict

/// The passes a run's log worker makes while the loop runs (metrics' counts, the audit
/// tally) must come out as one pass over the finished log would.
@Suite("Passes over the log made while it grows")
struct RunningPassesTests {
    static func finishedRun(_ file: String) throws -> ScenarioRun {
        let path = ScenarioLibraryTests.directory.appendingPathComponent(file).path
        let run = ScenarioRun(try ScenarioLoader.load(path: path))
        run.run()
        return run
    }

    /// The first `count` records of `records`, as a log of their own.
    static func prefix(_ records: ObservationRecords, _ count: Int) -> ObservationRecords {
        ObservationRecords(records.prefix(count))
    }

    @Test("counting and tallying in parts gives what one pass gives", arguments: ["max-connections-basic.yaml", "max-sessions.yaml"])
    func partsEqualWhole(_ file: String) throws {
        let run = try Self.finishedRun(file)
        let records = run.cluster.log.records
        let configuration = run.cluster.configuration
        var whole = CountingPass()
        whole.consume(records)
        var wholeTally = AuditTally()
        wholeTally.consume(records, configuration: configuration)
        #expect(!wholeTally.rejections.isEmpty, "\(file) should reject someone at a limit")
        var parts = CountingPass()
        var partsTally = AuditTally()
        for cut in [0, 1, records.count / 3, records.count / 3, records.count / 2 + 7, records.count] {
            let part = Self.prefix(records, cut)
            parts.consume(part)
            partsTally.consume(part, configuration: configuration)
        }
        #expect(parts.registry.snapshot() == whole.registry.snapshot())
        #expect(partsTally.rejections == wholeTally.rejections)
        #expect(partsTally.events == wholeTally.events)
        #expect(partsTally.uids == wholeTally.uids)
    }

    @Test("the run's worker made its passes over the whole log", arguments: ["max-connections-basic.yaml", "node-crash-restart.yaml"])
    func workerKeptUp(_ file: String) throws {
        let run = try Self.finishedRun(file)
        let records = run.cluster.log.records
        var whole = CountingPass()
        whole.consume(records)
        var wholeTally = AuditTally()
        wholeTally.consume(records, configuration: run.cluster.configuration)
        #expect(run.passes.counts.registry.snapshot() == whole.registry.snapshot())
        #expect(run.passes.audit.rejections == wholeTally.rejections)
        #expect(run.passes.audit.events == wholeTally.events)
        // And the verdict built on them is the one built from scratch.
        let fromScratch = Checker(records: records, configuration: run.cluster.configuration, end: run.end,
                                  counters: run.cluster.simulation.counters)
        #expect(Checker(run: run).auditCompleteness() == fromScratch.auditCompleteness())
    }
}
