#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif
public import SimulationKernel

/// Recording storage in real files, in Teleport's local multipart layout.
///
/// ```
/// <root>/multi/<upload id>/.initiated          creation time (virtual ns, text)
/// <root>/multi/<upload id>/<session id>/<N>.part   one file per part, N = 1…10,000
/// <root>/<session id>.tar                      a completed recording: the parts concatenated
/// ```
///
/// **Path safety.** Every path is the root joined with fixed names and
/// ``UploadID`` / ``SessionID`` values, whose alphabet (`A–Z a–z 0–9 - _`)
/// cannot express `..`, `/`, NUL or a leading `.`; nothing read from the
/// directory is used unless it parses as one of those ids or a part name.
/// Temporary files start with `.` and so can never be mistaken for parts or
/// recordings.
///
/// **Atomicity.** A part is written to `.<N>.part.tmp` and renamed into place
/// (readers see the old part or the new one, never half of one). Completion
/// concatenates the parts into `<root>/.<session>.<upload>.tar.tmp`, `fsync`s
/// it, renames it to `<session>.tar` (replacing an earlier recording of the
/// session), `fsync`s the root directory so the rename is durable, and only
/// then removes the upload's folder. Parts themselves are not `fsync`ed:
/// durability is established once, at completion.
public struct FileStorage: RecordingStorage {
    /// The storage directory.
    public let root: String
    public var isOutage = false
    /// Whether completion `fsync`s the recording and the root directory (on by default).
    public var syncOnCompletion = true
    private var random: SeededRandom

    /// Storage in the existing directory `root` (its `multi` folder is created
    /// if needed); upload ids are drawn from `random`.
    public init(root: String, random: SeededRandom = SeededRandom(seed: 1)) throws(StorageError) {
        var trimmed = root
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard POSIXFiles.isDirectory(trimmed) else {
            throw StorageError(.io, "storage directory \(trimmed) does not exist or is not a directory")
        }
        self.root = trimmed
        self.random = random
        try POSIXFiles.makeDirectory(multiPath, allowExisting: true)
    }

    var multiPath: String { root + "/multi" }
    func uploadPath(_ id: UploadID) -> String { multiPath + "/" + id.rawValue }
    func sessionPath(_ upload: Upload) -> String { uploadPath(upload.id) + "/" + upload.session.rawValue }
    func initiatedPath(_ id: UploadID) -> String { uploadPath(id) + "/.initiated" }

    /// The file of part `number` of `upload`.
    public func partPath(_ upload: Upload, number: Int) -> String { sessionPath(upload) + "/\(number).part" }

    /// The file of the completed recording of `session`.
    public func recordingPath(_ session: SessionID) -> String { root + "/" + session.rawValue + ".tar" }

    public mutating func createUpload(session: SessionID, now: SimInstant) throws(StorageError) -> UploadInfo {
        try checkAvailable("create upload")
        var id = UploadID.random(using: &random)
        while POSIXFiles.exists(uploadPath(id)) { id = UploadID.random(using: &random) }
        let upload = Upload(id: id, session: session)
        try POSIXFiles.makeDirectory(uploadPath(id), allowExisting: false)
        let stamp = Array("\(now.nanoseconds)\n".utf8)
        try POSIXFiles.writeFile(initiatedPath(id), stamp, sync: false)
        try POSIXFiles.makeDirectory(sessionPath(upload), allowExisting: false)
        return UploadInfo(upload: upload, initiated: now)
    }

    public mutating func uploadPart(_ upload: Upload, number: Int, bytes: [UInt8]) throws(StorageError) -> PartInfo {
        try checkAvailable("upload part")
        try Self.checkPartNumber(number)
        try requireUpload(upload)
        let temporary = sessionPath(upload) + "/.\(number).part.tmp"
        do throws(StorageError) {
            try POSIXFiles.writeFile(temporary, bytes, sync: false)
            try POSIXFiles.rename(temporary, partPath(upload, number: number))
        } catch {
            try? POSIXFiles.removeFile(temporary)
            throw error
        }
        return PartInfo(number: number, size: bytes.count)
    }

    public func listParts(_ upload: Upload) throws(StorageError) -> [PartInfo] {
        try checkAvailable("list parts")
        return try storedParts(upload)
    }

    public mutating func completeUpload(_ upload: Upload, parts: [PartInfo]) throws(StorageError) -> CompletionOutcome {
        try checkAvailable("complete upload")
        try requireUpload(upload)
        if parts.isEmpty {
            try POSIXFiles.removeTree(uploadPath(upload.id))
            return .aborted
        }
        let numbers = Set(parts.map(\.number)).sorted()
        for number in numbers where POSIXFiles.regularFileSize(partPath(upload, number: number)) == nil {
            throw StorageError(.partNotFound, "part \(number) of \(upload) was never uploaded")
        }
        let temporary = root + "/." + upload.session.rawValue + "." + upload.id.rawValue + ".tar.tmp"
        let size: Int
        do throws(StorageError) {
            size = try concatenate(numbers.map { partPath(upload, number: $0) }, into: temporary)
            try POSIXFiles.rename(temporary, recordingPath(upload.session))
            if syncOnCompletion { try POSIXFiles.syncDirectory(root) }
        } catch {
            try? POSIXFiles.removeFile(temporary)
            throw error
        }
        try POSIXFiles.removeTree(uploadPath(upload.id))
        return .completed(size: size)
    }

