import Scenario
import Testing

@Suite("Example scenarios")
struct ExampleScenarioTests {
    @Test("the contract's full example parses with the right values")
    func contractExample() throws {
        let scenario = try ScenarioLoader.load(path: Fixtures.path("contract-example.yaml"))
        #expect(scenario.name.value == "max-connections-basic")
        #expect(scenario.name.location == SourcePosition(line: 1, column: 7))
        #expect(scenario.description?.value == "Two connections allowed; the third is rejected and audited.")
        #expect(scenario.seed.value == 1)
        #expect(scenario.duration.value == .seconds(600))
        #expect(scenario.duration.location == SourcePosition(line: 4, column: 11))
        #expect(scenario.drain.value == .seconds(300))
        #expect(scenario.behavior.value == .current)
        #expect(scenario.outputInterval.value == .milliseconds(100))

        let cluster = scenario.cluster
        #expect(cluster.sessionControlTimeout.value == .seconds(120))
        #expect(cluster.backendLatency.value == .milliseconds(1))
        #expect(cluster.authCount.value == 1)
        #expect(cluster.proxyCount.value == 1)
        #expect(cluster.nodes.map(\.name.value) == ["node-1", "node-2", "legacy-1"])
        #expect(cluster.nodes.map(\.kind.value) == [.teleport, .teleport, .openssh])
        #expect(cluster.hostNames == ["auth-1", "proxy-1", "node-1", "node-2", "legacy-1"])
        #expect(cluster.network.latency.value == .constant(.milliseconds(1)))
        #expect(cluster.network.loss.value == 0)
        #expect(cluster.recording.mode.value == .node)
        #expect(cluster.recording.storage.value == .memory)
        #expect(cluster.recording.path == nil)

        #expect(scenario.roles.count == 1)
        #expect(scenario.roles[0].name.value == "limited")
        #expect(scenario.roles[0].maxConnections.value == 2)
        #expect(scenario.roles[0].maxSessions.value == 10)

        #expect(scenario.users.map(\.name.value) == ["alice", "ci"])
        #expect(scenario.users[0].group == nil)
        #expect(scenario.users[0].client.value == .tsh)
        let ci = try #require(scenario.users[1].group)
        #expect(ci.count.value == 100)
        #expect(ci.prefix.value == "ci-")
        #expect(scenario.users[1].memberName(at: 99) == "ci-100")
        #expect(scenario.userDefinition(forUser: "ci-42")?.name.value == "ci")
        #expect(scenario.userDefinition(forUser: "ci-101") == nil)
        #expect(scenario.limits(forUser: "alice") == (maxConnections: 2, maxSessions: 10))

        try checkScript(scenario.script)
        try checkLoad(scenario)
        try checkFaults(scenario.faults)
        #expect(scenario.faultsInTimeOrder.map(\.keyword) == [
            "clock_skew", "partition", "latency", "loss", "storage_outage", "crash", "delete_semaphore",
        ])
        #expect(scenario.scriptInTimeOrder.map(\.at.value) == [.zero, .seconds(5), .seconds(60)])
        try checkExpectations(scenario.expectations)
    }

    func checkScript(_ script: [ScriptStep]) throws {
        #expect(script.count == 3)
        guard case .connect(let connect) = script[0].action else {
            Issue.record("step 1 is not a connect step")
            return
        }
        #expect(script[0].at.value == .zero)
        #expect(script[0].location == SourcePosition(line: 30, column: 5))
        #expect(connect.user.value == "alice")
        #expect(connect.node.value == "node-1")
        #expect(connect.node.location == SourcePosition(line: 32, column: 14))
        #expect(connect.handle?.value == "a1")
        #expect(connect.hold?.value == .seconds(600))
        #expect(connect.sessions.value == 1)
        #expect(connect.output.value == 10_240)
        #expect(connect.outputInterval.value == .milliseconds(100))
        #expect(script[1].action == .openSessions(ScriptStep.OpenSessions(
            handle: Located("a1", at: SourcePosition(line: 38, column: 28)),
            count: Located(3, at: SourcePosition(line: 38, column: 39)),
            hold: Located(.seconds(60), at: SourcePosition(line: 38, column: 48)))))
        #expect(script[1].at.value == .seconds(5))
        guard case .disconnect(let handle) = script[2].action else {
            Issue.record("step 3 is not a disconnect step")
            return
        }
        #expect(handle.value == "a1")
        #expect(script[2].at.value == .seconds(60))
    }

    func checkLoad(_ scenario: Scenario) throws {
        #expect(scenario.load.count == 1)
        let entry = try #require(scenario.load.first)
        #expect(entry.name.value == "ci-jobs")
        #expect(entry.users.map(\.value) == ["ci"])
        #expect(scenario.userNames(of: entry).count == 100)
        #expect(entry.nodes.value == .any)
        #expect(scenario.nodeNames(of: entry) == ["node-1", "node-2", "legacy-1"])
        guard case .open(let arrival) = entry.model else {
            Issue.record("the load entry is not an open model")
            return
        }
        #expect(arrival.pattern == .constant(rate: Located(50, at: SourcePosition(line: 46, column: 22))))
        #expect(arrival.from.value == .zero)
        #expect(arrival.until.value == .seconds(300))
        #expect(arrival.process.value == .poisson)
        #expect(arrival.rate(at: .seconds(10)) == 50)
        #expect(arrival.rate(at: .seconds(300)) == 0)
        #expect(entry.hold?.value == .exponential(mean: .seconds(30)))
        #expect(entry.sessions.value == .uniform(min: 1, max: 3))
        #expect(entry.output.value == .constant(10_240))
    }

    func checkFaults(_ faults: [Fault]) throws {
        #expect(faults.map(\.keyword) == [
            "partition", "crash", "clock_skew", "latency", "loss", "storage_outage", "delete_semaphore",
        ])
        #expect(faults.map(\.at.value) == [.seconds(60), .seconds(120), .seconds(30), .seconds(60), .seconds(60),
                                           .seconds(60), .seconds(240)])
        #expect(faults.map { $0.lasting?.value } == [.seconds(180), nil, nil, .seconds(60), .seconds(30),
                                                      .seconds(120), nil])
        guard case .partition(let sideA, let sideB, let oneWay) = faults[0].kind,
              case .crash(let crashed, let restart) = faults[1].kind,
              case .clockSkew(let skewed, let offset) = faults[2].kind,
              case .latency(let latencyPair, let add) = faults[3].kind,
              case .loss(let lossPair, let rate) = faults[4].kind,
              case .deleteSemaphore(let user) = faults[6].kind
        else {
            Issue.record("unexpected fault kinds: \(faults.map(\.kind))")
            return
        }
        #expect(sideA.map(\.value) == ["node-1"])
        #expect(sideB.map(\.value) == ["auth-1"])
        #expect(oneWay.value == false)
        #expect(crashed.value == "node-2")
        #expect(restart?.value == .seconds(60))
        #expect(skewed.value == "node-1")
        #expect(offset.value == .seconds(-5))
        #expect([latencyPair.first.value, latencyPair.second.value] == ["node-1", "auth-1"])
        #expect(add.value == .seconds(5))
        #expect([lossPair.first.value, lossPair.second.value] == ["proxy-1", "auth-1"])
        #expect(rate.value == 0.5)
        #expect(faults[5].kind == .storageOutage)
        #expect(user.value == "alice")
    }

    func checkExpectations(_ expectations: [MetricExpectation]) throws {
        #expect(expectations.map(\.selectorText) == [
            "connections_rejected{user:alice,reason:max_connections}",
            "concurrent_connections_peak{user:alice}",
            "lease_expiry_lag",
        ])
        #expect(expectations.map(\.metric.kind) == [.counter, .gauge, .histogram])
        #expect(expectations.map { $0.conditions.map(\.text) } == [["== 3"], ["<= 2"], ["max <= 2m"]])
        #expect(expectations[2].conditions[0].threshold
            == Threshold(aggregate: .max, comparison: .lessOrEqual, value: .duration(.seconds(120))))
        #expect(expectations[0].location == SourcePosition(line: 63, column: 3))
        #expect(expectations[0].conditions[0].location == SourcePosition(line: 63, column: 63))
    }

    @Test("peer-load.yaml parses")
    func peerLoad() throws {
        let scenario = try ScenarioLoader.load(path: Fixtures.path("peer-load.yaml"))
        #expect(scenario.name.value == "peer-load")
        #expect(scenario.duration.value == .seconds(600))
        #expect(scenario.cluster.backendLatency.value == .milliseconds(2))
        #expect(scenario.cluster.nodes.map(\.name.value) == (1...8).map { "node-\($0)" })
        #expect(scenario.cluster.network.latency.value == .uniform(min: .milliseconds(1), max: .milliseconds(5)))
        #expect(scenario.cluster.recording.mode.value == .off)
        #expect(scenario.cluster.proxyCount.value == 1)
        #expect(scenario.users.first?.memberCount == 2_000)
        #expect(scenario.limits(forUser: "dev-2000") == (maxConnections: 3, maxSessions: 0))
        let entry = try #require(scenario.load.first)
        guard case .open(let arrival) = entry.model else {
            Issue.record("expected an open model")
            return
        }
        #expect(arrival.rate(at: .seconds(1)) == 400)
        #expect(arrival.until.value == .seconds(600))
        #expect(entry.hold?.value == .exponential(mean: .seconds(20)))
        #expect(entry.sessions.value == .constant(1))
    }
}
