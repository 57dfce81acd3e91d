/// Why a storage operation failed.
public struct StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// The storage is down (the `storage_outage` fault); retry later.
        case unavailable = "unavailable"
        /// No such upload (never created, completed, or aborted).
        case uploadNotFound = "upload not found"
        /// No such part in the upload.
        case partNotFound = "part not found"
        /// A part number outside 1…10,000.
        case invalidPartNumber = "invalid part number"
        /// A file-system call failed.
        case io = "i/o error"
        /// Stored data is not what the driver wrote (a bad checkpoint or metadata file).
        case corrupt = "corrupt data"
    }

    /// The kind of failure.
    public let code: Code
    /// What failed, with the path or ids involved.
    public let message: String
    /// The `errno` of a failed system call, if any.
    public let errno: Int32?

    /// An error of kind `code`.
    public init(_ code: Code, _ message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    /// Whether retrying the same operation later may succeed.
    public var isTransient: Bool { code == .unavailable || code == .io }

    public var description: String { "storage: \(code.rawValue): \(message)" }
}
