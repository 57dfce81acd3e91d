package import SimulationKernel

/// The observation log's records, oldest first, packed and stored in fixed-size chunks.
///
/// A run at scale logs millions of records, and the log is most of a run's memory, so
/// it is stored compactly:
/// - **Packed records.** The common observations (connections, sessions, acquires and
///   leases) are stored as a ``PackedRecord`` of 40 bytes instead of an
///   ``ObservationRecord`` of 88: user, node and host names and rejection messages are
///   indices into a table of the log's distinct texts, lease ids into a list of them.
///   The rest (crashes, skew, recordings, audit events) are kept whole on the side.
///   Reading a record rebuilds it exactly: `records[i]` is the record appended `i`-th.
/// - **Chunks.** One array of millions would double its buffer as it grows, holding
///   the old and the new buffer at once on each growth and up to half of it unused
///   afterwards. Chunks never move once written, so the log costs its records plus at
///   most one partly filled chunk.
///
/// A random-access collection: iterate, index and slice it like an array.
/// - Complexity: O(1) append (amortized; one hash lookup per distinct-text field) and
///   subscript.
public struct ObservationRecords: RandomAccessCollection, Sendable, ExpressibleByArrayLiteral {
    /// Records per chunk (a power of two, so indexing is a shift and a mask).
    static let chunkShift = 15
    static let chunkSize = 1 << chunkShift

    private var chunks: [[PackedRecord]] = []
    public private(set) var endIndex = 0
    /// Names and messages, each once; a packed record holds their indices.
    private var texts: [String] = []
    /// Each text's index in ``texts``, by its bytes (hashed a word at a time, not by a
    /// SipHash round: the log's worker interns the names of every record).
    private var textIndex: [BytewiseString: UInt32] = [:]
    /// The last text seen per slot, by the bits of its `String` (see ``intern(_:)``).
    private var recentTexts = [RecentText](repeating: RecentText(), count: 1 << RecentText.slotBits)
    /// Lease ids, one entry per record that names one (they are nearly all distinct).
    private var leaseIDs: [String] = []
    /// The observations that have no packed form, in log order.
    private var others: [Observation] = []
    /// The positions of the records of kind ``ObservationRecordKind/other``, in order:
    /// the rare observations, for passes that need only those.
    public private(set) var otherPositions: [Int] = []

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

    /// The record appended `position`-th, rebuilt from its packed form.
    @inline(__always)
    public subscript(position: Int) -> ObservationRecord {
        let packed = packed(at: position)
        return ObservationRecord(time: SimInstant(nanoseconds: packed.time), host: texts[Int(packed.host)],
                                 observation: unpack(packed))
    }

    /// Numbers for the user and node of the record at `position`, equal for equal
    /// names within this log, or nil if the record is not one of a connection's or
    /// session's (attempted, accepted, rejected, terminated, closed, acquired, session
    /// opened or closed). A consumer that groups records by name can key its tables
    /// by these instead of hashing the strings.
    /// - Complexity: O(1).
    public func nameNumbers(at position: Int) -> (user: Int, node: Int)? {
        let packed = packed(at: position)
        switch packed.kind {
        case .attempted, .accepted, .rejected, .terminated, .closed, .acquireCompleted, .sessionOpened, .sessionClosed:
            return (Int(packed.user), Int(packed.node))
        case .leaseGranted, .leaseExtended, .leaseRemoved, .other:
            return nil
        }
    }

    /// What the record at `position` is, without rebuilding it: passes that need a few
    /// kinds of record skip the others for the price of a byte's read.
    /// - Complexity: O(1).
    @inline(__always)
    public func kind(at position: Int) -> ObservationRecordKind {
        packed(at: position).kind
    }

    /// The reason of the connection rejection at `position`, if it is one, without
    /// rebuilding the record. - Complexity: O(1).
    public func rejectionReason(at position: Int) -> ConnectionRejection? {
        let packed = packed(at: position)
        return packed.kind == .rejected ? Self.rejections[Int(packed.flags)] : nil
    }

