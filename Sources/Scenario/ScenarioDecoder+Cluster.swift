import Foundation
import Yams

extension ScenarioDecoder {
    /// Largest number of nodes one generator may create.
    static let maximumGeneratedNodes = 100_000

    /// Decodes `cluster:`; broken values are reported and replaced by their defaults.
    func decodeCluster(_ node: Node?, defaultLocation: SourcePosition) -> Cluster {
        let allowed = ["session_control_timeout", "backend", "auth", "proxy", "nodes", "network", "recording"]
        let fields = node.flatMap { self.fields($0, in: "cluster", allowed: allowed) }
        let start = fields?.location ?? defaultLocation
        let timeout = fields?["session_control_timeout"].flatMap { duration($0, positive: true) }
            ?? Located(.seconds(120), at: start)

        let backend = fields?["backend"].flatMap { self.fields($0, in: "backend", allowed: ["latency"]) }
        let backendLatency = backend?["latency"].flatMap { duration($0) } ?? Located(.milliseconds(1), at: start)

        let auth = fields?["auth"].flatMap { self.fields($0, in: "auth", allowed: ["count"]) }
        let authCount = auth?["count"].flatMap { integer($0, noun: "an auth host count", in: 1...1_000) }
            ?? Located(1, at: auth?.location ?? start)
        let proxy = fields?["proxy"].flatMap { self.fields($0, in: "proxy", allowed: ["count"]) }
        let proxyCount = proxy?["count"].flatMap { integer($0, noun: "a proxy count", in: 0...1_000) }
            ?? Located(1, at: proxy?.location ?? start)

        let nodes = fields?["nodes"].map(decodeNodes) ?? []
        let network = decodeNetwork(fields?["network"], defaultLocation: start)
        let recording = decodeRecording(fields?["recording"], defaultLocation: start)
        if proxyCount.value == 0, recording.mode.value == .proxy || recording.mode.value == .proxySync {
            error("recording mode '\(recording.mode.value.rawValue)' records at the proxy, but this cluster has no proxy; "
                  + "add one (proxy: { count: 1 }) or record at the nodes (mode: node)", at: recording.mode.location)
        }
        return Cluster(
            location: start, sessionControlTimeout: timeout, backendLatency: backendLatency, authCount: authCount,
            proxyCount: proxyCount, nodes: nodes, network: network, recording: recording)
    }

    /// Decodes `nodes:` — a list of `{name, kind}` (or bare names, or generators), or one `{count, prefix, kind}`.
    func decodeNodes(_ node: Node) -> [ClusterNode] {
        if case .mapping = node {
            return decodeNodeGenerator(node, context: "nodes")
        }
        guard let items = list(node, expected: "a list of nodes or {count: N, prefix: node-}") else { return [] }
        var nodes: [ClusterNode] = []
        for item in items {
            switch item {
            case .scalar:
                if let name = name(item, expected: "a node name") {
                    nodes.append(ClusterNode(name: name, kind: Located(.teleport, at: name.location)))
                }
            case .mapping:
                let isGenerator = item.mapping?.keys.contains { $0.scalar?.string == "count" } ?? false
                if isGenerator {
                    nodes += decodeNodeGenerator(item, context: "a node generator")
                    continue
                }
                guard let fields = self.fields(item, in: "a node", allowed: ["name", "kind"], misplaced: { key in
                    key == "prefix" ? "'prefix' applies only to generated nodes; add 'count'" : nil
                }) else { continue }
                let kind = fields["kind"].flatMap { choice($0, noun: "node kind") as Located<NodeKind>? }
                    ?? Located(.teleport, at: fields.location)
                if let name = required(fields, "name").flatMap({ name($0, expected: "a node name") }) {
                    nodes.append(ClusterNode(name: name, kind: kind))
                }
            default:
                typeError(expected: "a node like {name: node-1}", found: item)
            }
        }
        return nodes
    }

    /// Decodes `{count: N, prefix: P, kind: K}` into nodes P1…PN.
    func decodeNodeGenerator(_ node: Node, context: String) -> [ClusterNode] {
        guard let fields = self.fields(node, in: context, allowed: ["count", "prefix", "kind"], misplaced: { key in
            key == "name"
                ? "a node generator takes 'prefix', not 'name'; use a separate list item for a named node"
                : nil
        }) else { return [] }
        let count = required(fields, "count").flatMap {
            integer($0, noun: "a node count", in: 1...Self.maximumGeneratedNodes)
        }
        let prefix = fields["prefix"].flatMap { name($0, expected: "a node name prefix") }
            ?? Located("node-", at: fields.location)
        let kind = fields["kind"].flatMap { choice($0, noun: "node kind") as Located<NodeKind>? }
            ?? Located(.teleport, at: fields.location)
        guard let count else { return [] }
        return (1...count.value).map { index in
            ClusterNode(name: Located(prefix.value + String(index), at: fields.location), kind: kind)
        }
    }

    /// Decodes `network: {latency, loss}`.
    func decodeNetwork(_ node: Node?, defaultLocation: SourcePosition) -> Network {
        let fields = node.flatMap { self.fields($0, in: "network", allowed: ["latency", "loss"]) }
        let start = fields?.location ?? defaultLocation
        let latency = fields?["latency"].flatMap(durationDistribution)
            ?? Located(.constant(.milliseconds(1)), at: start)
        let loss = fields?["loss"].flatMap(probability) ?? Located(0, at: start)
        return Network(latency: latency, loss: loss)
    }

    /// Decodes `recording: {mode, storage, path, grace_period}`.
    func decodeRecording(_ node: Node?, defaultLocation: SourcePosition) -> Recording {
        let fields = node.flatMap { self.fields($0, in: "recording", allowed: ["mode", "storage", "path", "grace_period"]) }
        let start = fields?.location ?? defaultLocation
        let mode = fields?["mode"].flatMap { choice($0, noun: "recording mode") as Located<RecordingMode>? }
            ?? Located(.node, at: start)
        let storage = fields?["storage"].flatMap { choice($0, noun: "recording storage") as Located<RecordingStorage>? }
            ?? Located(.memory, at: start)
        let path = fields?["path"].flatMap { text($0, expected: "a directory path") }
        if path != nil, storage.value != .file, let location = fields?.keyLocation("path") {
            error("'path' applies only to 'storage: file'", at: location)
        }
        if let path, storage.value == .file {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path.value, isDirectory: &isDirectory) || !isDirectory.boolValue {
                error("recording path '\(path.value)' is not an existing directory; create it first "
                      + "(each run writes into a new subdirectory of it)", at: path.location)
            }
        }
        let grace = fields?["grace_period"].flatMap { duration($0, positive: true) }
        return Recording(mode: mode, storage: storage, path: path, gracePeriod: grace)
    }
}
