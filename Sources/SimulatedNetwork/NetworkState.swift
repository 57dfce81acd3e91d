import SimulationKernel

// The network's records: of links, hosts and messages (``SimNetwork`` keeps them).

/// One directed link's mutable state: what a message reads and updates on its link.
///
/// Kept to 52 bytes, so that with its key a link fills one 64-byte slot of the
/// ``LinkTable`` (a test checks it): the profile in effect lives in the network's
/// table of profiles (``SimNetwork/linkProfiles``), most links sharing the default's.
struct LinkState {
    /// The link's own random stream (loss rolls, latency draws).
    var random: SeededRandom
    /// Arrival time of the last message scheduled on the link (FIFO floor).
    var lastArrival: Int64 = .min
    /// The loss rate in effect (the profile's, kept here: read by every message).
    var loss: Double
    /// The profile in effect, by its index in ``SimNetwork/linkProfiles``: 0 for the
    /// network's default, another for an override.
    var profile: UInt32

    init(random: SeededRandom, profile: UInt32, loss: Double) {
        self.random = random
        self.profile = profile
        self.loss = loss
    }
}

/// How many messages met each fate.
public struct NetworkStatistics: Sendable, Hashable {
    public var sent: UInt64 = 0
    public var delivered: UInt64 = 0
    public var dropped: UInt64 = 0
    public var held: UInt64 = 0
    public var requestsTimedOut: UInt64 = 0

    public init() {}
}

/// A message on the wire.
struct Message: Sendable {
    enum Kind: Sendable { case oneWay, request(UInt64), response(UInt64) }
    var kind: Kind
    var from: HostID
    var to: HostID
    var payload: any NetworkPayload
    var fromIncarnation: UInt64 = 0
    var toIncarnation: UInt64 = 0
    /// The payload's trace label, computed once when the message is sent.
    var label: String?

    /// Moves the payload out, leaving an empty one: a swap moves the existential's bits,
    /// where reading the field copied it (a value-witness call, and a release at the
    /// message's end, on every arrival).
    mutating func takePayload() -> any NetworkPayload {
        var taken: any NetworkPayload = MovedOutPayload()
        swap(&taken, &payload)
        return taken
    }
}

/// What a message holds once its payload was taken (``Message/takePayload()``).
struct MovedOutPayload: NetworkPayload {}

/// A live incarnation's service and context, unretained (see `SimNetwork.endpoints`).
struct HostEndpoint {
    private let service: Unmanaged<AnyObject>
    private let serviceType: any HostService.Type
    private let context: Unmanaged<HostContext>

    init(service: any HostService, context: HostContext) {
        self.service = .passUnretained(service)
        serviceType = type(of: service)
        self.context = .passUnretained(context)
    }

    /// The service's ``HostService/handleInline(_:from:context:reply:)``, called at +0.
    @inline(__always)
    func handleInline(_ message: any NetworkPayload, from sender: HostID, reply: ReplyHandle) -> InlineHandling {
        serviceType.handleInlineUnretained(service, message, from: sender, context: context, reply: reply)
    }
}

extension HostService {
    /// ``handleInline(_:from:context:reply:)`` on `service`, which is a `Self`, and
    /// `context`, both at +0.
    static func handleInlineUnretained(
        _ service: Unmanaged<AnyObject>, _ message: any NetworkPayload, from sender: HostID,
        context: Unmanaged<HostContext>, reply: ReplyHandle
    ) -> InlineHandling {
        Unmanaged<Self>.fromOpaque(service.toOpaque())._withUnsafeGuaranteedRef { service in
            context._withUnsafeGuaranteedRef { context in
                service.handleInline(message, from: sender, context: context, reply: reply)
            }
        }
    }
}

/// The mutable state of one host across its incarnations.
final class HostState: @unchecked Sendable {
    let id: HostID
    let name: String
    let boot: @Sendable (HostContext) -> any HostService
    let disk = SimDisk()
    let skew = ClockSkew()
    /// The current incarnation's context and service (nil while the host is down;
    /// whether it is up, and which incarnation it runs, the network keeps in arrays).
    var context: HostContext?
    var service: (any HostService)?

    init(id: HostID, name: String, boot: @escaping @Sendable (HostContext) -> any HostService) {
        self.id = id
        self.name = name
        self.boot = boot
    }
}
