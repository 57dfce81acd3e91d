/// Why a key-value backend operation failed.
public struct BackendError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// The key is absent (or its item has expired).
        case notFound = "not found"
        /// `Create` found the key already present.
        case alreadyExists = "already exists"
        /// `CompareAndSwap` found a different revision.
        case compareFailed = "compare failed"
        /// The backend could not be reached or timed out (reported by the actor layer).
        case unavailable = "unavailable"
    }

    /// The kind of failure.
    public let code: Code
    /// The key the operation addressed.
    public let key: String

    /// An error of `code` on `key`.
    public init(_ code: Code, key: String) {
        self.code = code
        self.key = key
    }

    /// `<code>: <key>`.
    public var description: String { "\(code.rawValue): \(key)" }
}

/// The outcome of a backend operation that returns an item.
public typealias BackendResult<Value: Sendable & Hashable> = Result<BackendItem<Value>, BackendError>
