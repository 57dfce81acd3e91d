public import SimulationKernel

/// One named field of an audit event, as text.
public struct AuditField: Sendable, Hashable, CustomStringConvertible {
    /// The field name (`user`, `server_id`, …).
    public let name: String
    /// The field value as text.
    public let value: String

    /// A field `name` = `value`.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// `name=value`.
    public var description: String { "\(name)=\(value)" }
}

/// The audit event every limit rejection emits: `session.rejected`, code `T1006W`.
///
/// Exactly one is emitted per rejected connection or session channel. Early 4.4
/// builds named it `sessctl.limit` with a `sessctl_kind` of `connection` or
/// `session`; ``init(normalizing:)`` accepts that alias and yields the canonical
/// event.
public struct SessionRejectedEvent: Sendable, Hashable {
    /// The canonical event name.
    public static let eventName = "session.rejected"
    /// The 4.4 alias of ``eventName``.
    public static let legacyEventName = "sessctl.limit"
    /// The event code.
    public static let code = "T1006W"
    /// The protocol, always `ssh`.
    public static let proto = "ssh"

    /// The Teleport user.
    public var user: String
    /// The OS login requested.
    public var login: String
    /// The node that rejected (its server id).
    public var serverID: String
    /// Which limit was reached.
    public var reason: LimitKind
    /// The limit's value.
    public var max: Int
    /// When the rejection happened (the node's clock).
    public var time: SimInstant
    /// The event's unique id.
    public var uid: String

    /// An event with the given fields.
    public init(
        user: String, login: String, serverID: String, reason: LimitKind, max: Int, time: SimInstant, uid: String
    ) {
        self.user = user
        self.login = login
        self.serverID = serverID
        self.reason = reason
        self.max = max
        self.time = time
        self.uid = uid
    }

    /// The event for `rejection` on node `serverID`.
    public init(rejection: LimitRejection, login: String, serverID: String, time: SimInstant, uid: String) {
        self.init(
            user: rejection.user, login: login, serverID: serverID, reason: rejection.kind,
            max: rejection.max, time: time, uid: uid)
    }

    /// The rejection this event records (and hence its message).
    public var rejection: LimitRejection { LimitRejection(kind: reason, user: user, max: max) }

    /// The canonical fields in a fixed order: `event`, `code`, `user`, `login`,
    /// `server_id`, `proto`, `reason`, `max`, `time`, `uid`.
    ///
    /// `time` is written as seconds with nine decimals (``SimInstant/description``).
    public var fields: [AuditField] {
        [
            AuditField("event", Self.eventName),
            AuditField("code", Self.code),
            AuditField("user", user),
            AuditField("login", login),
            AuditField("server_id", serverID),
            AuditField("proto", Self.proto),
            AuditField("reason", reason.reason),
            AuditField("max", String(max)),
            AuditField("time", time.description),
            AuditField("uid", uid),
        ]
    }

    /// The fields as a dictionary (for lookups; iterate ``fields`` for a stable order).
    public var fieldDictionary: [String: String] {
        Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.value) })
    }
}
