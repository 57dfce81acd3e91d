public import Scenario

/// The metrics of one run: counters, gauges and HDR histograms, keyed by name and tags.
///
/// Recording is cheap: a series is registered once (``counter(_:tags:)``,
/// ``gauge(_:tags:)``, ``histogram(_:tags:unit:)``), which interns its ``MetricKey`` to
/// an integer handle; recording through the handle (`add(_:_:)`, `set(_:to:)`,
/// `raise(_:to:)`, `record(_:_:)`) is an array
/// access with no hashing and no string work. The name-based calls
/// (``increment(_:tags:by:)`` and friends) look the key up on every call: convenient
/// off the hot path.
///
/// A value type with no internal synchronisation: keep one instance on one thread (the
/// simulation's loop), or copy it. Queries by selector are in
/// `MetricsRegistry+Query.swift`.
///
/// Invariants:
/// - each name has one kind (counter, gauge or histogram) and, for histograms, one
///   unit; registering it otherwise is a precondition failure, as is registering a
///   catalog metric (`MetricCatalog`) with a kind other than the catalog's;
/// - a registered series exists in the report even if never updated (counters and
///   gauges start at 0, histograms empty).
public struct MetricsRegistry: Sendable {
    /// One registered series: its key, kind and index into the kind's storage. (The
    /// key's text is made when the report is: a run at scale has a million series.)
    struct Series: Sendable {
        var key: MetricKey
        var kind: MetricKind
        var index: Int
    }

    /// What a name was first registered as.
    struct NameInfo: Sendable {
        var kind: MetricKind
        var unit: MetricUnit
        /// Indices into `series` of this name's series, in registration order.
        var series: [Int]
    }

    /// Every series, in registration order.
    private(set) var series: [Series] = []
    /// Series index by key.
    private var seriesByKey: [MetricKey: Int] = [:]
    /// Kind, unit and series per name.
    private(set) var names: [String: NameInfo] = [:]

    /// Counter values, indexed by `CounterID.index`.
    private(set) var counterValues: [Int64] = []
    /// Gauge values, indexed by `GaugeID.index`.
    private(set) var gaugeValues: [Double] = []
    /// Histograms, indexed by `HistogramID.index`.
    private(set) var histogramValues: [MetricHistogram] = []

    /// Creates an empty registry.
    public init() {}

    /// Number of registered series.
    public var seriesCount: Int { series.count }

    /// Every registered series' key, in registration order.
    public var keys: [MetricKey] { series.map(\.key) }

    // MARK: Registration

    /// The handle of the counter `name{tags}`, registering it (at 0) if new.
    /// - Complexity: O(*t* log *t*) for *t* tags plus one hash lookup.
    public mutating func counter(_ name: String, tags: [(String, String)] = []) -> CounterID {
        counter(MetricKey(name: name, tags: tags))
    }

    /// The handle of the counter `key`, registering it (at 0) if new.
    public mutating func counter(_ key: MetricKey) -> CounterID {
        CounterID(index: register(key, kind: .counter, unit: nil))
    }

    /// The handle of the gauge `name{tags}`, registering it (at 0) if new.
    /// - Complexity: O(*t* log *t*) for *t* tags plus one hash lookup.
    public mutating func gauge(_ name: String, tags: [(String, String)] = []) -> GaugeID {
        gauge(MetricKey(name: name, tags: tags))
    }

    /// The handle of the gauge `key`, registering it (at 0) if new.
    public mutating func gauge(_ key: MetricKey) -> GaugeID {
        GaugeID(index: register(key, kind: .gauge, unit: nil))
    }

    /// The handle of the histogram `name{tags}`, registering it (empty) if new.
    ///
    /// `unit` decides the resolution (see ``MetricHistogram``); nil takes the catalog's
    /// unit for the name, or seconds for a name the catalog does not know.
    /// - Complexity: O(*t* log *t*) for *t* tags plus one hash lookup.
    public mutating func histogram(
        _ name: String, tags: [(String, String)] = [], unit: MetricUnit? = nil
    ) -> HistogramID {
        histogram(MetricKey(name: name, tags: tags), unit: unit)
    }

