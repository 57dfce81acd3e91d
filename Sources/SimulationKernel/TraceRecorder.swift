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
        var line = "{\"t\":" + time.description + ",\"seq\":" + String(sequence) + ",\"kind\":"
        JSONText.appendQuoted(kind, to: &line)
        if let host {
            line += ",\"host\":"
            JSONText.appendQuoted(host, to: &line)
        }
        for (key, value) in fields {
            line += ","
            JSONText.appendQuoted(key, to: &line)
            line += ":"
            switch value {
            case .string(let s): JSONText.appendQuoted(s, to: &line)
            case .int(let i): line += String(i)
            case .double(let d): line += d.isFinite ? String(d) : "null"
            case .bool(let b): line += b ? "true" : "false"
            case .duration(let d): line += d.fixedSeconds
            }
        }
        line += "}"
        return line
    }
}

/// The append-only trace of a simulation and a stable digest of it.
///
/// Every event is folded into a ``StableHash`` of its JSON line as it is recorded,
/// so two runs have the same ``digest`` exactly when their traces are byte-identical.
/// Events are kept in memory only when ``keepsEvents`` is on (for `--trace` and for
/// excerpts); a bounded window of the most recent ones is always kept.
///
/// Thread-safety: touched only by the simulation's loop thread (recording from
/// elsewhere counts as an escape).
public final class TraceRecorder: @unchecked Sendable {
    weak var simulation: Simulation?
    /// Whether every event is kept (else only the recent window).
    public var keepsEvents = false
    /// How many recent events are kept when ``keepsEvents`` is off.
    public var recentWindow = 256

    public private(set) var events: [TraceEvent] = []
    private var recent: [TraceEvent] = []
    private var recentHead = 0
    private var hash = StableHash()
    /// Number of events recorded.
    public private(set) var count: UInt64 = 0

    init() {}

    /// The digest of everything recorded so far, as 16 hex digits.
    public var digest: String { hash.hex }

    /// Appends an event at the current virtual time.
    public func record(_ kind: String, host: String? = nil, _ fields: [(String, TraceValue)] = []) {
        guard let simulation else { return }
        simulation.checkContained()
        let event = TraceEvent(time: simulation.now, sequence: count, kind: kind, host: host, fields: fields)
        count += 1
        var line = event.jsonLine
        line += "\n"
        hash.combine(line)
        if keepsEvents {
            events.append(event)
        } else if recentWindow > 0 {
            if recent.count < recentWindow {
                recent.append(event)
            } else {
                recent[recentHead] = event
                recentHead = (recentHead + 1) % recentWindow
            }
        }
    }

    /// The most recent events, oldest first (all of them when ``keepsEvents`` is on).
    public var recentEvents: [TraceEvent] {
        if keepsEvents { return events }
        return Array(recent[recentHead...] + recent[..<recentHead])
    }

    /// The whole kept trace as JSON lines, each ending in a newline.
    public func jsonLines() -> String {
        var text = ""
        for event in events {
            text += event.jsonLine
            text += "\n"
        }
        return text
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
