public import SimulationKernel

/// Identifies a host of a ``SimNetwork``; hosts are numbered in the order added.
public struct HostID: Hashable, Comparable, Sendable {
    /// Position of the host in the network's host table.
    public let index: Int

    public static func < (lhs: HostID, rhs: HostID) -> Bool { lhs.index < rhs.index }
}

/// A message that can cross a ``SimNetwork``.
public protocol NetworkPayload: Sendable {
    /// A short, deterministic label for the trace (default: the type's name).
    var traceLabel: String { get }
}

extension NetworkPayload {
    public var traceLabel: String { _typeName(Self.self, qualified: false) }

    /// This payload as a `Payload`, if that is exactly its type; nil otherwise.
    ///
    /// What `as? Payload` gives for a payload struct, as one comparison of type
    /// metadata instead of the runtime's general cast (which unwraps the existential
    /// and considers classes, optionals and protocols first). Services dispatch every
    /// message they receive by type, so this is on the path of every message.
    @inlinable @inline(__always)
    public func exactly<Payload: NetworkPayload>(_ type: Payload.Type) -> Payload? {
        exactCast(self, to: Payload.self)
    }
}

/// `value` as a `Wanted` if that is exactly its type, nil otherwise: one comparison of
/// type metadata, where `as?` runs the runtime's general cast. (An existential passed
/// here is opened, so this also reads a boxed value of exactly the wanted type.)
@inlinable @inline(__always)
func exactCast<Value, Wanted>(_ value: Value, to type: Wanted.Type) -> Wanted? {
    guard Value.self == Wanted.self else { return nil }
    return unsafeBitCast(value, to: Wanted.self)
}

/// Why a request through the network failed, as its caller sees it.
public enum NetworkError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No reply arrived by the deadline (lost, partitioned, peer down or slow).
    case timeout(to: String, deadline: SimInstant)
    /// The calling host crashed (or was restarted) before the reply arrived.
    case callerDown(host: String)
    /// The calling task was cancelled.
    case cancelled
    /// The peer handled the request but sent no reply.
    case noReply(from: String)

    public var description: String {
        switch self {
        case .timeout(let host, let deadline): "request to \(host) timed out at \(deadline)s"
        case .callerDown(let host): "host \(host) went down while waiting for a reply"
        case .cancelled: "request cancelled"
        case .noReply(let host): "\(host) sent no reply"
        }
    }
}

/// How a directed link behaves when no fault is active.
public struct LinkProfile: Sendable, Hashable {
    /// One-way delivery latency.
    public var latency: DurationDistribution {
        didSet { latencySampler = NanosecondSampler(latency) }
    }
    /// Probability in `[0, 1]` that a message is lost.
    public var loss: Double
    /// ``latency`` in nanoseconds, ready to draw on every message.
    public private(set) var latencySampler: NanosecondSampler

    public init(latency: DurationDistribution = .constant(.milliseconds(1)), loss: Double = 0) {
        self.latency = latency
        self.loss = loss
        self.latencySampler = NanosecondSampler(latency)
    }
}

/// What a host runs: it handles each message delivered to it.
///
/// A fresh service is booted for every incarnation of the host, so a crash loses
/// all its state except what it wrote to ``HostContext/disk``.
public protocol HostService: AnyObject, Sendable {
    /// Handles one message. For a request, the returned payload is the reply
    /// (`nil` sends none, and the caller times out); for one-way messages it is ignored.
    func handle(_ message: any NetworkPayload, from sender: HostID, context: HostContext) async -> (any NetworkPayload)?

    /// Handles `message` at once, on the simulation loop, if that needs no
    /// suspension; ``InlineHandling/deferred`` hands it to ``handle(_:from:context:)``
    /// in a task. The default defers everything.
    ///
    /// The fast path of the network: a request handled inline costs no task, no
    /// actor hop and no ready-queue job. Running it at its arrival is one of the
    /// schedules the task would have allowed (it could have run first), so the
    /// model is unchanged; only which schedules the seeded scheduler explores
    /// differs. A service reaches its actor's state with `assumeIsolatedOnLoop`, which
    /// holds because every simulated actor runs on the loop that calls this.
    func handleInline(_ message: any NetworkPayload, from sender: HostID, context: HostContext) -> InlineHandling

    /// Handles the request `message` at its arrival like ``handleInline(_:from:context:)``,
    /// or takes `reply` to answer it later (``InlineHandling/willReply``): a service whose
    /// answer needs other requests first chains them with callbacks
    /// (``HostContext/request(_:to:deadline:onReply:)``) and answers from the last one,
    /// with no task at all. The default calls ``handleInline(_:from:context:)``.
    func handleInline(_ message: any NetworkPayload, from sender: HostID, context: HostContext,
                      reply: ReplyHandle) -> InlineHandling
}

extension HostService {
    public func handleInline(_ message: any NetworkPayload, from sender: HostID, context: HostContext) -> InlineHandling {
        .deferred
    }

    public func handleInline(_ message: any NetworkPayload, from sender: HostID, context: HostContext,
                             reply: ReplyHandle) -> InlineHandling {
        handleInline(message, from: sender, context: context)
    }
}

/// What ``HostService/handleInline(_:from:context:)`` did with a message.
public enum InlineHandling: Sendable {
    /// Handled; for a request, the reply (`nil` sends none).
    case handled((any NetworkPayload)?)
    /// Not handled: it needs a task.
    case deferred
    /// Taken: the service keeps the request's ``ReplyHandle`` and answers through it
    /// later (or never, and the caller times out).
    case willReply
}

/// An object that receives the outcomes of its requests by token
/// (``HostContext/request(_:to:timeout:target:token:)``): the callback form of a request
/// without a closure (and its allocation) per request.
public protocol ReplyTarget: AnyObject, Sendable {
    /// Called on the loop with the reply to the request sent with `token`, or its failure;
    /// not called if the incarnation that asked is gone by then.
    func replyArrived(_ outcome: consuming Result<any NetworkPayload, NetworkError>, token: UInt64)
}

/// The right to answer one request later, from outside the handler that received it.
///
/// A reply sent through it travels like any reply; it is dropped if the host that
/// received the request has crashed or restarted since (that incarnation is gone).
/// Send at most one reply; a second is an extra message the caller ignores.
public struct ReplyHandle: Sendable {
    /// Unowned and unchecked: a handle is copied into every callback that answers later,
    /// and the network outlives every request it carries.
    unowned(unsafe) let network: SimNetwork
    let request: UInt64
    let replier: HostID
    let requester: HostID
    let incarnation: UInt64

    /// Sends `reply` to the requester; `nil` sends nothing (the caller times out).
    public func send(_ reply: consuming (any NetworkPayload)?) {
        guard let reply else { return }
        network.sendReply(reply, to: self)
    }

    /// Sends `reply` to the requester. (A reply that is there: moved on as it is, where
    /// unwrapping an optional copied it, a value-witness call per reply.)
    public func send(_ reply: consuming any NetworkPayload) {
        network.sendReply(reply, to: self)
    }
}

/// Identifies an injected fault so that it can be removed.
public struct FaultID: Hashable, Sendable, Comparable {
    let raw: UInt64
    public static func < (lhs: FaultID, rhs: FaultID) -> Bool { lhs.raw < rhs.raw }
}