    /// The number of records of `kind`, read from their packed kinds alone (for sizing a
    /// table before a pass fills it). - Complexity: O(n) byte reads.
    public func count(of kind: ObservationRecordKind) -> Int {
        var count = 0
        for position in indices where self.kind(at: position) == kind { count += 1 }
        return count
    }

    /// Calls `body` with each record whose kind is one of `kinds`, in order, from position
    /// `start` on, rebuilding only those: the others are skipped on their packed kind alone.
    /// - Complexity: O(n) byte reads, plus the records rebuilt.
    public func forEach(ofKinds kinds: [ObservationRecordKind], from start: Int = 0,
                        _ body: (ObservationRecord) throws -> Void) rethrows {
        let wanted = kinds.reduce(0 as UInt32) { $0 | 1 << $1.rawValue }
        for position in start..<endIndex where wanted & 1 << kind(at: position).rawValue != 0 {
            try body(self[position])
        }
    }

    /// Calls `body` with the time and observation of each record kept whole (kind
    /// ``ObservationRecordKind/other``), in order, borrowing each where it lies: a pass
    /// looking for one rare kind (clock skews) reads each without copying its strings.
    /// - Complexity: O(number of such records).
    package func forEachOther(_ body: (SimInstant, borrowing Observation) -> Void) {
        for position in otherPositions { withOther(at: position, body) }
    }

    /// Calls `body` with the time and observation of the record at `position`, the
    /// observation borrowed where it lies, if the record is kept whole (kind
    /// ``ObservationRecordKind/other``); nil otherwise. - Complexity: O(1).
    @discardableResult
    package func withOther<Result>(at position: Int, _ body: (SimInstant, borrowing Observation) -> Result) -> Result? {
        let packed = packed(at: position)
        guard packed.kind == .other else { return nil }
        return body(SimInstant(nanoseconds: packed.time), others[Int(packed.value)])
    }

    /// The packed form of the record at `position`.
    @inline(__always)
    private func packed(at position: Int) -> PackedRecord {
        chunks[position >> Self.chunkShift][position & (Self.chunkSize - 1)]
    }

    /// Appends `record` at the end.
    mutating func append(_ record: ObservationRecord) {
        if endIndex & (Self.chunkSize - 1) == 0 {
            var chunk: [PackedRecord] = []
            chunk.reserveCapacity(Self.chunkSize)
            chunks.append(chunk)
        }
        let packed = pack(record)
        chunks[chunks.count - 1].append(packed)
        endIndex += 1
    }

    /// The index of `text` in the text table, adding it if new.
    ///
    /// Names repeat in nearly every record, so a small direct-mapped cache keyed by the
    /// two words of the `String` value (for names of up to 15 bytes, the bytes
    /// themselves) answers most lookups without hashing the text. A hit is confirmed
    /// by comparing the text, so a stale entry can only cost a dictionary lookup.
    @inline(__always)
    private mutating func intern(_ text: String) -> UInt32 {
        let bits = unsafeBitCast(text, to: (UInt64, UInt64).self)
        let slot = RecentText.slot(bits)
        let recent = recentTexts[slot]
        if recent.low == bits.0, recent.high == bits.1, recent.index != .max, texts[Int(recent.index)] == text {
            return recent.index
        }
        let index: UInt32
        if let known = textIndex[BytewiseString(text)] {
            index = known
        } else {
            index = UInt32(texts.count)
            texts.append(text)
            textIndex[BytewiseString(text)] = index
        }
        recentTexts[slot] = RecentText(low: bits.0, high: bits.1, index: index)
        return index
    }

    /// The index of `leaseID` in the lease-id list (appended: ids are not shared).
    private mutating func store(leaseID: String) -> UInt64 {
        leaseIDs.append(leaseID)
        return UInt64(leaseIDs.count - 1)
    }
}

/// An entry of the log's cache of recently interned texts.
struct RecentText: Sendable {
    static let slotBits = 10

    var low: UInt64 = 0
    var high: UInt64 = 0
    /// The text's index, or `.max` for an empty entry.
    var index: UInt32 = .max

