import Foundation
import Runner
import Scenario
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Scenarios and helpers shared by the HTML report tests.
enum HTMLFixtures {
    /// The repository's `scenarios/` directory.
    static let scenarios = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios")

    /// Runs the library scenario `name` (e.g. `clock-skew.yaml`).
    static func verdict(of name: String, seed: UInt64? = nil) throws -> ScenarioVerdict {
        let path = scenarios.appendingPathComponent(name).path
        return ScenarioVerdict(try ScenarioLoader.load(path: path), file: path, seed: seed)
    }

    /// Runs a scenario given as YAML text.
    static func verdict(yaml: String, name: String = "generated.yaml") throws -> ScenarioVerdict {
        ScenarioVerdict(try ScenarioLoader.parse(yaml: yaml, fileName: name), file: name)
    }

    /// A generated load over `users` limited users plus 20 hot ones, with a partition.
    static func manyUsers(_ users: Int) -> String {
        """
        name: many-users-\(users)
        description: A generated load over \(users) users with a connection limit, a few of them hot, and a partition.
        duration: 2m
        drain: 3m
        cluster:
          nodes: { count: 4, prefix: node- }
        roles:
          limited: { max_connections: 2 }
        users:
          u: { count: \(users), prefix: u-, roles: [limited] }
          hot: { count: 20, prefix: hot-, roles: [limited] }
        load:
          - name: background
            users: u
            nodes: any
            arrival: { rate: 40/s, from: 0s, until: 2m, process: poisson }
            hold: { exponential: 20s }
          - name: hot
            users: hot
            nodes: any
            arrival: { rate: 5/s, from: 0s, until: 2m, process: poisson }
            hold: { exponential: 20s }
        faults:
          - { at: 30s, partition: [[node-1], [auth-1]], for: 30s }
        expect:
          'connections_attempted': ['> 1000']
          'connections_rejected{reason:max_connections}': ['> 0']
        """
    }

    /// Every kind of fault on a small cluster.
    static let everyFault = """
        name: every-fault
        description: One fault of each kind, to see each one shaded and labelled.
        duration: 6m
        drain: 3m
        cluster:
          nodes: [node-1, node-2, node-3]
        roles:
          limited: { max_connections: 1 }
        users:
          alice: { roles: [limited] }
          bob: { roles: [limited] }
        script:
          - { at: 0s, user: alice, connect: node-1 }
          - { at: 5s, user: bob, connect: node-2 }
          - { at: 10s, user: alice, connect: node-3 }
        faults:
          - { at: 30s, partition: [[node-1], [auth-1]], for: 1m }
          - { at: 1m, crash: node-2, restart_after: 1m }
          - { at: 0s, clock_skew: { host: node-3, offset: -5s } }
          - { at: 2m, latency: { between: [node-3, auth-1], add: 5s }, for: 1m }
          - { at: 3m, loss: { between: [proxy-1, auth-1], rate: 0.5 }, for: 30s }
          - { at: 4m, storage_outage: {}, for: 1m }
          - { at: 5m, delete_semaphore: alice }
        """

    /// Parses `html` as XML (the report is XHTML-compatible), failing the test if it is not
    /// well-formed.
    static func parse(_ html: String) throws -> XMLElement {
        let document = try XMLDocument(data: Data(html.utf8), options: [])
        return try #require(document.rootElement())
    }

    /// Every element of `root` whose local name is `name` (namespaced SVG included).
    static func elements(_ name: String, in root: XMLElement) throws -> [XMLElement] {
        try root.nodes(forXPath: "//*[local-name()='\(name)']").compactMap { $0 as? XMLElement }
    }

    /// `html` without the SVG namespace declarations, the only `http:` text the report may hold.
    static func withoutSVGNamespace(_ html: String) -> String {
        html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
    }
}
