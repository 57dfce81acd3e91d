import Cluster
@testable import Runner
import Scenario
import SimulationKernel
import Testing
import Verdict

/// The passes a run's log worker makes while the loop runs (metrics' counts, the audit
/// tally, the checker's indexes) must come out as one pass over the finished log would.
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

    @Test("building the checker's indexes in parts gives what one pass gives",
          arguments: ["max-connections-basic.yaml", "node-crash-restart.yaml", "delete-semaphore.yaml"])
    func indexesInPartsEqualWhole(_ file: String) throws {
        let run = try Self.finishedRun(file)
        let records = run.cluster.log.records
        let lifetimes = ConnectionLifetimes(records)
        let history = LeaseHistory(records)
        #expect(!lifetimes.lifetimes.isEmpty && !history.leases.isEmpty)
        #expect(lifetimes.lifetimes.contains { $0.end != nil }, "\(file) should end a connection")
        #expect(history.leases.contains { $0.removed != nil }, "\(file) should remove a lease")
        var parts = CheckerIndexes()
        for cut in [0, 1, records.count / 3, records.count / 3, records.count / 2 + 7, records.count] {
            parts.consume(Self.prefix(records, cut))
        }
        #expect(parts.lifetimes.consumed == records.count)
        #expect(parts.lifetimes.lifetimes == lifetimes.lifetimes)
        #expect(parts.leases.leases == history.leases)
        for user in Set(lifetimes.lifetimes.map(\.user)) {
            #expect(parts.lifetimes.lifetimes(ofUser: user) == lifetimes.lifetimes(ofUser: user))
        }
    }

    @Test("a connection ends at its first close or termination, and a lease at its first removal")
    func firstEndWins() {
        func at(_ seconds: Int64) -> SimInstant { SimInstant(nanoseconds: seconds * 1_000_000_000) }
        let c1 = ConnectionID(1)
        let records: ObservationRecords = [
            ObservationRecord(time: at(1), host: "node-1", observation: .connectionAccepted(c1, user: "u", node: "node-1", controlled: true, limit: 1)),
            ObservationRecord(time: at(2), host: "backend", observation: .leaseGranted(user: "u", leaseID: c1.leaseID, holder: "node-1", expires: at(60))),
            ObservationRecord(time: at(3), host: "node-1", observation: .connectionTerminated(c1, user: "u", node: "node-1", reason: .nodeCrash)),
            ObservationRecord(time: at(4), host: "node-1", observation: .connectionClosed(c1, user: "u", node: "node-1")),
            ObservationRecord(time: at(5), host: "backend", observation: .semaphoreDeleted(user: "u", leaseIDs: [c1.leaseID])),
            ObservationRecord(time: at(6), host: "backend", observation: .leaseRemoved(user: "u", leaseID: c1.leaseID, expired: false)),
        ]
        for cut in 0...records.count {
            var indexes = CheckerIndexes()
            indexes.consume(Self.prefix(records, cut))
            indexes.consume(records)
            #expect(indexes.lifetimes.lifetimes.map(\.end) == [at(3)])
            #expect(indexes.leases.leases.map(\.removed) == [at(5)])
            #expect(indexes.leases.leases.map(\.removal) == [.deleted])
        }
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
        #expect(run.passes.indexes.lifetimes.consumed == records.count)
        #expect(run.passes.indexes.lifetimes.lifetimes == ConnectionLifetimes(records).lifetimes)
        #expect(run.passes.indexes.leases.leases == LeaseHistory(records).leases)
        // And the verdict built on them is the one built from scratch.
        let fromScratch = Checker(records: records, configuration: run.cluster.configuration, end: run.end,
                                  counters: run.cluster.simulation.counters)
        let checker = Checker(run: run)
        #expect(run.passes.indexes.lifetimes.consumed == 0, "the checker takes the indexes, not a copy")
        #expect(checker.auditCompleteness() == fromScratch.auditCompleteness())
        // (The recording check reads storage, which only the run's checker is given.)
        let fromLog = { (checker: Checker) in checker.check().filter { $0.id != "recording-integrity" } }
        #expect(fromLog(checker) == fromLog(fromScratch))
    }
}
