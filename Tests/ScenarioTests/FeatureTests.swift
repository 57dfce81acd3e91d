import Foundation
import Scenario
import Testing

@Suite("Scenario features")
struct FeatureTests {
    @Test("defaults apply when sections are absent")
    func defaults() throws {
        let scenario = try #require(parseValid("name: minimal\nduration: 1m\n"))
        #expect(scenario.seed.value == 1)
        #expect(scenario.drain.value == .seconds(300))
        #expect(scenario.behavior.value == .current)
        #expect(scenario.outputInterval.value == .milliseconds(100))
        #expect(scenario.description == nil)
        #expect(scenario.cluster.sessionControlTimeout.value == .seconds(120))
        #expect(scenario.cluster.backendLatency.value == .milliseconds(1))
        #expect(scenario.cluster.authCount.value == 1)
        #expect(scenario.cluster.proxyCount.value == 1)
        #expect(scenario.cluster.nodes.isEmpty)
        #expect(scenario.cluster.network.latency.value == .constant(.milliseconds(1)))
        #expect(scenario.cluster.network.loss.value == 0)
        #expect(scenario.cluster.recording.mode.value == .node)
        #expect(scenario.cluster.recording.storage.value == .memory)
        #expect(scenario.roles.isEmpty && scenario.users.isEmpty && scenario.script.isEmpty)
        #expect(scenario.load.isEmpty && scenario.faults.isEmpty && scenario.expectations.isEmpty)
        #expect(scenario.seed.location == SourcePosition(line: 1, column: 1))
    }

