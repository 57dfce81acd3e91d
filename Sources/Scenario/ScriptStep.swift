/// One step of `script:` — something a client does at an exact offset from the start.
public struct ScriptStep: Sendable, Hashable {
    /// Where the step's mapping starts.
    public var location: SourcePosition
    /// `at`: offset from the start of the run (at most `duration`).
    public var at: Located<Duration>
    /// What happens.
    public var action: Action

    /// Creates a step.
    public init(location: SourcePosition, at: Located<Duration>, action: Action) {
        self.location = location
        self.at = at
        self.action = action
    }

    /// The kinds of script step.
    public enum Action: Sendable, Hashable {
        /// `connect: NODE` — a user opens a connection.
        case connect(Connect)
        /// `open_sessions: {conn, count, hold}` — more session channels on a live connection.
        case openSessions(OpenSessions)
        /// `disconnect: HANDLE` — close a connection (a no-op if it is not live).
        case disconnect(handle: Located<String>)
    }

    /// A `connect` step.
    public struct Connect: Sendable, Hashable {
        /// `user`: who connects (a single user or a member of a group, like `ci-3`).
        public var user: Located<String>
        /// `connect`: the node's name.
        public var node: Located<String>
        /// `as`: the handle later steps use for this connection, if any.
        public var handle: Located<String>?
        /// `hold`: disconnect after this long; nil means at the end of `duration`.
        public var hold: Located<Duration>?
        /// `sessions`: session channels opened right after connecting (default 1, may be 0).
        public var sessions: Located<Int>
        /// `output`: recorded output per session in bytes per second (default 0).
        public var output: Located<Double>
        /// `output_interval`: time between print events (the scenario's default unless set).
        public var outputInterval: Located<Duration>
        /// `command`: what each session runs (default `shell`); `scp` opens the
        /// hidden extra session channel an OpenSSH `scp` opens before each transfer.
        public var command: Located<SessionCommand>

        /// Creates a connect step.
        public init(
            user: Located<String>, node: Located<String>, handle: Located<String>?, hold: Located<Duration>?,
            sessions: Located<Int>, output: Located<Double>, outputInterval: Located<Duration>,
            command: Located<SessionCommand>
        ) {
            self.command = command
            self.user = user
            self.node = node
            self.handle = handle
            self.hold = hold
            self.sessions = sessions
            self.output = output
            self.outputInterval = outputInterval
        }
    }

    /// An `open_sessions` step.
    public struct OpenSessions: Sendable, Hashable {
        /// `conn`: the handle of the connection (defined by an earlier `as`).
        public var handle: Located<String>
        /// `count`: how many session channels to open (default 1, at least 1).
        public var count: Located<Int>
        /// `hold`: close them after this long; nil means with the connection.
        public var hold: Located<Duration>?

        /// Creates an open-sessions step.
        public init(handle: Located<String>, count: Located<Int>, hold: Located<Duration>?) {
            self.handle = handle
            self.count = count
            self.hold = hold
        }
    }
}

/// What a connect step's sessions run.
public enum SessionCommand: String, Sendable, Hashable, CaseIterable {
    /// An interactive shell: one session channel per session.
    case shell
    /// `scp`: a hidden session channel (resolving `~`) before each transfer's channel.
    case scp
}
