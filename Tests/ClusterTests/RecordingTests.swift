@testable import Cluster
import SessionRecording
import SimulatedNetwork
import SimulationKernel
import Testing

/// Session recording through the actors: where sessions are recorded, that every
/// event reaches storage, and what faults do to it.
@Suite("Session recording")
struct RecordingTests {
    func recordingCluster(_ mode: RecordingMode, outputInterval: Duration = .milliseconds(100)) -> SimCluster {
        var configuration = makeConfiguration(maxConnections: 5)
        configuration.recording.mode = mode
        return SimCluster(configuration)
    }

    func uploadsFinished(_ cluster: SimCluster) -> Int {
        cluster.records {
            if case .uploadFinished(_, true, _) = $0 { return true }
            return false
        }.count
    }

    @Test("node mode: every event reaches storage and the node's disk is cleaned up", arguments: [RecordingMode.node, .nodeSync])
    func nodeModePersistsEverything(_ mode: RecordingMode) throws {
        let cluster = recordingCluster(mode)
        cluster.connect("alice", to: "node-1", at: .seconds(1), hold: .seconds(60), sessions: 2,
                        output: SessionOutput(bytesPerSecond: 10 * 1024))
        cluster.run(until: .seconds(120))
        let check = try #require(cluster.checkRecordings())
        #expect(check.report.isClean)
        #expect(check.report.sessions.count == 2)
        // start + 600 prints + end per session.
        #expect(check.report.sessions.allSatisfy { $0.emitted == 602 && $0.persisted == 602 })
        #expect(uploadsFinished(cluster) == 2)
        let disk = cluster.network.disk(of: cluster.host("node-1"))
        #expect(disk.keys(withPrefix: "recording").isEmpty)
    }

    @Test("proxy modes record at the proxy; nodes record nothing")
    func proxyModeRecordsAtProxy() throws {
        let cluster = recordingCluster(.proxy)
        cluster.connect("alice", to: "node-1", at: .seconds(1), hold: .seconds(60), sessions: 1,
                        output: SessionOutput(bytesPerSecond: 1024))
        cluster.run(until: .seconds(30))
        #expect(cluster.network.disk(of: cluster.host("proxy-1")).keys(withPrefix: "recording/").count == 1)
        #expect(cluster.network.disk(of: cluster.host("node-1")).keys(withPrefix: "recording/").isEmpty)
        let started = cluster.records {
            if case .recordingStarted = $0 { return true }
            return false
        }
        #expect(started.map(\.host) == ["proxy-1"])
        cluster.run(until: .seconds(120))
        #expect(try #require(cluster.checkRecordings()).report.isClean)
        #expect(uploadsFinished(cluster) == 1)
    }

    @Test("sync mode: a stream that cannot be resumed terminates the connection, losing only the unconfirmed tail")
    func syncStreamLossTerminates() throws {
        let cluster = recordingCluster(.nodeSync)
        // root has no connection limit, so no lease is lost first.
        cluster.connect("root", to: "node-1", at: .seconds(1), sessions: 1,
                        output: SessionOutput(bytesPerSecond: 1024))
        cluster.network.schedule(.partition(from: cluster.hosts(["node-1"]), to: cluster.hosts(["auth-1"]), oneWay: false),
                                 at: .seconds(10), for: .seconds(600))
        cluster.run(until: .seconds(400))
        let terminated = cluster.terminated(reason: .recordingFailed)
        #expect(terminated.count == 1)
        // Loss noticed within one 10 s request timeout; 10 attempts of 10 s each with
        // 1+2+…+9 s between them: at least 145 s, and no more than ~3 minutes.
        let time = try #require(terminated.first?.time)
        #expect(time > .seconds(150) && time < .seconds(200), "terminated at \(time)")
        let entry = try #require(cluster.recordingLedger.entries.first)
        #expect(entry.failed && !entry.lost.isEmpty)
        let check = try #require(cluster.checkRecordings())
        #expect(check.report.isClean, "\(check.report.sessions.map(\.violations))")
        // Lost events that auth's old stream flushed to storage after all count as persisted.
        let session = try #require(check.report.sessions.first)
        #expect(session.lost + session.lostButStored == entry.lost.count)
    }

    @Test("async mode: a slow auth drops events after 5 s blocked and never hangs the session")
    func slowAuthBackoff() throws {
        var configuration = makeConfiguration(maxConnections: 0)
        configuration.recording.mode = .node
        let cluster = SimCluster(configuration)
        // The session starts while node-1 cannot reach auth: teeing its start event waits
        // 30 s; 100 events/s fill the 1024-event buffer in ~10 s, the hand-over blocks for
        // 5 s, then 30 s of back-off drop everything.
        cluster.network.schedule(.partition(from: cluster.hosts(["node-1"]), to: cluster.hosts(["auth-1"]), oneWay: false),
                                 at: .zero, for: .seconds(60))
        cluster.connect("root", to: "node-1", at: .seconds(1), hold: .seconds(90), sessions: 1,
                        output: SessionOutput(bytesPerSecond: 100 * 1024, interval: .milliseconds(10)))
        cluster.run(until: .seconds(200))
        let entry = try #require(cluster.recordingLedger.entries.first)
        #expect(entry.lost.count > 2900 && entry.lost.count < 3100, "lost \(entry.lost.count)")
        #expect(cluster.terminated(reason: .recordingFailed).isEmpty)
        let check = try #require(cluster.checkRecordings())
        #expect(check.report.isClean)
        #expect(check.report.persisted + check.report.lost == check.report.emitted)
    }

    @Test("the integrity check fails when storage lacks emitted events")
    func integrityCheckCanFail() throws {
        let cluster = recordingCluster(.node)
        cluster.connect("alice", to: "node-1", at: .seconds(1), hold: .seconds(10), sessions: 1,
                        output: SessionOutput(bytesPerSecond: 1024))
        cluster.run(until: .seconds(60))
        #expect(try #require(cluster.checkRecordings()).report.isClean)
        // Claim five more events were emitted than storage holds.
        let entry = try #require(cluster.recordingLedger.entries.first)
        cluster.recordingLedger.emitted(0, through: entry.emitted + 5)
        let check = try #require(cluster.checkRecordings())
        #expect(!check.report.isClean)
        #expect(check.report.sessions.first?.unaccounted == 5)
    }

    @Test("recording runs are deterministic")
    func deterministic() {
        func digest() -> String {
            let cluster = recordingCluster(.proxySync)
            cluster.connect("alice", to: "node-2", at: .seconds(1), hold: .seconds(30), sessions: 2,
                            output: SessionOutput(bytesPerSecond: 50 * 1024))
            cluster.run(until: .seconds(60))
            return cluster.simulation.trace.digest
        }
        #expect(digest() == digest())
    }
}
