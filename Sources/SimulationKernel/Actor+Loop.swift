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
    ///
    /// Allocation-free: `operation` stays a non-escaping argument of a capture-free
    /// runner whose isolated parameter is cast away, so its captures stay on the
    /// caller's stack. (Casting `operation` itself needs `withoutActuallyEscaping`,
    /// whose reabstraction thunk boxes the closure on the heap at every call.)
    /// Inlinable, so that callers in other modules get it specialised and inlined
    /// rather than calling the generic form through thunks.
    @inlinable @inline(__always)
    public nonisolated func assumeIsolatedOnLoop<T: Sendable>(_ operation: (isolated Self) -> T) -> T {
        #if DEBUG
        return assumeIsolated(operation)
        #else
        typealias IsolatedRunner = (isolated Self, (isolated Self) -> T) -> T
        typealias PlainRunner = (Self, (isolated Self) -> T) -> T
        let runner: IsolatedRunner = { actor, operation in operation(actor) }
        return unsafeBitCast(runner, to: PlainRunner.self)(self, operation)
        #endif
    }
}
