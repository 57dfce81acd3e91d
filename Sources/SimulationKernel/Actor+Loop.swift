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
    /// `operation` stays a non-escaping argument of a capture-free runner whose isolated
    /// parameter is cast away (casting `operation` itself needs `withoutActuallyEscaping`,
    /// which boxes it). Passing an `operation` that captures values still reabstracts
    /// it with a thunk whose context is allocated on the heap at every call (measured on
    /// Swift 6.3); on hot paths use ``onLoop(_:_:)``, whose step captures nothing.
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

    /// Runs `step` isolated to this actor with `argument`, like
    /// ``assumeIsolatedOnLoop(_:)``, and with no allocation when `step` captures nothing:
    /// pass what it needs in `argument` (a tuple for several values).
    ///
    /// An operation that captures values is a closure with a context, and passing it
    /// through the cast of ``assumeIsolatedOnLoop(_:)`` reabstracts it with a thunk whose
    /// context is allocated on the heap at every call. A `step` that captures nothing is
    /// a plain function: its thunk needs no context. The hot paths of the services (a
    /// message arrival, a timer) use this form where the input is one or a few values:
    /// a large tuple, or a step on a generic type, measured slower than the thunk.
    /// - Precondition: as for ``assumeIsolatedOnLoop(_:)``.
    @inlinable @inline(__always)
    public nonisolated func onLoop<Argument, Result: Sendable>(
        _ argument: Argument, _ step: (isolated Self, Argument) -> Result
    ) -> Result {
        #if DEBUG
        assumeIsolated { _ in }  // debug builds check the precondition
        #endif
        typealias IsolatedRunner = (isolated Self, Argument, (isolated Self, Argument) -> Result) -> Result
        typealias PlainRunner = (Self, Argument, (isolated Self, Argument) -> Result) -> Result
        let runner: IsolatedRunner = { actor, argument, step in step(actor, argument) }
        return unsafeBitCast(runner, to: PlainRunner.self)(self, argument, step)
    }

    /// Runs `step` isolated to this actor with `arguments` passed by address, like
    /// ``onLoop(_:_:)``: no allocation when `step` captures nothing, and no copy of the
    /// arguments either, however many.
    ///
    /// The form for steps that need several values (a tuple in a local `var`): a tuple
    /// passed by value is copied into the call, and a closure that captures the values
    /// instead gets a heap context (see ``assumeIsolatedOnLoop(_:)``). Measured (Swift
    /// 6.3): it pays for a handful of plain values on a non-generic actor (a connect
    /// from the load generator); with a dozen fields, results and closures among them,
    /// building the tuple cost more than the context it saves.
    /// ```swift
    /// var inputs = (answer, context)
    /// let next = core.onLoop(with: &inputs) { core, inputs in core.step(inputs.0, at: inputs.1.now) }
    /// ```
    /// - Precondition: as for ``assumeIsolatedOnLoop(_:)``.
    @inlinable @inline(__always)
    public nonisolated func onLoop<Arguments, Result: Sendable>(
        with arguments: inout Arguments, _ step: (isolated Self, inout Arguments) -> Result
    ) -> Result {
        #if DEBUG
        assumeIsolated { _ in }  // debug builds check the precondition
        #endif
        typealias IsolatedRunner = (isolated Self, inout Arguments, (isolated Self, inout Arguments) -> Result) -> Result
        typealias PlainRunner = (Self, inout Arguments, (isolated Self, inout Arguments) -> Result) -> Result
        let runner: IsolatedRunner = { actor, arguments, step in step(actor, &arguments) }
        return unsafeBitCast(runner, to: PlainRunner.self)(self, &arguments, step)
    }
}