    @Test("cluster settings, generated nodes and a mixed node list")
    func cluster() throws {
        try FileManager.default.createDirectory(atPath: "/tmp/recordings", withIntermediateDirectories: true)
        let scenario = try #require(parseValid("""
            name: c
            seed: 42
            duration: 1h
            drain: 0s
            behavior: teleport-4.4
            cluster:
              session_control_timeout: 30s
              backend: { latency: 250ms }
              auth: { count: 2 }
              proxy: { count: 0 }
              nodes:
                - edge
                - { count: 2, prefix: web-, kind: openssh }
                - { name: db, kind: teleport }
              network: { latency: { normal: { mean: 10ms, stddev: 2ms } }, loss: 0.01 }
              recording: { mode: node-sync, storage: file, path: /tmp/recordings }
            """))
        #expect(scenario.seed.value == 42)
        #expect(scenario.drain.value == .zero)
        #expect(scenario.behavior.value == .teleport44)
        let cluster = scenario.cluster
        #expect(cluster.sessionControlTimeout.value == .seconds(30))
        #expect(cluster.backendLatency.value == .milliseconds(250))
        #expect(cluster.hostNames == ["auth-1", "auth-2", "edge", "web-1", "web-2", "db"])
        #expect(cluster.proxyHostNames.isEmpty)
        #expect(cluster.nodes.map(\.kind.value) == [.teleport, .openssh, .openssh, .teleport])
        #expect(cluster.node(named: "web-2")?.name.location == SourcePosition(line: 13, column: 7))
        #expect(cluster.network.latency.value == .normal(mean: .milliseconds(10), standardDeviation: .milliseconds(2)))
        #expect(cluster.network.loss.value == 0.01)
        #expect(cluster.recording.mode.value == .nodeSync)
        #expect(cluster.recording.storage.value == .file)
        #expect(cluster.recording.path?.value == "/tmp/recordings")
    }

    @Test("nodes as one generator mapping")
    func nodeGenerator() throws {
        let scenario = try #require(parseValid("name: g\nduration: 1m\ncluster:\n  nodes: { count: 3 }\n"))
        #expect(scenario.cluster.nodes.map(\.name.value) == ["node-1", "node-2", "node-3"])
    }

    @Test("users: single, generated with a default prefix, clients and roles")
    func users() throws {
        let scenario = try #require(parseValid("""
            name: u
            duration: 1m
            roles:
              a: { max_connections: 5, max_sessions: 0 }
              b: { max_connections: 3, max_sessions: 2 }
              open: {}
            users:
              alice: { roles: [a, b], client: openssh }
              bots: { count: 3, roles: open }
              carol:
            """))
        #expect(scenario.users.map(\.name.value) == ["alice", "bots", "carol"])
        #expect(scenario.users[0].client.value == .openssh)
        #expect(scenario.users[1].memberNames == ["bots-1", "bots-2", "bots-3"])
        #expect(scenario.users[1].roles.map(\.value) == ["open"])
        #expect(scenario.users[2].roles.isEmpty)
        #expect(scenario.limits(forUser: "alice") == (maxConnections: 3, maxSessions: 2))
        #expect(scenario.limits(forUser: "bots-2") == (maxConnections: 0, maxSessions: 0))
        #expect(scenario.limits(forUser: "carol") == (maxConnections: 0, maxSessions: 0))
    }

    @Test("script steps inherit the scenario's output_interval unless they set one")
    func outputInterval() throws {
        let scenario = try #require(parseValid(minimalScenario + """
            output_interval: 250ms
            script:
              - { at: 0s, user: alice, connect: node-1, output: 20KiB/s }
              - { at: 0s, user: alice, connect: node-2, sessions: 0, output_interval: 1s }
            load:
              - { name: l, users: [alice], nodes: [node-2], concurrency: 2, think: 1s, output_interval: 50ms }
            """))
        guard case .connect(let first) = scenario.script[0].action,
              case .connect(let second) = scenario.script[1].action
        else {
            Issue.record("expected connect steps")
            return
        }
        #expect(first.outputInterval.value == .milliseconds(250))
        #expect(first.output.value == 20_480)
        #expect(first.hold == nil && first.handle == nil)
        #expect(second.outputInterval.value == .seconds(1))
        #expect(second.sessions.value == 0)
        #expect(scenario.load[0].outputInterval.value == .milliseconds(50))
    }

    @Test("load: stages ramp the rate; closed model; node lists and user lists")
    func load() throws {
        let scenario = try #require(parseValid(minimalScenario + """
              ci: { count: 4 }
            load:
              - name: ramp
                users: [alice, ci]
                nodes: [node-2]
                arrival:
                  from: 1m
                  start_rate: 10/s
                  process: constant
                  stages:
                    - { rate: 100/s, for: 1m }
                    - { rate: 100/s, for: 2m }
                    - { rate: 0/s, for: 0s }
                hold: { uniform: [1s, 5s] }
                sessions: { normal: { mean: 2, stddev: 0.5 } }
                output: { exponential: 1KiB/s }
              - name: loop
                users: ci-2
                concurrency: 3
                think: { exponential: 2s }
            """))
        let ramp = scenario.load[0]
        #expect(scenario.userNames(of: ramp) == ["alice", "ci-1", "ci-2", "ci-3", "ci-4"])
        #expect(scenario.nodeNames(of: ramp) == ["node-2"])
        guard case .open(let arrival) = ramp.model, case .closed(let loop) = scenario.load[1].model else {
            Issue.record("unexpected load models")
            return
        }
        #expect(arrival.from.value == .seconds(60))
        #expect(arrival.until.value == .seconds(240))
        #expect(arrival.process.value == .constant)
        #expect(arrival.rate(at: .seconds(30)) == 0)
        #expect(arrival.rate(at: .seconds(60)) == 10)
        #expect(arrival.rate(at: .seconds(90)) == 55)
        #expect(arrival.rate(at: .seconds(200)) == 100)
        #expect(arrival.rate(at: .seconds(240)) == 0)
        guard case .stages(let start, let stages) = arrival.pattern else {
            Issue.record("expected stages")
            return
        }
        #expect(start.value == 10)
        #expect(stages.map(\.rate.value) == [100, 100, 0])
        #expect(ramp.hold?.value == .uniform(min: .seconds(1), max: .seconds(5)))
        #expect(ramp.sessions.value == .normal(mean: 2, standardDeviation: 0.5))
        #expect(ramp.output.value == .exponential(mean: 1_024))
        #expect(loop.concurrency.value == 3)
        #expect(loop.think.value == .exponential(mean: .seconds(2)))
        #expect(scenario.load[1].hold == nil)
        #expect(scenario.load[1].sessions.value == .constant(1))
    }

    @Test("fault options: one-way partitions, crashes that stay down, groups as partition sides")
    func faults() throws {
        let scenario = try #require(parseValid(minimalScenario + """
            faults:
              - { at: 0s, partition: [[node-1, node-2], auth-1], one_way: true, for: 10s }
              - { at: 1m, crash: proxy-1 }
              - { at: 2m, storage_outage: }
            """))
        #expect(scenario.faults[0].kind == .partition(
            sideA: [Located("node-1", at: SourcePosition(line: 10, column: 28)),
                    Located("node-2", at: SourcePosition(line: 10, column: 36))],
            sideB: [Located("auth-1", at: SourcePosition(line: 10, column: 45))],
            oneWay: Located(true, at: SourcePosition(line: 10, column: 63))))
        #expect(scenario.faults[1].kind == .crash(
            host: Located("proxy-1", at: SourcePosition(line: 11, column: 22)), restartAfter: nil))
        #expect(scenario.faults[1].lasting == nil)
        #expect(scenario.faults[2].kind == .storageOutage)
    }

    @Test("YAML anchors and merge keys work")
    func anchors() throws {
        let scenario = try #require(parseValid("""
            name: anchors
            duration: 1m
            cluster: { nodes: [n1] }
            roles:
              base: &limits { max_connections: 2, max_sessions: 3 }
              derived:
                <<: *limits
                max_sessions: 9
              nested: &nested
                <<: [{ max_sessions: 4 }, *limits]
              twice: { <<: *nested, max_connections: 7 }
            """))
        #expect(scenario.roles.map(\.name.value) == ["base", "derived", "nested", "twice"])
        #expect(scenario.roles.map(\.maxConnections.value) == [2, 2, 2, 7])
        #expect(scenario.roles.map(\.maxSessions.value) == [3, 9, 4, 4])
    }

    @Test("checks that depend on the cluster")
    func clusterDependent() {
        #expect(found("""
            name: t
            duration: 1m
            cluster: { recording: { storage: memory, path: /tmp/x } }
            users: { alice: {} }
            load:
              - { name: l, users: alice, concurrency: 1 }
              - { name: m, users: alice, nodes: any, concurrency: 1 }
            """) == [
            Found(3, 42, "'path' applies only to 'storage: file'"),
            Found(6, 5, "this load entry connects to any node, but the cluster defines no nodes"),
            Found(7, 37, "'nodes: any' needs at least one node in the cluster"),
        ])
    }

    @Test("distributions are validated")
    func distributionErrors() {
        #expect(found(minimalScenario + """
            load:
              - name: a
                users: alice
                concurrency: 1
                hold: { uniform: [5s, 1s] }
                think: { exponetial: 1s }
                sessions: 1.5
              - name: b
                users: alice
                concurrency: 1
                hold: { uniform: [1s] }
                think: { normal: { mean: 1s } }
                sessions: { uniform: [1, 3], exponential: 2 }
                output: [1KiB/s]
            """) == [
            Found(13, 22, "expected MIN <= MAX in uniform, found '5s' > '1s'"),
            Found(14, 14, "unknown key 'exponetial' in a distribution; did you mean 'exponential'?"),
            Found(15, 15, "expected a session count (a whole number), found '1.5'"),
            Found(19, 22, "expected a list of two values [MIN, MAX] for uniform, found 1 value"),
            Found(20, 22, "missing required key 'stddev' in a normal distribution"),
            Found(21, 15, "a distribution has exactly one of 'exponential', 'uniform' or 'normal', found 'uniform', "
                  + "'exponential'"),
            Found(22, 13, "expected a byte rate like '10KiB/s' or a distribution like {exponential: MEAN}, "
                  + "found a list"),
        ])
    }

    @Test("step and load entry shapes are checked")
    func shapes() {
        #expect(found(minimalScenario + """
            script:
              - { at: 0s, user: alice, connect: node-1, disconnect: a }
              - { at: 0s, conect: node-1 }
              - { at: 0s }
              - { at: 0s, disconnect: a, hold: 1s }
              - { at: 0s, open_sessions: { conn: a }, hold: 1s }
              - { user: alice, connect: node-1, as: a }
            load:
              - { name: x, users: alice, arrival: { rate: 1/s }, concurrency: 1 }
              - { name: y, users: alice, arrival: { rate: 0/s, until: 0s }, think: 1s }
              - { name: z, users: [] }
            faults:
              - { at: 0s, crash: node-1, for: 1m }
              - { at: 0s, latency: { between: [node-1, node-1], add: 1s }, restart_after: 1s }
              - { at: 0s, loss: { between: [node-1], rate: 2 } }
              - { at: 0s, partition: [[node-1], [node-1, auth-1]] }
              - { at: 0s, clock_skew: { host: node-1, offset: 5 } }
            """) == [
            Found(10, 45, "a script step does one thing; found both 'connect' and 'disconnect'"),
            Found(11, 15, "unknown key 'conect' in script step; did you mean 'connect'?"),
            Found(12, 5, "a script step needs one of 'connect', 'open_sessions' or 'disconnect'"),
            Found(13, 27, "undefined connection handle 'a'; define it with 'as:' on a connect step"),
            Found(13, 30, "'hold' applies only to connect steps, not to disconnect"),
            Found(14, 38, "undefined connection handle 'a'; define it with 'as:' on a connect step"),
            Found(14, 43, "'hold' of an open_sessions step goes inside it: open_sessions: {conn, count, hold}"),
            Found(15, 5, "missing required key 'at' in connect step"),
            Found(17, 54, "a load entry has either 'arrival' (open model) or 'concurrency' (closed model), not both"),
            Found(18, 47, "expected a rate greater than zero, found '0/s'"),
            Found(18, 65, "'think' applies only to the closed model ('concurrency'), not to 'arrival'"),
            Found(19, 5, "a load entry needs 'arrival' (open model) or 'concurrency' (closed model)"),
            Found(19, 23, "expected at least one user or group in 'users'"),
            Found(21, 30, "'for' does not apply to crash; use 'restart_after' (or nothing to stay down)"),
            Found(22, 44, "expected two different hosts, found 'node-1' twice"),
            Found(22, 64, "'restart_after' applies only to crash, not to latency"),
            Found(23, 32, "expected two hosts like [node-1, auth-1], found 1"),
            Found(23, 48, "expected a probability between 0 and 1, found '2'"),
            Found(24, 38, "host 'node-1' is on both sides of the partition"),
            Found(25, 51, "expected a duration like '30s' or '1h30m', found '5': add a unit (ms, s, m or h)"),
        ])
    }
}
