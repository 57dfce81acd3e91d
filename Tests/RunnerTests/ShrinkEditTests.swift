import Runner
import Scenario
import Testing

@Suite("Shrinking: scenario edits and targets")
struct ShrinkEditTests {
    static let yaml = """
        name: edits
        duration: 10m
        cluster:
          nodes: [node-1, node-2]
        roles:
          limited: { max_connections: 2 }
        users:
          alice: { roles: [limited] }
          ci: { count: 4, roles: [limited] }
        script:
          - { at: 0s, user: alice, connect: node-1, as: a }
          - { at: 10s, open_sessions: { conn: a, count: 2 } }
          - { at: 20s, user: ci-3, connect: node-2, as: c }
          - { at: 5m, disconnect: a }
          - { at: 6m, disconnect: c }
        load:
          - name: ramp
            users: [ci, alice]
            nodes: [node-2]
            arrival: { stages: [{ rate: 10/s, for: 2m }, { rate: 0/s, for: 2m }], from: 1m }
        faults:
          - { at: 1m, partition: [[node-1, node-2], [auth-1]], for: 1m }
          - { at: 7m, delete_semaphore: ci-4 }
        expect:
          'connections_accepted{user:ci-4}': ['>= 0']
          'connections_accepted{node:node-1}': ['>= 0', '< 100']
        """

    func load() throws -> Scenario { try ScenarioLoader.parse(yaml: Self.yaml, fileName: "edits.yaml") }

    /// Whether `scenario`, written as a file, loads again.
    func validates(_ scenario: Scenario) -> Bool {
        (try? ScenarioLoader.parse(yaml: ScenarioWriter.yaml(scenario), fileName: "candidate.yaml")) != nil
    }

    @Test("removing a connect step removes the steps that use its handle")
    func dependentSteps() throws {
        let edited = try load().removingScriptSteps(at: [0])
        #expect(edited.script.map { Units.format(duration: $0.at.value) } == ["20s", "6m"])
        #expect(validates(edited))
    }

    @Test("cutting a group removes what refers to the members that went")
    func groupResize() throws {
        let edited = try load().resizingGroup(at: 1, to: 2)
        #expect(edited.users[1].memberCount == 2)
        #expect(edited.script.count == 3)  // ci-3's connect and its disconnect are gone
        #expect(edited.faults.count == 1)  // delete_semaphore ci-4 is gone
        #expect(edited.expectations.map(\.selectorText) == ["connections_accepted{node:node-1}"])
        #expect(validates(edited))
    }

    @Test("removing a node shrinks partitions and drops what needs it")
    func nodeRemoval() throws {
        let edited = try load().removingNodes(["node-2"])
        #expect(edited.cluster.nodes.map(\.name.value) == ["node-1"])
        #expect(edited.load.isEmpty)
        guard case .partition(let sideA, _, _) = edited.faults.first?.kind else {
            Issue.record("the partition should stay")
            return
        }
        #expect(sideA.map(\.value) == ["node-1"])
        #expect(validates(edited))
    }

    @Test("truncating cuts steps, faults and a ramp at the new end, keeping the ramp's shape before it")
    func truncation() throws {
        let original = try load()
        let edited = original.truncated(to: .seconds(150))
        #expect(edited.duration.value == .seconds(150))
        #expect(edited.script.count == 3)
        #expect(edited.faults.count == 1)
        guard case .open(let arrival) = edited.load.first?.model, case .open(let before) = original.load.first?.model,
              case .stages(_, let stages) = arrival.pattern
        else {
            Issue.record("the ramp should stay")
            return
        }
        #expect(arrival.until.value == .seconds(150))
        #expect(stages.count == 1)
        #expect(stages.first?.duration.value == .seconds(90))
        #expect(abs(arrival.rate(at: .seconds(100)) - before.rate(at: .seconds(100))) < 1e-6)
        #expect(validates(edited))
    }

    @Test("keeping only the target's threshold")
    func onlyTheTarget() throws {
        let target = ShrinkTarget.expectation(metric: "connections_accepted{node:node-1}", condition: "< 100")
        let edited = try load().keepingOnlyExpectation(of: target)
        #expect(edited.expectations.count == 1)
        #expect(edited.expectations.first?.conditions.map(\.text) == ["< 100"])
        #expect(target.isPossible(in: edited))
        #expect(try load().keepingOnlyExpectation(of: .invariant("limiter-safety")).expectations.isEmpty)
    }

    @Test("a target is named by an invariant id, or a selector with or without its condition")
    func targetChoice() {
        let failures: [ShrinkTarget] = [
            .invariant("lease-bounded"),
            .expectation(metric: "connections_accepted{user:alice}", condition: "== 3"),
            .expectation(metric: "connections_accepted{user:alice}", condition: "<= 1"),
        ]
        #expect(ShrinkTarget.choose(nil, among: failures) == failures[0])
        #expect(ShrinkTarget.choose("invariant lease-bounded", among: failures) == failures[0])
        #expect(ShrinkTarget.choose("connections_accepted{user:alice}", among: failures) == failures[1])
        #expect(ShrinkTarget.choose("connections_accepted{user: alice} <= 1", among: failures) == failures[2])
        #expect(ShrinkTarget.choose("limiter-safety", among: failures) == nil)
    }
}
