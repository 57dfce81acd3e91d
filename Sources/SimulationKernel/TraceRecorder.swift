/// A value in a trace event's fields.
public enum TraceValue: Sendable, Hashable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    /// Written as seconds with nine decimals.
    case duration(Duration)
}

extension TraceValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

/// One entry of the trace: what happened, where, and when in virtual time.
public struct TraceEvent: Sendable, Hashable {
    /// Virtual time of the event.
    public var time: SimInstant
    /// Position in the trace, from 0.
    public var sequence: UInt64
    /// A dotted kind such as `net.deliver` or `fault.partition.start`.
    public var kind: String
    /// The host where it happened, if any.
    public var host: String?
    /// Further fields, in the order written.
    public var fields: [(String, TraceValue)]

    public static func == (lhs: TraceEvent, rhs: TraceEvent) -> Bool {
        lhs.time == rhs.time && lhs.sequence == rhs.sequence && lhs.kind == rhs.kind && lhs.host == rhs.host
            && lhs.fields.elementsEqual(rhs.fields, by: { $0.0 == $1.0 && $0.1 == $1.1 })
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(sequence)
        hasher.combine(kind)
    }

    /// The event as one line of JSON (no trailing newline), with keys in a fixed
    /// order: `t`, `seq`, `kind`, `host`, then the fields as given.
    public var jsonLine: String {
        var bytes: [UInt8] = []
        encode(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the event's JSON line (no trailing newline) to `bytes`.
    public func encode(into bytes: inout [UInt8]) {
        Self.encodeHead(time: time, sequence: sequence, kind: kind, host: host, into: &bytes)
        for (key, value) in fields { Self.encodeField(key, value, into: &bytes) }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Appends `{"t":…,"seq":…,"kind":…` and the host, if any: a line without its fields and closing brace.
    static func encodeHead(time: SimInstant, sequence: UInt64, kind: String, host: String?, into bytes: inout [UInt8]) {
        bytes.append(contentsOf: #"{"t":"#.utf8)
        JSONBytes.appendFixedSeconds(time.nanoseconds, to: &bytes)
        bytes.append(contentsOf: #","seq":"#.utf8)
        JSONBytes.appendInteger(Int64(bitPattern: sequence), to: &bytes)
        bytes.append(contentsOf: #","kind":"#.utf8)
        JSONBytes.appendQuoted(kind, to: &bytes)
        if let host {
            bytes.append(contentsOf: #","host":"#.utf8)
            JSONBytes.appendQuoted(host, to: &bytes)
        }
    }

    /// Appends `,"key":value`.
    @usableFromInline
    static func encodeField(_ key: String, _ value: TraceValue, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: ","))
        JSONBytes.appendQuoted(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        switch value {
        case .string(let s): JSONBytes.appendQuoted(s, to: &bytes)
        case .int(let i): JSONBytes.appendInteger(i, to: &bytes)
        case .double(let d): bytes.append(contentsOf: (d.isFinite ? String(d) : "null").utf8)
        case .bool(let b): bytes.append(contentsOf: (b ? "true" : "false").utf8)
        case .duration(let d): JSONBytes.appendFixedSeconds(d.nanosecondsClamped, to: &bytes)
        }
    }
}

/// The fields of one trace event as they are written: each is folded into the
/// digest at once (and encoded, when the trace is kept), so recording an event
/// builds no array. See ``TraceRecorder/record(_:host:fields:)``.
public struct TraceFieldWriter: ~Copyable {
    @usableFromInline var digest: TraceDigest
    /// The event's JSON line so far, when the trace is kept.
    @usableFromInline var line: [UInt8]?
    /// The fields, when the event is kept in the recent window.
    @usableFromInline var collected: [(String, TraceValue)]?

    @usableFromInline
    init(digest: TraceDigest, line: [UInt8]?, collected: [(String, TraceValue)]?) {
        self.digest = digest
        self.line = line
        self.collected = collected
    }

    /// Adds the field `key: value`, after those already added.
    @inlinable
    public mutating func add(_ key: String, _ value: TraceValue) {
        digest.combine(key)
        switch value {
        case .string(let text):
            digest.combine(word: 1)
            digest.combine(text)
        case .int(let number):
            digest.combine(word: 2)
            digest.combine(word: UInt64(bitPattern: number))
        case .double(let number):
            digest.combine(word: 3)
            digest.combine(word: number.bitPattern)
        case .bool(let flag):
            digest.combine(word: flag ? 4 : 5)
        case .duration(let duration):
            digest.combine(word: 6)
            digest.combine(word: UInt64(bitPattern: duration.nanosecondsClamped))
        }
        if line != nil { TraceEvent.encodeField(key, value, into: &line!) }
        if collected != nil { collected!.append((key, value)) }
    }
}

/// The append-only trace of a simulation and a stable digest of it.
///
/// Every event's content (time, sequence, kind, host and fields, in order) is
/// folded into a ``StableHash`` in a compact binary form, so two runs have the same
/// ``digest`` exactly when they recorded the same events — the same information
/// as their JSON lines, without the cost of formatting text for runs that keep no
/// trace. The JSON lines are encoded and kept only when ``keepsEvents`` is on
/// (for `--trace`); a window of the most recent events is always kept for excerpts.
///
/// Thread-safety: touched only by the simulation's loop thread (recording from
/// elsewhere counts as an escape).
public final class TraceRecorder: @unchecked Sendable {
    /// The simulation that owns this recorder; cleared when it goes. Not `weak`: a
    /// weak reference gives the simulation a side table, which every retain and
    /// release of it (many per message) would then go through.
    unowned(unsafe) var simulation: Simulation?
    /// Whether every event's line is kept for ``jsonLines()``. Set it before anything
    /// defers digesting (``deferral``): deferred events keep no lines.
    public var keepsEvents = false {
        didSet { precondition(!keepsEvents || deferral == nil, "set keepsEvents before deferring the digest") }
    }
    /// How many recent events are kept in memory (none by default; the reports'
    /// excerpts come from the observation log).
    public var recentWindow = 0

    private var lines: [UInt8] = []
    private var scratch: [UInt8] = []
    private var recent: [TraceEvent] = []
    private var recentHead = 0
    private var hash = TraceDigest()
    /// Number of events recorded.
    public var count: UInt64 { recorded }
    /// ``count``'s storage, usable from inlinable code: ``reserveSequence()`` is inlined
    /// into the log's append, where calling it retained and released the recorder once
    /// per observation.
    @usableFromInline var recorded: UInt64 = 0

    init() { scratch.reserveCapacity(256) }

    /// The digest of everything recorded so far, as 16 hex digits.
    public var digest: String { hash.hex }

    /// Appends an event at the current virtual time. - Complexity: O(size of the event).
    public func record(_ kind: String, host: String? = nil, _ fields: [(String, TraceValue)] = []) {
        record(kind, host: host) { writer in
            for (key, value) in fields { writer.add(key, value) }
        }
    }

    /// Appends an event at the current virtual time whose fields `fields` adds to
    /// the writer, in order: the same event as passing them as an array, without
    /// building one. - Complexity: O(size of the event).
    @inline(__always)
    public func record(_ kind: String, host: String? = nil, fields: (inout TraceFieldWriter) -> Void) {
        guard let simulation else { return }
        simulation.checkContained()
        let time = simulation.now
        let sequence = reserveSequence()
        if let deferral {
            var writer = TraceFieldWriter(digest: TraceDigest(), line: nil, collected: [])
            fields(&writer)
            deferral(DeferredTraceEvent(time: time, sequence: sequence, kind: kind, host: host,
                                        fields: writer.collected ?? []))
            return
        }
        var line: [UInt8]?
        if keepsEvents {
            scratch.removeAll(keepingCapacity: true)
            TraceEvent.encodeHead(time: time, sequence: sequence, kind: kind, host: host, into: &scratch)
            line = scratch
            scratch = []
        }
        var writer = TraceFieldWriter(digest: headDigest(time: time, sequence: sequence, kind: kind, host: host),
                                      line: line, collected: recentWindow > 0 ? [] : nil)
        fields(&writer)
        hash = writer.digest
        if var line = writer.line {
            line.append(UInt8(ascii: "}"))
            line.append(UInt8(ascii: "\n"))
            lines.append(contentsOf: line)
            line.removeAll(keepingCapacity: true)
            scratch = line
        }
        if let collected = writer.collected {
            let event = TraceEvent(time: time, sequence: sequence, kind: kind, host: host, fields: collected)
            if recent.count < recentWindow {
                recent.append(event)
            } else {
                recent[recentHead] = event
                recentHead = (recentHead + 1) % recentWindow
            }
        }
    }

    /// The digest so far with an event's time, sequence, kind and host folded in.
    @inline(__always)
    private func headDigest(time: SimInstant, sequence: UInt64, kind: String, host: String?) -> TraceDigest {
        var digest = hash
        digest.combine(word: UInt64(bitPattern: time.nanoseconds))
        digest.combine(word: sequence)
        digest.combine(kind)
        if let host {
            digest.combine(host)
        } else {
            digest.combine(word: 0xFE)
        }
        return digest
    }

    // MARK: - Digesting on another thread

    /// While set, ``record(_:host:fields:)`` digests nothing: it numbers the event and
    /// hands it, with its fields collected, to this closure, whose owner digests it
    /// later with ``fold(time:sequence:kind:host:fields:)``, in sequence order (an
    /// ``OrderedOffload`` worker: see `ObservationLog`). The digest is the same as if
    /// every event had been folded at once. Only while no lines and no recent window
    /// are kept.
    package var deferral: ((DeferredTraceEvent) -> Void)? {
        didSet { precondition(deferral == nil || (!keepsEvents && recentWindow == 0), "deferral keeps no events") }
    }

    /// Numbers an event that its recorder folds in later (see ``deferral``).
    @inlinable
    package func reserveSequence() -> UInt64 {
        defer { recorded += 1 }
        return recorded
    }

    /// Folds a numbered event into the digest, as ``record(_:host:fields:)`` would have
    /// at `time`. Events must be folded in sequence order, by one thread at a time, while
    /// nothing else records (every record goes to ``deferral``).
    @inline(__always)
    package func fold(time: SimInstant, sequence: UInt64, kind: String, host: String?,
                      fields: (inout TraceFieldWriter) -> Void) {
        var writer = TraceFieldWriter(digest: headDigest(time: time, sequence: sequence, kind: kind, host: host),
                                      line: nil, collected: nil)
        fields(&writer)
        hash = writer.digest
    }

    /// Folds a deferred event (see ``deferral``) into the digest.
    package func fold(_ event: DeferredTraceEvent) {
        fold(time: event.time, sequence: event.sequence, kind: event.kind, host: event.host) { writer in
            for (key, value) in event.fields { writer.add(key, value) }
        }
    }

    /// The most recent events (at most ``recentWindow``), oldest first.
    public var recentEvents: [TraceEvent] {
        Array(recent[recentHead...] + recent[..<recentHead])
    }

    /// The kept trace as JSON lines, each ending in a newline (empty unless
    /// ``keepsEvents`` was on while recording).
    public func jsonLines() -> String { String(decoding: lines, as: UTF8.self) }

    /// Calls `body` with the kept trace's bytes, without copying them.
    public func withJSONLineBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try lines.withUnsafeBufferPointer(body)
    }
}

/// A trace event numbered but not yet digested (see ``TraceRecorder/deferral``).
package struct DeferredTraceEvent: Sendable {
    package let time: SimInstant
    package let sequence: UInt64
    package let kind: String
    package let host: String?
    package let fields: [(String, TraceValue)]
}

/// Byte-level JSON encoding helpers for the trace and the reports.
package enum JSONBytes {
    /// Appends `string` quoted and escaped, as ``JSONText/appendQuoted(_:to:)`` writes it.
    /// Text with nothing to escape (nearly all: names, keys, kinds) is copied whole.
    package static func appendQuoted(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        let copied = string.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard !utf8.contains(where: needsEscape) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        } ?? false
        if !copied { appendEscaped(string, to: &bytes) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether a UTF-8 code unit is written escaped inside a JSON string.
    @inline(__always)
    private static func needsEscape(_ unit: UInt8) -> Bool {
        unit < 0x20 || unit == UInt8(ascii: "\"") || unit == UInt8(ascii: "\\")
    }

    /// Appends `string`'s code units, escaping those that need it.
    private static func appendEscaped(_ string: String, to bytes: inout [UInt8]) {
        for unit in string.utf8 {
            switch unit {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          hex[Int(unit >> 4)], hex[Int(unit & 0xF)]])
            default: bytes.append(unit)
            }
        }
    }

    /// Appends a decimal integer, as `String(_:)` writes it.
    package static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude, to: &bytes)
    }

    /// Appends `nanoseconds` as seconds with exactly nine decimals.
    static func appendFixedSeconds(_ nanoseconds: Int64, to bytes: inout [UInt8]) {
        if nanoseconds < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = nanoseconds.magnitude
        appendDigits(magnitude / 1_000_000_000, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        var fraction = magnitude % 1_000_000_000
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            for i in stride(from: 8, through: 0, by: -1) {
                raw[i] = UInt8(ascii: "0") + UInt8(fraction % 10)
                fraction /= 10
            }
            bytes.append(contentsOf: raw)
        }
    }

    /// Appends an unsigned decimal integer, as `String(_:)` writes it.
    package static func appendDigits(_ value: UInt64, to bytes: inout [UInt8]) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        let start = bytes.count
        var rest = value
        while rest > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        }
        bytes[start...].reverse()
    }
}

/// Minimal, allocation-light JSON string quoting shared by the trace and reports.
public enum JSONText {
    /// Appends `string` as a quoted, escaped JSON string.
    public static func appendQuoted(_ string: String, to output: inout String) {
        output += "\""
        var needsEscape = false
        for unit in string.utf8 where unit < 0x20 || unit == 0x22 || unit == 0x5C {
            needsEscape = true
            break
        }
        if !needsEscape {
            output += string
        } else {
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": output += "\\\""
                case "\\": output += "\\\\"
                case "\n": output += "\\n"
                case "\r": output += "\\r"
                case "\t": output += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    /// `string` quoted and escaped as a JSON string.
    public static func quoted(_ string: String) -> String {
        var output = ""
        appendQuoted(string, to: &output)
        return output
    }
}
