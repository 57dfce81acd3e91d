/// A handle to one counter series of a ``MetricsRegistry``, for recording without lookups.
///
/// Obtained from ``MetricsRegistry/counter(_:tags:)``; valid only for the registry (or
/// copies of it) that issued it.
public struct CounterID: Sendable, Hashable {
    /// Index into the registry's counter values.
    let index: Int
}

/// A handle to one gauge series of a ``MetricsRegistry``, for recording without lookups.
///
/// Obtained from ``MetricsRegistry/gauge(_:tags:)``; valid only for the registry (or
/// copies of it) that issued it.
public struct GaugeID: Sendable, Hashable {
    /// Index into the registry's gauge values.
    let index: Int
}

/// A handle to one histogram series of a ``MetricsRegistry``, for recording without lookups.
///
/// Obtained from ``MetricsRegistry/histogram(_:tags:unit:)``; valid only for the registry
/// (or copies of it) that issued it.
public struct HistogramID: Sendable, Hashable {
    /// Index into the registry's histograms.
    let index: Int
}
