#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// The few POSIX file operations the file driver needs, with errors as
/// ``StorageError`` naming the call, the path and `errno`.
///
/// Every path handed in is built by ``FileStorage`` from its root and
/// validated identifiers; nothing here interprets user input.
enum POSIXFiles {
    /// The error for a failed `call` on `path`, from the current `errno`.
    static func failure(_ call: String, _ path: String, errno code: Int32 = errno) -> StorageError {
        let reason = String(cString: strerror(code))
        return StorageError(.io, "\(call) \(path): \(reason) (errno \(code))", errno: code)
    }

    /// Whether `path` exists (any kind of file; symbolic links are not followed).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Whether `path` is a directory (not following symbolic links).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The size of the regular file at `path`, or `nil` if there is none.
    static func regularFileSize(_ path: String) -> Int? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// Creates the directory `path`; an existing directory is fine if `allowExisting`.
    static func makeDirectory(_ path: String, allowExisting: Bool) throws(StorageError) {
        if mkdir(path, 0o755) == 0 { return }
        let code = errno
        if code == EEXIST && allowExisting && isDirectory(path) { return }
        throw failure("mkdir", path, errno: code)
    }

    /// The names in directory `path` except `.` and `..`, sorted.
    static func list(_ path: String) throws(StorageError) -> [String] {
        guard let directory = opendir(path) else { throw failure("opendir", path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Opens `path` with `flags` (and mode 0644 when creating).
    static func open(_ path: String, _ flags: Int32) throws(StorageError) -> Int32 {
        let descriptor = path.withCString { systemOpen($0, flags | O_CLOEXEC, 0o644) }
        if descriptor < 0 { throw failure("open", path) }
        return descriptor
    }

    /// Writes all of `bytes` to `descriptor`.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(StorageError) {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = write(descriptor, pointer, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("write", path)
            }
            pointer += written
            remaining -= written
        }
    }

    /// Reads up to `buffer.count` bytes; 0 at end of file.
    static func readSome(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws(StorageError) -> Int {
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw failure("read", path) }
        }
    }

    /// Flushes `descriptor` to stable storage.
    static func sync(_ descriptor: Int32, path: String) throws(StorageError) {
        if fsync(descriptor) != 0 { throw failure("fsync", path) }
    }

    /// Flushes the directory `path` itself (makes a rename in it durable).
    static func syncDirectory(_ path: String) throws(StorageError) {
        let descriptor = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(descriptor) }
        try sync(descriptor, path: path)
    }

    /// Creates or truncates `path` and writes `bytes` to it.
    static func writeFile(_ path: String, _ bytes: UnsafeRawBufferPointer, sync shouldSync: Bool) throws(StorageError) {
        let descriptor = try open(path, O_WRONLY | O_CREAT | O_TRUNC)
        defer { close(descriptor) }
        try writeAll(descriptor, bytes, path: path)
        if shouldSync { try sync(descriptor, path: path) }
    }

    /// Creates or truncates `path` and writes `bytes` to it.
    static func writeFile(_ path: String, _ bytes: [UInt8], sync shouldSync: Bool) throws(StorageError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(StorageError) in try writeFile(path, raw, sync: shouldSync) }
        }
        try result.get()
    }

    /// The whole content of the regular file `path`; `nil` if it does not exist.
    static func readFile(_ path: String) throws(StorageError) -> [UInt8]? {
        let descriptor: Int32
        do {
            descriptor = try open(path, O_RDONLY)
        } catch {
            if error.errno == ENOENT { return nil }
            throw error
        }
        defer { close(descriptor) }
        var info = stat()
        if fstat(descriptor, &info) != 0 { throw failure("fstat", path) }
        let size = Int(info.st_size)
        var failed: StorageError?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var offset = 0
            while offset < size {
                do throws(StorageError) {
                    let count = try readSome(
                        descriptor, into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[offset...]),
                        path: path)
                    if count == 0 { break }
                    offset += count
                } catch {
                    failed = error
                    break
                }
            }
            initialized = offset
        }
        if let failed { throw failed }
        return bytes
    }

    /// Renames `source` to `destination` atomically (replacing it).
    static func rename(_ source: String, _ destination: String) throws(StorageError) {
        if systemRename(source, destination) != 0 { throw failure("rename", "\(source) -> \(destination)") }
    }

    /// Removes the file `path`; a missing file is fine.
    static func removeFile(_ path: String) throws(StorageError) {
        if unlink(path) != 0 && errno != ENOENT { throw failure("unlink", path) }
    }

    /// Removes `path` and everything under it, never following symbolic links.
    static func removeTree(_ path: String) throws(StorageError) {
        if isDirectory(path) {
            for name in try list(path) { try removeTree(path + "/" + name) }
            if rmdir(path) != 0 && errno != ENOENT { throw failure("rmdir", path) }
        } else {
            try removeFile(path)
        }
    }
}

private func systemOpen(_ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: mode_t) -> Int32 {
    open(path, flags, mode)
}

private func systemRename(_ source: String, _ destination: String) -> Int32 {
    rename(source, destination)
}
