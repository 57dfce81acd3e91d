extension Actor {
    /// Runs `operation` isolated to this actor, from code the simulation loop runs
    /// synchronously (a timer, a message arrival, a reply callback).
    ///
    /// Every simulated actor's jobs run on the loop thread, one at a time, so code the
    /// loop runs synchronously is isolated to every simulated actor it touches. This
    /// is `assumeIsolated` without its runtime check in release builds (the check
    /// looks up the current executor, a measurable cost on the hot path); debug
    /// builds keep the check.
    /// - Precondition: called on the loop thread of the simulation that runs this
    ///   actor, outside any other job of this actor.
    @inline(__always)
    public nonisolated func assumeIsolatedOnLoop<T: Sendable>(_ operation: (isolated Self) throws -> T) rethrows -> T {
        #if DEBUG
        return try assumeIsolated(operation)
        #else
        typealias Plain = (Self) throws -> T
        return try withoutActuallyEscaping(operation) { escapable in
            try unsafeBitCast(escapable, to: Plain.self)(self)
        }
        #endif
    }
}
