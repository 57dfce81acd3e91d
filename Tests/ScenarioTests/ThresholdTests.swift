import Scenario
import Testing

@Suite("Thresholds and metric selectors")
struct ThresholdTests {
    @Test("thresholds parse into typed parts")
    func parsing() throws {
        #expect(try Threshold(parsing: "== 3") == Threshold(comparison: .equal, value: .number(3)))
        #expect(try Threshold(parsing: "<= 2") == Threshold(comparison: .lessOrEqual, value: .number(2)))
        #expect(try Threshold(parsing: "max <= 2m")
            == Threshold(aggregate: .max, comparison: .lessOrEqual, value: .duration(.seconds(120))))
        #expect(try Threshold(parsing: "p(99) < 250ms")
            == Threshold(aggregate: .percentile(99), comparison: .less, value: .duration(.milliseconds(250))))
        #expect(try Threshold(parsing: "p99.9>=1s")
            == Threshold(aggregate: .percentile(99.9), comparison: .greaterOrEqual, value: .duration(.seconds(1))))
        #expect(try Threshold(parsing: "count != 0")
            == Threshold(aggregate: .count, comparison: .notEqual, value: .number(0)))
        #expect(try Threshold(parsing: ">= 5MiB") == Threshold(comparison: .greaterOrEqual, value: .size(5_242_880)))
        #expect(try Threshold(parsing: "> 1MiB/s") == Threshold(comparison: .greater, value: .byteRate(1_048_576)))
        #expect(try Threshold(parsing: "< 50/s") == Threshold(comparison: .less, value: .rate(50)))
        #expect(try Threshold(parsing: "avg > -1.5")
            == Threshold(aggregate: .avg, comparison: .greater, value: .number(-1.5)))
        #expect(try Threshold(parsing: "min == 0") == Threshold(aggregate: .min, comparison: .equal, value: .number(0)))
    }

    @Test("thresholds round-trip through their description", arguments: [
        "== 3", "!= 0", "< 1", "<= 2", "> 4", ">= 5", "max <= 2m", "min > 0s", "avg < 1.5", "count == 0",
        "p(50) <= 1s500ms", "p(99.9) < 250ms", ">= 5MiB", "<= 1000001B", "> 10KiB/s", "< 50/s", "<= 0.25ms",
    ])
    func roundTrip(text: String) throws {
        let threshold = try Threshold(parsing: text)
        #expect(threshold.description == text)
        #expect(try Threshold(parsing: threshold.description) == threshold)
    }

    @Test("aliases render canonically")
    func canonicalForms() throws {
        #expect(try Threshold(parsing: "p99<=2").description == "p(99) <= 2")
        #expect(try Threshold(parsing: "  max<=120s ").description == "max <= 2m")
    }

    @Test("threshold errors say what was expected", arguments: [
        ("= 3", "expected a comparison (==, !=, <, <=, >, >=) in '= 3', found '= 3'; write '==' for equality", 0),
        ("", "expected a threshold like '== 3', '<= 2' or 'max <= 2m', found nothing", 0),
        ("maxx <= 2", "unknown aggregate 'maxx'; expected count, min, max, avg or p(N) like p(99); "
            + "did you mean 'max'?", 0),
        ("p(101) < 1", "expected a percentile in (0, 100] like p(99), found 'p(101)'", 0),
        ("p(0) < 1", "expected a percentile in (0, 100] like p(99), found 'p(0)'", 0),
        ("<= ", "expected a value like '3', '2m' or '5MiB', found nothing", 3),
        ("<= 3x", "unknown unit 'x' in '3x'; expected a plain number, a duration (ms, s, m, h), a size "
            + "(B, KiB, MiB, GiB, KB, MB, GB) or a rate (/s)", 4),
        ("max 3", "expected a comparison (==, !=, <, <=, >, >=) in 'max 3', found '3'", 4),
    ])
    func errors(text: String, message: String, offset: Int) {
        #expect(throws: ValueParseError(message, offset: offset)) { try Threshold(parsing: text) }
    }

    @Test("comparison operators evaluate")
    func evaluation() throws {
        #expect(try Threshold(parsing: "max <= 2m").isSatisfied(by: 120))
        #expect(try !Threshold(parsing: "max <= 2m").isSatisfied(by: 120.5))
        #expect(try Threshold(parsing: "== 3").isSatisfied(by: 3))
        #expect(try Threshold(parsing: "!= 3").isSatisfied(by: 2))
        #expect(try Threshold(parsing: "> 1KiB").isSatisfied(by: 1_025))
        #expect(try Threshold(parsing: ">= 1KiB").isSatisfied(by: 1_024))
        #expect(try Threshold(parsing: "< 1s").isSatisfied(by: 0.999))
        #expect(ThresholdValue.duration(.milliseconds(250)).numericValue == 0.25)
    }

    @Test("selectors parse with and without tags")
    func selectors() throws {
        #expect(try MetricSelector(parsing: "lease_expiry_lag") == MetricSelector(name: "lease_expiry_lag"))
        let selector = try MetricSelector(parsing: "connections_rejected{user:alice,reason:max_connections}")
        #expect(selector.name == "connections_rejected")
        #expect(selector.tags == [
            MetricTag(name: "user", value: "alice"), MetricTag(name: "reason", value: "max_connections"),
        ])
        #expect(selector.value(forTag: "reason") == "max_connections")
        #expect(selector.value(forTag: "node") == nil)
        #expect(selector.canonicalKey == "connections_rejected{reason:max_connections,user:alice}")
        let spaced = try MetricSelector(parsing: " audit_events { event : session.rejected , code: T1006W } ")
        #expect(spaced.description == "audit_events{event:session.rejected,code:T1006W}")
        #expect(try MetricSelector(parsing: "sim_events{}") == MetricSelector(name: "sim_events"))
    }

    @Test("selectors round-trip through their description", arguments: [
        "connections_rejected{user:alice,reason:max_connections}", "concurrent_connections_peak{user:alice}",
        "lease_expiry_lag", "audit_events{event:session.rejected,code:T1006W}", "sessions_opened{node:node-1}",
    ])
    func selectorRoundTrip(text: String) throws {
        let selector = try MetricSelector(parsing: text)
        #expect(selector.description == text)
        #expect(try MetricSelector(parsing: selector.description) == selector)
    }

    @Test("selector errors point into the text", arguments: [
        ("", "expected a metric like 'connections_rejected' or 'connections_rejected{user:alice}', found nothing", 0),
        ("{user:a}", "expected a metric like 'connections_rejected' or 'connections_rejected{user:alice}', "
            + "found '{user:a}'", 0),
        ("m{user:a", "expected '}' to close the tags of 'm{user:a'", 8),
        ("m{user:a,user:b}", "tag 'user' appears twice in 'm{user:a,user:b}'", 9),
        ("m{user}", "expected ':' after tag 'user' in 'm{user}', like 'user:value'", 6),
        ("m{user:}", "expected a value for tag 'user' in 'm{user:}'", 7),
        ("m{user:a,}", "expected a tag name like 'user' in 'm{user:a,}'", 9),
        ("m{user:a} x", "unexpected 'x' after metric 'm'; expected a metric like 'connections_rejected' or "
            + "'connections_rejected{user:alice}'", 10),
    ])
    func selectorErrors(text: String, message: String, offset: Int) {
        #expect(throws: ValueParseError(message, offset: offset)) { try MetricSelector(parsing: text) }
    }

    @Test("the catalog lists every metric of the contract with its kind and tags")
    func catalog() throws {
        // The contract's 29, and clustersim's four network gauges (docs/CONTRACT-ADDITIONS.md).
        #expect(MetricCatalog.all.count == 33)
        #expect(Set(MetricCatalog.all.map(\.name)).count == MetricCatalog.all.count)
        let rejected = try #require(MetricCatalog.metric(named: "connections_rejected"))
        #expect(rejected.kind == .counter)
        #expect(rejected.tags.map(\.name) == ["user", "node", "reason"])
        #expect(rejected.tag(named: "reason")?.values
            == .oneOf(["max_connections", "auth_unreachable", "contention", "node_down"]))
        #expect(MetricCatalog.metric(named: "lease_expiry_lag")?.kind == .histogram)
        #expect(MetricCatalog.metric(named: "lease_expiry_lag")?.unit == .seconds)
        #expect(MetricCatalog.metric(named: "concurrent_connections_peak")?.kind == .gauge)
        #expect(MetricCatalog.metric(named: "recording_bytes_uploaded")?.unit == .bytes)
        #expect(MetricCatalog.metric(named: "upload_throughput")?.unit == .bytesPerSecond)
        #expect(MetricCatalog.metric(named: "recording_events_lost")?.tags.map(\.name) == ["mode"])
        #expect(MetricCatalog.metric(named: "sim_messages_dropped")?.kind == .gauge)
        #expect(MetricCatalog.metric(named: "sim_requests_timed_out")?.tags.isEmpty == true)
        #expect(MetricCatalog.metric(named: "nope") == nil)
    }

    @Test("a threshold is checked against its metric's kind and unit")
    func metricChecks() throws {
        let counter = try #require(MetricCatalog.metric(named: "connections_rejected"))
        let histogram = try #require(MetricCatalog.metric(named: "lease_expiry_lag"))
        let bytes = try #require(MetricCatalog.metric(named: "recording_bytes_uploaded"))
        #expect(counter.problem(with: try Threshold(parsing: "== 3")) == nil)
        #expect(counter.problem(with: try Threshold(parsing: "max == 3"))
            == "'connections_rejected' is a counter, so 'max' does not apply; write just '== 3'")
        #expect(counter.problem(with: try Threshold(parsing: "== 3s"))
            == "'connections_rejected' is a plain number; expected a value without a unit, found '3s'")
        #expect(histogram.problem(with: try Threshold(parsing: "max <= 2m")) == nil)
        #expect(histogram.problem(with: try Threshold(parsing: "p(99) <= 1.5")) == nil)
        #expect(histogram.problem(with: try Threshold(parsing: "count == 0")) == nil)
        #expect(histogram.problem(with: try Threshold(parsing: "count == 2s"))
            == "the count of 'lease_expiry_lag' is a plain number; expected a value without a unit, found '2s'")
        #expect(histogram.problem(with: try Threshold(parsing: "<= 2m"))
            == "'lease_expiry_lag' is a histogram; name an aggregate before the comparison, like 'max <= 2m' "
            + "(count, min, max, avg or p(N))")
        #expect(histogram.problem(with: try Threshold(parsing: "max <= 5MiB"))
            == "'lease_expiry_lag' is measured in seconds; expected a duration like '2m' or a number, found '5MiB'")
        #expect(bytes.problem(with: try Threshold(parsing: ">= 5MiB")) == nil)
        #expect(bytes.problem(with: try Threshold(parsing: ">= 5s")) != nil)
    }
}
