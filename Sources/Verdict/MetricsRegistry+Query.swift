public import Scenario
import SimulationKernel

/// Queries by `MetricSelector` (as written in `expect:`) and the report snapshot.
///
/// A selector selects every series with its name that carries each tag it names with
/// the required value; tags it does not name are free. Over the selected series:
/// counters are summed, gauges maximised, histograms merged. A metric never recorded
/// (no series selected) is 0 for counters and gauges and empty for histograms.
extension MetricsRegistry {
    /// The sum of the counters `selector` selects; 0 when none is.
    ///
    /// Series of another kind under the same name are never selected.
    /// - Complexity: O(*n*) in the series of the selector's name.
    public func counterTotal(matching selector: MetricSelector) -> Int64 {
        var total: Int64 = 0
        forEachSelected(selector, kind: .counter) { total += counterValues[$0] }
        return total
    }

    /// The largest of the gauges `selector` selects; 0 when none is.
    ///
    /// The maximum, not the sum: the gauges of the contract are peaks, durations and
    /// rates per series, so `concurrent_connections_peak{user:alice}` over several series
    /// (were it tagged more finely) is the highest peak, and an untagged selector over
    /// per-user gauges answers "the worst user".
    /// - Complexity: O(*n*) in the series of the selector's name.
    public func gaugeMaximum(matching selector: MetricSelector) -> Double {
        var maximum: Double?
        forEachSelected(selector, kind: .gauge) { index in
            let value = gaugeValues[index]
            if maximum.map({ value > $0 }) ?? true { maximum = value }
        }
        return maximum ?? 0
    }

    /// The merge of the histograms `selector` selects; empty (in the name's unit, or
    /// the catalog's) when none is.
    /// - Complexity: O(*n* × *b*) for *n* selected series of *b* buckets.
    public func mergedHistogram(matching selector: MetricSelector) -> MetricHistogram {
        let unit = names[selector.name]?.unit ?? MetricCatalog.metric(named: selector.name)?.unit ?? .seconds
        var merged = MetricHistogram(unit: unit)
        forEachSelected(selector, kind: .histogram) { merged.merge(histogramValues[$0]) }
        return merged
    }

    /// The keys of the series `selector` selects (any kind), in report order.
    public func keys(matching selector: MetricSelector) -> [MetricKey] {
        guard let info = names[selector.name] else { return [] }
        return info.series.map { series[$0].key }.filter { $0.isSelected(by: selector) }.sorted()
    }

    /// Every series and its value, sorted by key text: the report's `metrics`.
    /// - Complexity: O(*n* log *n* + total buckets) for *n* series.
    ///
    /// The key texts are written into one buffer and sorted there (``KeyTexts``); each
    /// becomes a `String` once, in order, in the entry that holds it (32 bytes each).
    /// A large snapshot is sorted and built in two halves side by side: after a large
    /// run it is on the critical path, and the other core is idle by then.
    public func snapshot() -> [ReportMetric] {
        var texts = KeyTexts(reservingKeys: series.count)
        for entry in series { texts.append(entry.key) }
        let order = texts.sortedPositions()
        guard order.count >= KeyTexts.parallelSortMinimum else { return entries(order[...], texts: texts) }
        let middle = order.count / 2
        // The first half is made with room for all, and the second appended in place:
        // at scale (a million series) a third array would add tens of megabytes.
        var (all, high) = bothInParallel(
            { [self, texts] in entries(order[..<middle], texts: texts, capacity: order.count) },
            { entries(order[middle...], texts: texts) })
        all.append(contentsOf: high)
        return all
    }

    /// The report entries of the series at `positions`, in that order, in an array with
    /// room for at least `capacity`.
    private func entries(_ positions: ArraySlice<Int>, texts: KeyTexts, capacity: Int = 0) -> [ReportMetric] {
        var entries: [ReportMetric] = []
        entries.reserveCapacity(max(capacity, positions.count))
        for position in positions {
            let entry = series[position]
            let value: MetricValue
            switch entry.kind {
            case .counter: value = .counter(counterValues[entry.index])
            case .gauge: value = .gauge(gaugeValues[entry.index])
            case .histogram: value = .histogram(histogramValues[entry.index].summary)
            }
            entries.append(ReportMetric(key: texts.string(at: position), value: value))
        }
        return entries
    }

    /// Calls `body` with the storage index of every series of `kind` that `selector`
    /// selects, in registration order.
    private func forEachSelected(_ selector: MetricSelector, kind: MetricKind, _ body: (Int) -> Void) {
        guard let info = names[selector.name], info.kind == kind else { return }
        for position in info.series {
            let entry = series[position]
            if entry.key.isSelected(by: selector) { body(entry.index) }
        }
    }
}
