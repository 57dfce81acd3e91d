/// The backend key of a semaphore: `semaphores/<kind>/<name>`.
///
/// Session control uses one kind, `connection`, named after the user:
/// `semaphores/connection/<username>`.
public struct SemaphoreKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The kinds of semaphore the cluster keeps.
    public enum Kind: String, Sendable, Hashable {
        /// Per-user connection counting (`max_connections`).
        case connection
    }

    /// The semaphore's kind.
    public let kind: Kind
    /// The semaphore's name (the username for `connection`); may be empty, which
    /// every operation rejects as a bad parameter.
    public let name: String

    /// The key of `kind`/`name`.
    public init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
        // Its bytes copied into one new string: appending or interpolating costs
        // several times as much, on every semaphore request a node makes.
        let prefix = kind == .connection ? Self.connectionPrefix : Array("semaphores/\(kind.rawValue)/".utf8)
        var name = name
        path = name.withUTF8 { nameBytes in
            String(unsafeUninitializedCapacity: prefix.count + nameBytes.count) { buffer in
                let middle = buffer.initialize(fromContentsOf: prefix)
                let end = UnsafeMutableBufferPointer(rebasing: buffer[middle...]).initialize(fromContentsOf: nameBytes)
                return middle + end
            }
        }
    }

    /// The UTF-8 bytes of a connection semaphore's path before the user name.
    private static let connectionPrefix = Array("semaphores/connection/".utf8)

    /// The connection semaphore of `username`.
    public static func connection(_ username: String) -> SemaphoreKey {
        SemaphoreKey(kind: .connection, name: username)
    }

    /// The backend path, `semaphores/<kind>/<name>`. (Stored: every backend operation
    /// names it, and formatting it each time cost an allocation per operation.)
    public let path: String

    public var description: String { path }

    public static func < (lhs: SemaphoreKey, rhs: SemaphoreKey) -> Bool { lhs.path < rhs.path }
}
