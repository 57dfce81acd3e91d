public import SimulationKernel

/// A host's persistent storage: what the host writes here survives its crashes.
///
/// Keys are listed in sorted order so that iteration never depends on hashing. They
/// compare by their bytes (``BytewiseString``), as a file system's names do: the disk
/// is written on every rejection (the node's audit outbox).
/// Touched only from the simulation's loop.
public final class SimDisk: @unchecked Sendable {
    @usableFromInline var files: [BytewiseString: any Sendable] = [:]

    public init() {}

    /// Stores `value` under `key`, replacing what was there.
    public func write(_ key: String, _ value: any Sendable) { files[BytewiseString(key)] = value }

    /// The value under `key`, if it has type `T`.
    ///
    /// A value of exactly type `T` comes out by one comparison of type metadata; only
    /// other values (a subclass, a protocol) go through the runtime's general cast.
    /// Inlinable, so that callers get it specialised for `T` (the general form asks the
    /// runtime for the metadata of `T?` on every read).
    @inlinable
    public func read<T>(_ key: String, as type: T.Type = T.self) -> T? {
        guard let value = files[BytewiseString(key)] else { return nil }
        return exactCast(value, to: T.self) ?? value as? T
    }

    /// Removes `key`; returns whether it existed.
    @discardableResult
    public func remove(_ key: String) -> Bool { files.removeValue(forKey: BytewiseString(key)) != nil }

    /// Keys starting with `prefix`, sorted. - Complexity: O(n log n).
    public func keys(withPrefix prefix: String = "") -> [String] {
        files.keys.lazy.map(\.text).filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// The first of ``keys(withPrefix:)``, without listing them.
    /// - Complexity: O(n) comparisons, no allocation.
    public func firstKey(withPrefix prefix: String) -> String? {
        var first: String?
        for key in files.keys.lazy.map(\.text) where key.hasPrefix(prefix) {
            if let current = first, !(key < current) { continue }
            first = key
        }
        return first
    }

    /// Number of stored keys.
    public var count: Int { files.count }
}
