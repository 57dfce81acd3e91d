import SimulationKernel

/// Why a set of audit fields is not a (normalisable) rejection event.
public struct AuditEventError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Code: Sendable, Hashable {
        /// `event` is neither `session.rejected` nor `sessctl.limit`.
        case unknownEvent
        /// A required field is absent.
        case missingField
        /// A field has a value outside its domain.
        case invalidField
    }

    /// The kind of problem.
    public let code: Code
    /// The field concerned.
    public let field: String
    /// A readable explanation.
    public let message: String

    init(_ code: Code, field: String, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String { message }
}

extension SessionRejectedEvent {
    /// Reads a rejection event from its fields, accepting the 4.4 alias.
    ///
    /// - `event` must be `session.rejected` or `sessctl.limit`.
    /// - The limit comes from `reason` or, for the alias, from `sessctl_kind`
    ///   (`connection` | `session`); if both are present they must agree.
    /// - `code`, if present, must be `T1006W` for `session.rejected` (it is
    ///   ignored for the alias, whose early builds used other codes); `proto`, if
    ///   present, must be `ssh`.
    /// - `user`, `login`, `server_id`, `max` (a non-negative integer), `time`
    ///   (seconds with up to nine decimals, e.g. `12.000000250`) and `uid` are required.
    /// - Other fields are ignored.
    ///
    /// - Throws: ``AuditEventError`` naming the first offending field, checked in
    ///   the order above (so the error is deterministic).
    public init(normalizing fields: [String: String]) throws(AuditEventError) {
        guard let event = fields["event"] else {
            throw AuditEventError(.missingField, field: "event", "missing field \"event\"")
        }
        let legacy: Bool
        switch event {
        case Self.eventName: legacy = false
        case Self.legacyEventName: legacy = true
        default:
            throw AuditEventError(.unknownEvent, field: "event", "\"\(event)\" is not a session rejection event")
        }

        var kind: LimitKind?
        if let reason = fields["reason"] {
            guard let parsed = LimitKind(reason: reason) else {
                throw AuditEventError(.invalidField, field: "reason", "unknown reason \"\(reason)\"")
            }
            kind = parsed
        }
        if legacy, let legacyKind = fields["sessctl_kind"] {
            guard let parsed = LimitKind(legacyKind: legacyKind) else {
                throw AuditEventError(.invalidField, field: "sessctl_kind", "unknown sessctl_kind \"\(legacyKind)\"")
            }
            if let kind, kind != parsed {
                throw AuditEventError(
                    .invalidField, field: "sessctl_kind",
                    "sessctl_kind \"\(legacyKind)\" contradicts reason \"\(kind.reason)\"")
            }
            kind = parsed
        }
        guard let kind else {
            let field = legacy ? "sessctl_kind" : "reason"
            throw AuditEventError(.missingField, field: field, "missing field \"\(field)\"")
        }

        if !legacy, let code = fields["code"], code != Self.code {
            throw AuditEventError(.invalidField, field: "code", "code \"\(code)\" is not \(Self.code)")
        }
        if let proto = fields["proto"], proto != Self.proto {
            throw AuditEventError(.invalidField, field: "proto", "proto \"\(proto)\" is not \(Self.proto)")
        }

        func required(_ name: String) throws(AuditEventError) -> String {
            guard let value = fields[name] else {
                throw AuditEventError(.missingField, field: name, "missing field \"\(name)\"")
            }
            return value
        }
        let user = try required("user")
        let login = try required("login")
        let serverID = try required("server_id")
        let maxText = try required("max")
        guard let max = Int(maxText), max >= 0 else {
            throw AuditEventError(.invalidField, field: "max", "max \"\(maxText)\" is not a non-negative integer")
        }
        let timeText = try required("time")
        guard let time = Self.parseInstant(timeText) else {
            throw AuditEventError(.invalidField, field: "time", "time \"\(timeText)\" is not seconds like 12.000000250")
        }
        let uid = try required("uid")
        self.init(user: user, login: login, serverID: serverID, reason: kind, max: max, time: time, uid: uid)
    }

    /// Parses `[-]<seconds>[.<up to 9 digits>]` into an instant; `nil` if malformed or out of range.
    static func parseInstant(_ text: String) -> SimInstant? {
        var body = Substring(text)
        let negative = body.first == "-"
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let wholeText = parts.first, !wholeText.isEmpty, wholeText.allSatisfy(\.isASCIIDigit),
            let whole = Int64(wholeText)
        else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let fractionText = parts[1]
            guard !fractionText.isEmpty, fractionText.count <= 9, fractionText.allSatisfy(\.isASCIIDigit) else {
                return nil
            }
            let padded = String(fractionText) + String(repeating: "0", count: 9 - fractionText.count)
            guard let value = Int64(padded) else { return nil }
            fraction = value
        }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        let (nanos, overflow2) = scaled.addingReportingOverflow(fraction)
        guard !overflow2 else { return nil }
        return SimInstant(nanoseconds: negative ? -nanos : nanos)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
