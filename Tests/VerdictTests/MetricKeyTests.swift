import Scenario
import Testing
import Verdict

@Suite("Metric keys")
struct MetricKeyTests {
    @Test("tags are sorted by tag name, whatever order they are given in")
    func tagSorting() {
        let key = MetricKey(
            name: "connections_rejected", tags: [("user", "alice"), ("reason", "max_connections"), ("node", "node-1")])
        #expect(key.description == "connections_rejected{node:node-1,reason:max_connections,user:alice}")
        #expect(key.tags.map(\.name) == ["node", "reason", "user"])
        let same = MetricKey(
            name: "connections_rejected", tags: [("node", "node-1"), ("user", "alice"), ("reason", "max_connections")])
        #expect(key == same)
        #expect(key.hashValue == same.hashValue)
    }

    @Test("a key without tags is just the name")
    func untagged() {
        #expect(MetricKey(name: "upload_parts").description == "upload_parts")
        #expect(MetricKey(name: "upload_parts", tags: [MetricTag]()).description == "upload_parts")
    }

    @Test("the key text equals the selector's canonical key")
    func matchesCanonicalSelectorKey() throws {
        let selector = try MetricSelector(parsing: "connections_rejected{user:alice,reason:max_connections,node:n}")
        let key = MetricKey(name: selector.name, tags: selector.tags)
        #expect(key.description == selector.canonicalKey)
    }

    @Test("a selector selects keys carrying every tag it names, other tags free")
    func selection() throws {
        let key = MetricKey(name: "connections_rejected", tags: [("user", "alice"), ("node", "node-1")])
        #expect(key.isSelected(by: try MetricSelector(parsing: "connections_rejected")))
        #expect(key.isSelected(by: try MetricSelector(parsing: "connections_rejected{user:alice}")))
        #expect(key.isSelected(by: try MetricSelector(parsing: "connections_rejected{node:node-1,user:alice}")))
        #expect(!key.isSelected(by: try MetricSelector(parsing: "connections_rejected{user:bob}")))
        #expect(!key.isSelected(by: try MetricSelector(parsing: "connections_rejected{reason:contention}")))
        #expect(!key.isSelected(by: try MetricSelector(parsing: "connections_accepted{user:alice}")))
        #expect(key.value(forTag: "node") == "node-1")
        #expect(key.value(forTag: "reason") == nil)
    }

    @Test("keys order by their text")
    func ordering() {
        let keys = [
            MetricKey(name: "b"), MetricKey(name: "a", tags: [("user", "z")]), MetricKey(name: "a"),
            MetricKey(name: "a", tags: [("user", "b")]),
        ]
        #expect(keys.sorted().map(\.description) == ["a", "a{user:b}", "a{user:z}", "b"])
    }
}
