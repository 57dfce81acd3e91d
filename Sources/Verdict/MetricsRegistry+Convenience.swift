/// Recording by name and tags: each call canonicalises the key and looks it up, then
/// records through the interned handle. Prefer handles on hot paths.
extension MetricsRegistry {
    /// Adds `amount` to the counter `name{tags}`, registering it if new.
    /// - Complexity: O(*t* log *t*) for *t* tags plus one hash lookup.
    public mutating func increment(_ name: String, tags: [(String, String)] = [], by amount: Int64 = 1) {
        add(counter(name, tags: tags), amount)
    }

    /// Sets the gauge `name{tags}` to `value`, registering it if new.
    /// - Complexity: O(*t* log *t*) for *t* tags plus one hash lookup.
    public mutating func setGauge(_ name: String, tags: [(String, String)] = [], to value: Double) {
        set(gauge(name, tags: tags), to: value)
    }

    /// Raises the gauge `name{tags}` to `value` if that is larger (a peak), registering
    /// it (at 0) if new.
    /// - Complexity: O(*t* log *t*) for *t* tags plus one hash lookup.
    public mutating func raiseGauge(_ name: String, tags: [(String, String)] = [], to value: Double) {
        raise(gauge(name, tags: tags), to: value)
    }

    /// Records `value` (seconds or bytes) in the histogram `name{tags}`, registering it
    /// (with the catalog's unit) if new.
    /// - Complexity: O(*t* log *t*) for *t* tags plus one hash lookup.
    public mutating func record(_ name: String, tags: [(String, String)] = [], _ value: Double) {
        record(histogram(name, tags: tags), value)
    }

    /// Records a duration in the histogram `name{tags}`, registering it if new.
    /// - Complexity: O(*t* log *t*) for *t* tags plus one hash lookup.
    public mutating func record(_ name: String, tags: [(String, String)] = [], _ duration: Duration) {
        record(histogram(name, tags: tags), duration)
    }
}
