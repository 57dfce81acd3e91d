/// The outcome of one built-in invariant (`limiter-safety`, `lease-bounded`, …): one
/// entry of the report's `invariants`.
public struct InvariantResult: Sendable, Hashable {
    /// The invariant's id, as the contract names it.
    public var id: String
    /// Whether it held. Normally `violations.isEmpty`, but a checker may fail an
    /// invariant it could not check.
    public var passed: Bool
    /// What went wrong, in the order found (the checker should order them by time).
    public var violations: [Violation]

    /// Creates a result; `passed` defaults to `violations.isEmpty`.
    public init(id: String, passed: Bool? = nil, violations: [Violation] = []) {
        self.id = id
        self.passed = passed ?? violations.isEmpty
        self.violations = violations
    }
}

/// One violation of an invariant: when, who, what, and the trace around it.
public struct Violation: Sendable, Hashable {
    /// Virtual time of the violation, in seconds from the start of the run.
    public var time: Double
    /// What went wrong, in one sentence.
    public var message: String
    /// The hosts involved (e.g. `node-1`, `auth-1`).
    public var hosts: [String]
    /// The users involved.
    public var users: [String]
    /// A few trace lines (JSON lines of the trace) leading up to the violation.
    public var traceExcerpt: [String]

    /// Creates a violation.
    public init(time: Double, message: String, hosts: [String] = [], users: [String] = [], traceExcerpt: [String] = []) {
        self.time = time
        self.message = message
        self.hosts = hosts
        self.users = users
        self.traceExcerpt = traceExcerpt
    }
}
