/// The byte layout of recording parts and of the event records inside them.
///
/// A **part** is
///
/// ```
/// | header (24 bytes) | gzip member (compressedSize bytes) | padding (paddingSize zero bytes) |
/// header: magic "CSRP" (4) | version UInt32 = 1 | compressedSize UInt64 | paddingSize UInt64   (big-endian)
/// ```
///
/// modelled on Teleport's proto-stream slices (version, part size, padding
/// size). The padding exists only to bring a non-final part up to the minimum
/// part size; the header says how long it is, so a reader skips it without
/// looking (it is checked to be zeros). A completed recording (`<session>.tar`)
/// is its parts concatenated in part-number order, read with the same loop.
///
/// The gzip member (RFC 1952, one member per part) holds **records**:
///
/// ```
/// | length UInt32 (bytes after this field) | kind UInt8 | 0 0 0 | index Int64 | time Int64 (ns) | body |
/// kind 1 start, 4 resize: body = columns UInt16, rows UInt16
/// kind 2 print (literal), 3 print (pattern): body = the output bytes (≤ 64 KiB)
/// kind 5 end: empty body
/// ```
public enum PartFormat {
    /// `"CSRP"`: clustersim recording part.
    public static let magic: (UInt8, UInt8, UInt8, UInt8) = (0x43, 0x53, 0x52, 0x50)
    /// The only version written and read.
    public static let version: UInt32 = 1
    /// Size of a part header.
    public static let partHeaderSize = 24
    /// Size of a record's fixed fields, `length` included.
    public static let recordHeaderSize = 24
    /// The largest record: header plus 64 KiB of output.
    public static let maximumRecordSize = recordHeaderSize + SessionEvent.maximumPrintBytes
    /// The largest part number a multipart upload accepts (S3's limit).
    public static let maximumPartNumber = 10_000
    /// zlib `windowBits` for a gzip wrapper with a 32 KiB window.
    static let gzipWindowBits: Int32 = 15 + 16

    /// Record kinds.
    enum RecordKind: UInt8 {
        case start = 1
        case printLiteral = 2
        case printPattern = 3
        case resize = 4
        case end = 5
    }

    /// Writes a part header for `compressedSize` and `paddingSize` at `base`.
    static func writePartHeader(to base: UnsafeMutableRawPointer, compressedSize: Int, paddingSize: Int) {
        base.storeBytes(of: magic.0, toByteOffset: 0, as: UInt8.self)
        base.storeBytes(of: magic.1, toByteOffset: 1, as: UInt8.self)
        base.storeBytes(of: magic.2, toByteOffset: 2, as: UInt8.self)
        base.storeBytes(of: magic.3, toByteOffset: 3, as: UInt8.self)
        base.storeBytes(of: version.bigEndian, toByteOffset: 4, as: UInt32.self)
        base.storeBytes(of: UInt64(compressedSize).bigEndian, toByteOffset: 8, as: UInt64.self)
        base.storeBytes(of: UInt64(paddingSize).bigEndian, toByteOffset: 16, as: UInt64.self)
    }

    /// The sizes announced by the part header at the start of `bytes`.
    static func readPartHeader(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(RecordingFormatError)
        -> (compressedSize: Int, paddingSize: Int)
    {
        guard bytes.count - offset >= partHeaderSize else {
            throw RecordingFormatError(.truncated, offset: offset, "part header needs \(partHeaderSize) bytes, \(bytes.count - offset) left")
        }
        guard bytes[offset] == magic.0, bytes[offset + 1] == magic.1, bytes[offset + 2] == magic.2,
            bytes[offset + 3] == magic.3
        else { throw RecordingFormatError(.badMagic, offset: offset, "not a recording part (bad magic)") }
        let foundVersion = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
        guard foundVersion == version else {
            throw RecordingFormatError(.unsupportedVersion, offset: offset, "part format version \(foundVersion) is not supported")
        }
        let compressed = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
        let padding = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
        let remaining = UInt64(bytes.count - offset - partHeaderSize)
        guard compressed <= remaining, padding <= remaining - compressed else {
            throw RecordingFormatError(
                .truncated, offset: offset,
                "part announces \(compressed) compressed + \(padding) padding bytes, \(remaining) left")
        }
        return (Int(compressed), Int(padding))
    }

    /// Writes the fixed fields of a record with a body of `bodySize` bytes at
    /// `base` (`recordHeaderSize` bytes).
    @inline(__always)
    static func writeRecordHeader(
        to base: UnsafeMutableRawPointer, kind: RecordKind, index: Int, timeNanoseconds: Int64, bodySize: Int
    ) {
        base.storeBytes(of: UInt32(recordHeaderSize - 4 + bodySize).bigEndian, toByteOffset: 0, as: UInt32.self)
        base.storeBytes(of: kind.rawValue, toByteOffset: 4, as: UInt8.self)
        base.storeBytes(of: 0 as UInt8, toByteOffset: 5, as: UInt8.self)
        base.storeBytes(of: 0 as UInt16, toByteOffset: 6, as: UInt16.self)
        base.storeBytes(of: Int64(index).bigEndian, toByteOffset: 8, as: Int64.self)
        base.storeBytes(of: timeNanoseconds.bigEndian, toByteOffset: 16, as: Int64.self)
    }
}

/// Why bytes could not be read as recording parts.
public struct RecordingFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Code: String, Sendable, Hashable {
        /// The bytes end before a header or a declared section does.
        case truncated = "truncated"
        /// A part does not start with the magic `CSRP`.
        case badMagic = "bad magic"
        /// A part has a version this build does not read.
        case unsupportedVersion = "unsupported version"
        /// zlib reported an error (corrupt or truncated gzip data).
        case compression = "compression error"
        /// A record is malformed (length, kind, body).
        case badRecord = "bad record"
        /// A pattern print's bytes differ from the session's pattern.
        case corruptPayload = "corrupt payload"
        /// Padding holds non-zero bytes.
        case badPadding = "bad padding"
    }

    /// The kind of problem.
    public let code: Code
    /// Byte offset in the input where it was found (the start of the part for problems inside the gzip data).
    public let offset: Int
    /// What exactly was wrong.
    public let message: String

    /// An error of kind `code` at `offset`.
    public init(_ code: Code, offset: Int, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String { "recording format: \(code.rawValue) at byte \(offset): \(message)" }
}
