import Scenario
import Testing

@Suite("swarm settings")
struct SwarmSettingsTests {
    @Test("swarm bounds decode with their values")
    func decodes() throws {
        let scenario = try #require(parseValid(minimalScenario + """
            swarm:
              max_faults: 2
              kinds: [crash, loss]
              max_skew: 3s
              max_latency: 500ms
              max_loss: 0.25
            """))
        let swarm = try #require(scenario.swarm)
        #expect(swarm.maxFaults?.value == 2)
        #expect(swarm.kinds?.map(\.value) == ["crash", "loss"])
        #expect(swarm.maxSkew?.value == .seconds(3))
        #expect(swarm.maxLatency?.value == .milliseconds(500))
        #expect(swarm.maxLoss?.value == 0.25)
        #expect(parseValid(minimalScenario)?.swarm == nil)
    }

    @Test("an unknown kind, an out-of-range loss and an unknown key are errors at their positions")
    func errors() {
        let found = diagnostics(minimalScenario + """
            swarm:
              kinds: [crash, meteor]
              max_loss: 2
              max_fault: 3
            """)
        let messages = found.map(\.description)
        #expect(messages.contains { $0.contains("test.yaml:10:18: error: unknown swarm fault kind 'meteor'") })
        #expect(messages.contains { $0.contains("test.yaml:11:13: error: expected a probability between 0 and 1") })
        #expect(messages.contains { $0.contains("unknown key 'max_fault' in swarm; did you mean 'max_faults'?") })
    }
}