    /// The handle of the histogram `key`, registering it (empty) if new.
    public mutating func histogram(_ key: MetricKey, unit: MetricUnit? = nil) -> HistogramID {
        HistogramID(index: register(key, kind: .histogram, unit: unit))
    }

    /// Interns `key` as a series of `kind`, returning the index into the kind's storage.
    private mutating func register(_ key: MetricKey, kind: MetricKind, unit: MetricUnit?) -> Int {
        if let existing = seriesByKey[key] {
            let entry = series[existing]
            precondition(
                entry.kind == kind,
                "metric '\(entry.key)' is a \(entry.kind.rawValue), not a \(kind.rawValue)")
            if let unit, let known = names[key.name]?.unit {
                precondition(unit == known, "histogram '\(key.name)' is in \(known.rawValue), not \(unit.rawValue)")
            }
            return entry.index
        }
        let resolvedUnit = declareName(key.name, kind: kind, unit: unit)
        let index: Int
        switch kind {
        case .counter:
            index = counterValues.count
            counterValues.append(0)
        case .gauge:
            index = gaugeValues.count
            gaugeValues.append(0)
        case .histogram:
            index = histogramValues.count
            histogramValues.append(MetricHistogram(unit: resolvedUnit))
        }
        let position = series.count
        series.append(Series(key: key, kind: kind, index: index))
        seriesByKey[key] = position
        names[key.name]!.series.append(position)
        return index
    }

    /// Records (or checks) the kind and unit of `name`; returns its unit.
    private mutating func declareName(_ name: String, kind: MetricKind, unit: MetricUnit?) -> MetricUnit {
        if let info = names[name] {
            precondition(info.kind == kind, "metric '\(name)' is a \(info.kind.rawValue), not a \(kind.rawValue)")
            if let unit {
                precondition(unit == info.unit, "histogram '\(name)' is in \(info.unit.rawValue), not \(unit.rawValue)")
            }
            return info.unit
        }
        let definition = MetricCatalog.metric(named: name)
        if let definition {
            precondition(
                definition.kind == kind,
                "metric '\(name)' is a \(definition.kind.rawValue) in the catalog, not a \(kind.rawValue)")
        }
        let resolved = unit ?? definition?.unit ?? (kind == .histogram ? .seconds : .count)
        names[name] = NameInfo(kind: kind, unit: resolved, series: [])
        return resolved
    }

    // MARK: Recording through handles

    /// Adds `amount` to a counter.
    /// - Complexity: O(1).
    @inline(__always)
    public mutating func add(_ id: CounterID, _ amount: Int64 = 1) {
        counterValues[id.index] += amount
    }

    /// Sets a gauge to `value`.
    /// - Complexity: O(1).
    @inline(__always)
    public mutating func set(_ id: GaugeID, to value: Double) {
        gaugeValues[id.index] = value
    }

    /// Raises a gauge to `value` if that is larger (a peak); gauges start at 0.
    /// - Complexity: O(1).
    @inline(__always)
    public mutating func raise(_ id: GaugeID, to value: Double) {
        if value > gaugeValues[id.index] { gaugeValues[id.index] = value }
    }

    /// Adds `delta` to a gauge (e.g. accumulated seconds over a limit).
    /// - Complexity: O(1).
    @inline(__always)
    public mutating func add(_ id: GaugeID, _ delta: Double) {
        gaugeValues[id.index] += delta
    }

    /// Records one observation (in the histogram's unit: seconds or bytes).
    /// - Complexity: O(1) amortised.
    @inline(__always)
    public mutating func record(_ id: HistogramID, _ value: Double) {
        histogramValues[id.index].record(value)
    }

    /// Records one duration observation (exact to the nanosecond for seconds histograms).
    /// - Complexity: O(1) amortised.
    @inline(__always)
    public mutating func record(_ id: HistogramID, _ duration: Duration) {
        histogramValues[id.index].record(duration)
    }

    // MARK: Reading through handles

    /// The current value of a counter.
    public func value(_ id: CounterID) -> Int64 { counterValues[id.index] }

    /// The current value of a gauge.
    public func value(_ id: GaugeID) -> Double { gaugeValues[id.index] }

    /// The histogram of a series.
    public func value(_ id: HistogramID) -> MetricHistogram { histogramValues[id.index] }
}