    /// The slot of the `String` whose two words are `bits`.
    @inline(__always)
    static func slot(_ bits: (UInt64, UInt64)) -> Int {
        Int(truncatingIfNeeded: ((bits.0 ^ bits.1) &* 0x9E37_79B9_7F4A_7C15) >> (64 - slotBits))
    }
}

/// What a log record is, as far as its packed form tells without rebuilding it: the
/// common observations one by one, and the rest (kept whole) as ``other``.
public enum ObservationRecordKind: UInt8, Sendable {
    case attempted, accepted, rejected, terminated, closed, acquireCompleted
    case sessionOpened, sessionClosed, leaseGranted, leaseExtended, leaseRemoved
    /// Any other observation (crashes, restarts, skew, audit events, session
    /// rejections, deletions, recordings, outages): kept whole, `value` is its index there.
    case other
}

/// One log record in packed form: names are indices into the log's text table.
///
/// Which fields mean what depends on `kind` (see `ObservationRecords.pack`); unused
/// fields are zero. 40 bytes.
struct PackedRecord: Sendable {
    typealias Kind = ObservationRecordKind

    /// Virtual time, in nanoseconds.
    var time: Int64
    /// The connection id, or a lease id's index.
    var word: UInt64 = 0
    /// A number: limit, latency or expiry in nanoseconds, channel, text or side index.
    var value: Int64 = 0
    /// The user's text index.
    var user: UInt32 = 0
    /// The node's (or a lease holder's) text index.
    var node: UInt32 = 0
    /// The recording host's text index.
    var host: UInt32
    var kind: Kind
    /// Flags or a reason's position among its enum's cases.
    var flags: UInt8 = 0
}

extension ObservationRecords {
    /// Flag of `accepted`: the connection holds a semaphore lease.
    private static let controlledFlag: UInt8 = 1
    /// Flag of `accepted`: `value` is the user's connection limit.
    private static let limitFlag: UInt8 = 2

    private mutating func pack(_ record: ObservationRecord) -> PackedRecord {
        var packed = PackedRecord(time: record.time.nanoseconds, host: intern(record.host), kind: .other)
        switch record.observation {
        case .connectionAttempted(let id, let user, let node):
            packed.set(.attempted, id, user: intern(user), node: intern(node))
        case .connectionAccepted(let id, let user, let node, let controlled, let limit):
            packed.set(.accepted, id, user: intern(user), node: intern(node))
            packed.flags = (controlled ? Self.controlledFlag : 0) | (limit != nil ? Self.limitFlag : 0)
            packed.value = Int64(limit ?? 0)
        case .connectionRejected(let id, let user, let node, let reason, let message):
            packed.set(.rejected, id, user: intern(user), node: intern(node))
            packed.flags = Self.position(of: reason)
            packed.value = Int64(intern(message))
        case .connectionTerminated(let id, let user, let node, let reason):
            packed.set(.terminated, id, user: intern(user), node: intern(node))
            packed.flags = Self.position(of: reason)
        case .connectionClosed(let id, let user, let node):
            packed.set(.closed, id, user: intern(user), node: intern(node))
        case .acquireCompleted(let id, let user, let node, let latency):
            guard let nanoseconds = latency.exactNanoseconds else { break }
            packed.set(.acquireCompleted, id, user: intern(user), node: intern(node))
            packed.value = nanoseconds
        case .sessionOpened(let id, let channel, let user, let node):
            packed.set(.sessionOpened, id, user: intern(user), node: intern(node))
            packed.value = Int64(channel)
        case .sessionClosed(let id, let channel, let user, let node):
            packed.set(.sessionClosed, id, user: intern(user), node: intern(node))
            packed.value = Int64(channel)
        case .leaseGranted(let user, let leaseID, let holder, let expires):
            packed.kind = .leaseGranted
            packed.user = intern(user)
            packed.node = intern(holder)
            packed.word = store(leaseID: leaseID)
            packed.value = expires.nanoseconds
        case .leaseExtended(let user, let leaseID, let expires):
            packed.kind = .leaseExtended
            packed.user = intern(user)
            packed.word = store(leaseID: leaseID)
            packed.value = expires.nanoseconds
        case .leaseRemoved(let user, let leaseID, let expired):
            packed.kind = .leaseRemoved
            packed.user = intern(user)
            packed.word = store(leaseID: leaseID)
            packed.flags = expired ? 1 : 0
        default:
            break
        }
        if packed.kind == .other {
            packed.value = Int64(others.count)
            others.append(record.observation)
            otherPositions.append(endIndex)
        }
        return packed
    }

