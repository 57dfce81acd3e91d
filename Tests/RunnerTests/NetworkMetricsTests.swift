import Runner
import Scenario
import Testing
import Verdict

/// The `sim_messages_*` and `sim_requests_timed_out` gauges: what became of the
/// messages on the simulated network, from the network's own counts.
@Suite("Network metrics")
struct NetworkMetricsTests {
    /// The report of the library scenario `file`, with its gauges by name.
    static func gauges(of file: String) throws -> [String: Double] {
        let path = ScenarioLibraryTests.directory.appendingPathComponent(file).path
        let report = ScenarioVerdict(try ScenarioLoader.load(path: path), file: path).report
        var gauges: [String: Double] = [:]
        for metric in report.metrics {
            if case .gauge(let value) = metric.value { gauges[metric.key] = value }
        }
        return gauges
    }

    @Test("with no fault, no message is dropped and no request times out")
    func faultFreeRunDropsNothing() throws {
        let gauges = try Self.gauges(of: "max-connections-basic.yaml")
        let sent = try #require(gauges["sim_messages_sent"])
        #expect(sent > 0)
        #expect(gauges["sim_messages_dropped"] == 0)
        #expect(gauges["sim_requests_timed_out"] == 0)
        // Every message sent arrives (none is still in flight after the drain).
        #expect(gauges["sim_messages_delivered"] == sent)
    }

    @Test("a 2% lossy network drops about 2% of the messages, and requests time out")
    func lossyNetworkDropsItsShare() throws {
        let gauges = try Self.gauges(of: "lossy-network.yaml")
        let sent = try #require(gauges["sim_messages_sent"])
        let delivered = try #require(gauges["sim_messages_delivered"])
        let dropped = try #require(gauges["sim_messages_dropped"])
        #expect(sent > 10_000)
        #expect(dropped / sent > 0.015 && dropped / sent < 0.025, "dropped \(dropped) of \(sent)")
        #expect(delivered + dropped <= sent)
        #expect(sent - delivered - dropped < 100, "only messages in flight at the end are unaccounted for")
        #expect(try #require(gauges["sim_requests_timed_out"]) > 0)
    }

    @Test("a partition drops messages and times out the requests that cross it")
    func partitionDropsMessages() throws {
        let gauges = try Self.gauges(of: "partition-drops-connection.yaml")
        #expect(try #require(gauges["sim_messages_dropped"]) > 0)
        #expect(try #require(gauges["sim_requests_timed_out"]) > 0)
    }
}
