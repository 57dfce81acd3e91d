import Scenario
import SimulationKernel
import Testing

@testable import Verdict

/// The report's metric order is `String`'s `<` on the key texts; the fast paths
/// (bytes for ASCII, one buffer of texts) must give exactly that order.
@Suite("Metric key order")
struct KeyOrderTests {
    /// A random text from `alphabet`, 0 to 12 characters, often sharing a prefix.
    static func text(_ random: inout SeededRandom, _ alphabet: [String]) -> String {
        let prefix = random.next(below: 2) == 0 ? "connections_accepted{node:" : ""
        let length = random.next(below: 13)
        return prefix + (0..<length).map { _ in alphabet[random.next(below: alphabet.count)] }.joined()
    }

    static let ascii = ["a", "b", "z", "A", "0", "9", "{", "}", ",", ":", "-", "_", " ", "~", "\u{7F}", "\u{01}"]
    static let unicode = ascii + ["é", "e\u{301}", "ß", "Å", "A\u{30A}", "😀", "日"]

    @Test("the positions sort as String's < does", arguments: [false, true])
    func positionsAsStringOrder(unicode: Bool) {
        var random = SeededRandom(seed: unicode ? 2 : 1)
        for _ in 0..<40 {
            let keys = (0..<random.next(below: 300)).map { _ in Self.text(&random, unicode ? Self.unicode : Self.ascii) }
            var texts = KeyTexts(reservingKeys: keys.count)
            for key in keys { texts.append(key) }
            let expected = keys.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
            #expect(texts.sortedPositions() == expected)
            #expect(keys.indices.allSatisfy { texts.string(at: $0) == keys[$0] })
        }
    }

    @Test("above the parallel threshold, the merged halves give the same order, duplicates by position")
    func parallelPositionsAsStringOrder() {
        var random = SeededRandom(seed: 3)
        let count = KeyTexts.parallelSortMinimum * 2 + 17
        // Few distinct texts, so that equal ones fall in both halves and the merge must
        // keep them by position.
        let distinct = (0..<500).map { _ in Self.text(&random, Self.ascii) }
        let keys = (0..<count).map { _ in distinct[random.next(below: distinct.count)] }
        var texts = KeyTexts(reservingKeys: keys.count)
        for key in keys { texts.append(key) }
        let expected = keys.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
        #expect(texts.sortedPositions() == expected)
    }

    @Test("a snapshot built in two halves lists every series once, by key text")
    func largeSnapshot() {
        var registry = MetricsRegistry()
        var random = SeededRandom(seed: 4)
        let users = (0..<(KeyTexts.parallelSortMinimum + 1_001)).map { "dev-\($0)" }.shuffled(using: &random)
        for (index, user) in users.enumerated() {
            let id = registry.counter("connections_attempted", tags: [("user", user)])
            for _ in 0...(index % 3) { registry.add(id) }
        }
        let snapshot = registry.snapshot()
        #expect(snapshot.count == users.count)
        #expect(snapshot.map(\.key) == snapshot.map(\.key).sorted())
        let byKey = Dictionary(uniqueKeysWithValues: snapshot.map { ($0.key, $0.value) })
        for (index, user) in users.enumerated() {
            #expect(byKey["connections_attempted{user:\(user)}"] == .counter(Int64(index % 3 + 1)))
        }
    }

    @Test("a key is written as its description")
    func keyText() {
        let keys = [MetricKey(name: "sim_events"), MetricKey(name: "connections_rejected",
                    tags: [("user", "dev-1"), ("reason", "max_connections"), ("node", "node-2")]),
                    MetricKey(name: "x", tags: [("k", "日本")])]
        var texts = KeyTexts(reservingKeys: keys.count)
        for key in keys { texts.append(key) }
        #expect(keys.indices.map(texts.string(at:)) == keys.map(\.description))
    }

    @Test("a snapshot lists its series by key text; the JSON report keeps or restores that order")
    func snapshotAndReportOrder() {
        var registry = MetricsRegistry()
        for name in ["b", "a_b", "a", "a{", "é", "Z"] {
            registry.add(registry.counter("m", tags: [("user", name)]))
        }
        registry.add(registry.counter("m"))
        let keys = registry.snapshot().map(\.key)
        #expect(keys == keys.sorted())
        #expect(keys.count == 7)
        let shuffled = [keys[3], keys[0], keys[6], keys[1], keys[5], keys[2], keys[4]].map {
            ReportMetric(key: $0, value: .counter(1))
        }
        #expect(ReportMetric.sortedByKey(shuffled).map(\.key) == keys)
        let sorted = keys.map { ReportMetric(key: $0, value: .counter(1)) }
        #expect(ReportMetric.sortedByKey(sorted) == sorted)
    }
}
