/// The observation log's records, oldest first, stored in fixed-size chunks.
///
/// A log of millions of records in one array would double its buffer as it grows,
/// holding the old and the new buffer at once on each growth (1.5× the new size,
/// briefly) and up to half of it unused afterwards. Chunks never move once
/// written, so the log costs its records plus at most one partly filled chunk.
///
/// A random-access collection: iterate, index and slice it like an array.
/// - Complexity: O(1) append (amortized) and subscript.
public struct ObservationRecords: RandomAccessCollection, Sendable, ExpressibleByArrayLiteral {
    /// Records per chunk (a power of two, so indexing is a shift and a mask).
    static let chunkShift = 15
    static let chunkSize = 1 << chunkShift

    private var chunks: [[ObservationRecord]] = []
    public private(set) var endIndex = 0

    /// An empty log.
    public init() {}

    /// The records of `records`, in order.
    public init(_ records: some Sequence<ObservationRecord>) {
        for record in records { append(record) }
    }

    public init(arrayLiteral records: ObservationRecord...) {
        self.init(records)
    }

    public var startIndex: Int { 0 }

    @inline(__always)
    public subscript(position: Int) -> ObservationRecord {
        chunks[position >> Self.chunkShift][position & (Self.chunkSize - 1)]
    }

    /// Appends `record` at the end.
    mutating func append(_ record: ObservationRecord) {
        if endIndex & (Self.chunkSize - 1) == 0 {
            var chunk: [ObservationRecord] = []
            chunk.reserveCapacity(Self.chunkSize)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(record)
        endIndex += 1
    }
}
