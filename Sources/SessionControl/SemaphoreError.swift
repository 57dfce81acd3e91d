/// Why a semaphore operation on auth did not succeed.
///
/// Codes mirror the errors the real auth service returns. The node tells a
/// *limit exceeded* rejection apart by the marker ``maxLeasesMarker`` in the
/// message (as the real node does), and must not report *too much contention*
/// as a `max_connections` rejection.
public struct SemaphoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// The semaphore already holds `max_leases` live leases.
        case limitExceeded = "limit exceeded"
        /// The request is malformed or refers to an expired lease.
        case badParameter = "bad parameter"
        /// The semaphore or the lease does not exist.
        case notFound = "not found"
        /// A compare-and-swap lost a race (keep-alive and 4.4 cancel return it).
        case compareFailed = "compare failed"
        /// Every attempt lost a race.
        case tooMuchContention = "too much contention"
        /// The backend (or auth) could not be reached or timed out.
        case unavailable = "unavailable"
    }

    /// The marker every *limit exceeded* message carries.
    public static let maxLeasesMarker = "err-max-leases"

    /// The kind of failure.
    public let code: Code
    /// What the message is made of.
    private let detail: Detail

    /// A message, or the parts of a *limit exceeded* one: that message is made only
    /// when read, since a rejected acquire carries it from backend to node, where it is
    /// only tested for the marker.
    private enum Detail: Sendable {
        case text(String)
        case limitExceeded(path: String, leases: Int, maxLeases: Int)
    }

    /// A readable message; for `.limitExceeded` it contains ``maxLeasesMarker``.
    public var message: String {
        switch detail {
        case .text(let text):
            text
        case .limitExceeded(let path, let leases, let maxLeases):
            "\(Self.maxLeasesMarker): semaphore \(path) holds \(leases) of \(maxLeases) leases"
        }
    }

    /// An error with an explicit code and message.
    public init(code: Code, message: String) {
        self.code = code
        detail = .text(message)
    }

    /// The semaphore at `key` already holds `leases` of `maxLeases`.
    public static func limitExceeded(_ key: SemaphoreKey, leases: Int, maxLeases: Int) -> SemaphoreError {
        SemaphoreError(code: .limitExceeded, detail: .limitExceeded(path: key.path, leases: leases, maxLeases: maxLeases))
    }

    private init(code: Code, detail: Detail) {
        self.code = code
        self.detail = detail
    }

    /// A malformed request or an expired lease.
    public static func badParameter(_ message: String) -> SemaphoreError {
        SemaphoreError(code: .badParameter, message: message)
    }

    /// A missing semaphore or lease.
    public static func notFound(_ message: String) -> SemaphoreError {
        SemaphoreError(code: .notFound, message: message)
    }

    /// A lost compare-and-swap on `key`.
    public static func compareFailed(_ key: SemaphoreKey) -> SemaphoreError {
        SemaphoreError(
            code: .compareFailed, message: "semaphore \(key.path) has been concurrently updated, try again")
    }

    /// Every one of `attempts` attempts on `key` lost a race.
    public static func tooMuchContention(_ key: SemaphoreKey, attempts: Int) -> SemaphoreError {
        SemaphoreError(
            code: .tooMuchContention,
            message: "too much contention on semaphore \(key.path) after \(attempts) attempts")
    }

    /// The backend failed for a reason other than a semantic one.
    public static func unavailable(_ message: String) -> SemaphoreError {
        SemaphoreError(code: .unavailable, message: message)
    }

    /// Whether the message carries ``maxLeasesMarker`` — the node's test for a
    /// `max_connections` rejection.
    /// - Complexity: O(n) byte comparisons over the message's UTF-8.
    public var isMaxLeasesExceeded: Bool {
        // A message made by `limitExceeded(_:leases:maxLeases:)` starts with the marker.
        guard case .text(let message) = detail else { return true }
        let marker = Self.maxLeasesMarker.utf8
        let bytes = message.utf8
        var start = bytes.startIndex
        while bytes.distance(from: start, to: bytes.endIndex) >= marker.count {
            if bytes[start...].starts(with: marker) { return true }
            start = bytes.index(after: start)
        }
        return false
    }

    /// `<code>: <message>`.
    public var description: String { "\(code.rawValue): \(message)" }

    /// Equal when code and message are (however the message is stored).
    public static func == (lhs: SemaphoreError, rhs: SemaphoreError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