    public mutating func abortUpload(_ upload: Upload) throws(StorageError) {
        try checkAvailable("abort upload")
        try requireUpload(upload)
        try POSIXFiles.removeTree(uploadPath(upload.id))
    }

    public func listUploads() throws(StorageError) -> [UploadInfo] {
        try checkAvailable("list uploads")
        var uploads: [UploadInfo] = []
        for name in try POSIXFiles.list(multiPath) {
            guard let id = try? UploadID(name), POSIXFiles.isDirectory(uploadPath(id)) else { continue }
            let sessions = try POSIXFiles.list(uploadPath(id)).compactMap { try? SessionID($0) }
            guard let session = sessions.first(where: { POSIXFiles.isDirectory(uploadPath(id) + "/" + $0.rawValue) })
            else { continue }
            uploads.append(UploadInfo(upload: Upload(id: id, session: session), initiated: try initiated(id)))
        }
        return uploads.sorted { ($0.initiated, $0.upload.id) < ($1.initiated, $1.upload.id) }
    }

    public func completedSessions() throws(StorageError) -> [SessionID] {
        try POSIXFiles.list(root).compactMap { name in
            guard name.hasSuffix(".tar"), let session = try? SessionID(String(name.dropLast(4))),
                POSIXFiles.regularFileSize(root + "/" + name) != nil
            else { return nil }
            return session
        }.sorted()
    }

    public func recording(of session: SessionID) throws(StorageError) -> [UInt8]? {
        try POSIXFiles.readFile(recordingPath(session))
    }

    public func part(_ upload: Upload, number: Int) throws(StorageError) -> [UInt8] {
        try Self.checkPartNumber(number)
        guard let bytes = try POSIXFiles.readFile(partPath(upload, number: number)) else {
            throw StorageError(.partNotFound, "part \(number) of \(upload) does not exist")
        }
        return bytes
    }

    /// Parts on disk, by number (no outage check).
    func storedParts(_ upload: Upload) throws(StorageError) -> [PartInfo] {
        try requireUpload(upload)
        let directory = sessionPath(upload)
        return try POSIXFiles.list(directory).compactMap { name -> PartInfo? in
            guard let number = Self.partNumber(fromFileName: name),
                let size = POSIXFiles.regularFileSize(directory + "/" + name)
            else { return nil }
            return PartInfo(number: number, size: size)
        }.sorted()
    }

    /// `N` for a file named `N.part` with N in 1…10,000 written canonically, else `nil`.
    static func partNumber(fromFileName name: String) -> Int? {
        guard name.hasSuffix(".part") else { return nil }
        let digits = name.dropLast(5)
        guard !digits.isEmpty, digits.count <= 5, digits.first != "0", digits.allSatisfy(\.isASCII),
            let number = Int(digits), (1...PartFormat.maximumPartNumber).contains(number)
        else { return nil }
        return number
    }

    private func requireUpload(_ upload: Upload) throws(StorageError) {
        guard POSIXFiles.isDirectory(sessionPath(upload)) else {
            throw StorageError(.uploadNotFound, "\(upload) does not exist")
        }
    }

    private func initiated(_ id: UploadID) throws(StorageError) -> SimInstant {
        guard let bytes = try POSIXFiles.readFile(initiatedPath(id)) else { return .zero }
        let text = String(decoding: bytes, as: UTF8.self).trimmingSuffixNewlines()
        guard let nanoseconds = Int64(text) else {
            throw StorageError(.corrupt, "\(initiatedPath(id)) does not hold a time")
        }
        return SimInstant(nanoseconds: nanoseconds)
    }

    /// Writes the concatenation of `sources` to `destination`; returns its size.
    private func concatenate(_ sources: [String], into destination: String) throws(StorageError) -> Int {
        let output = try POSIXFiles.open(destination, O_WRONLY | O_CREAT | O_TRUNC)
        defer { close(output) }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        var total = 0
        for source in sources {
            let input = try POSIXFiles.open(source, O_RDONLY)
            defer { close(input) }
            while true {
                let count = try POSIXFiles.readSome(input, into: chunk, path: source)
                if count == 0 { break }
                try POSIXFiles.writeAll(output, UnsafeRawBufferPointer(rebasing: chunk[0..<count]), path: destination)
                total += count
            }
        }
        if syncOnCompletion { try POSIXFiles.sync(output, path: destination) }
        return total
    }
}

extension String {
    fileprivate func trimmingSuffixNewlines() -> String {
        var copy = self
        while copy.hasSuffix("\n") { copy.removeLast() }
        return copy
    }
}

extension FileStorage {
    /// Creates a fresh, empty directory for a run's recordings: `base/name`, or
    /// `base/name-2`, `-3`, … if that exists, so that nothing already there is
    /// ever overwritten. Returns its path.
    public static func makeFreshDirectory(in base: String, named name: String) throws(StorageError) -> String {
        guard POSIXFiles.isDirectory(base) else {
            throw StorageError(.io, "storage directory \(base) does not exist or is not a directory")
        }
        var candidate = base + "/" + name
        var suffix = 1
        while POSIXFiles.exists(candidate) {
            suffix += 1
            candidate = base + "/" + name + "-\(suffix)"
        }
        try POSIXFiles.makeDirectory(candidate, allowExisting: false)
        return candidate
    }

    /// Removes `path` and everything under it, never following symbolic links.
    public static func removeTree(at path: String) throws(StorageError) {
        try POSIXFiles.removeTree(path)
    }
}