    @inline(__always)
    private func unpack(_ packed: PackedRecord) -> Observation {
        let id = ConnectionID(packed.word)
        switch packed.kind {
        case .attempted:
            return .connectionAttempted(id, user: texts[Int(packed.user)], node: texts[Int(packed.node)])
        case .accepted:
            return .connectionAccepted(
                id, user: texts[Int(packed.user)], node: texts[Int(packed.node)],
                controlled: packed.flags & Self.controlledFlag != 0,
                limit: packed.flags & Self.limitFlag != 0 ? Int(packed.value) : nil)
        case .rejected:
            return .connectionRejected(
                id, user: texts[Int(packed.user)], node: texts[Int(packed.node)],
                reason: Self.rejections[Int(packed.flags)], message: texts[Int(packed.value)])
        case .terminated:
            return .connectionTerminated(id, user: texts[Int(packed.user)], node: texts[Int(packed.node)],
                                         reason: Self.terminations[Int(packed.flags)])
        case .closed:
            return .connectionClosed(id, user: texts[Int(packed.user)], node: texts[Int(packed.node)])
        case .acquireCompleted:
            return .acquireCompleted(id, user: texts[Int(packed.user)], node: texts[Int(packed.node)],
                                     latency: .nanoseconds(packed.value))
        case .sessionOpened:
            return .sessionOpened(id, channel: UInt32(packed.value), user: texts[Int(packed.user)],
                                  node: texts[Int(packed.node)])
        case .sessionClosed:
            return .sessionClosed(id, channel: UInt32(packed.value), user: texts[Int(packed.user)],
                                  node: texts[Int(packed.node)])
        case .leaseGranted:
            return .leaseGranted(user: texts[Int(packed.user)], leaseID: leaseIDs[Int(packed.word)],
                                 holder: texts[Int(packed.node)], expires: SimInstant(nanoseconds: packed.value))
        case .leaseExtended:
            return .leaseExtended(user: texts[Int(packed.user)], leaseID: leaseIDs[Int(packed.word)],
                                  expires: SimInstant(nanoseconds: packed.value))
        case .leaseRemoved:
            return .leaseRemoved(user: texts[Int(packed.user)], leaseID: leaseIDs[Int(packed.word)],
                                 expired: packed.flags != 0)
        case .other:
            return others[Int(packed.value)]
        }
    }

    private static let rejections = Array(ConnectionRejection.allCases)
    private static let terminations = Array(ConnectionTermination.allCases)

    /// The position of `reason` among the cases (they are few: it fits a byte).
    private static func position(of reason: ConnectionRejection) -> UInt8 {
        UInt8(rejections.firstIndex(of: reason)!)
    }

    /// The position of `reason` among the cases (they are few: it fits a byte).
    private static func position(of reason: ConnectionTermination) -> UInt8 {
        UInt8(terminations.firstIndex(of: reason)!)
    }
}

extension PackedRecord {
    @inline(__always)
    fileprivate mutating func set(_ kind: Kind, _ id: ConnectionID, user: UInt32, node: UInt32) {
        self.kind = kind
        word = id.raw
        self.user = user
        self.node = node
    }
}

extension Duration {
    /// This duration in whole nanoseconds, if it is exactly that and fits 64 bits.
    fileprivate var exactNanoseconds: Int64? {
        let (seconds, attoseconds) = components
        guard attoseconds % 1_000_000_000 == 0 else { return nil }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        let (sum, overflowed) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflowed ? nil : sum
    }
}
