import Cluster
import SessionRecording
import SimulationKernel
import Verdict

extension MetricsCollector {
    /// The recording metrics of the contract: event classes per mode (from the
    /// integrity check's read-back), bytes, parts and uploads (from auth's
    /// observations), and `upload_throughput`: bytes stored per virtual second
    /// during which at least one part upload was in flight.
    static func collectRecording(_ records: ObservationRecords, check: RecordingCheck?,
                                 into registry: inout MetricsRegistry) {
        guard let check else { return }
        var byMode: [String: (emitted: Int, persisted: Int, pending: Int, lost: Int)] = [:]
        for session in check.report.sessions {
            let mode = check.entries[session.session]?.mode.rawValue ?? "unknown"
            var totals = byMode[mode, default: (0, 0, 0, 0)]
            totals.emitted += session.emitted
            totals.persisted += session.persisted
            totals.pending += session.pending
            totals.lost += session.lost
            byMode[mode] = totals
        }
        for (mode, totals) in byMode.sorted(by: { $0.key < $1.key }) {
            let tags = [("mode", mode)]
            registry.increment("recording_events_emitted", tags: tags, by: Int64(totals.emitted))
            registry.increment("recording_events_persisted", tags: tags, by: Int64(totals.persisted))
            registry.increment("recording_events_pending", tags: tags, by: Int64(totals.pending))
            registry.increment("recording_events_lost", tags: tags, by: Int64(totals.lost))
        }
        var bytes: Int64 = 0
        var parts: Int64 = 0
        var completed: Int64 = 0
        var aborted: Int64 = 0
        var busy = BusyTime()
        for position in records.otherPositions {  // uploads are kept whole
            let record = records[position]
            switch record.observation {
            case .partUploaded(_, let size, let took):
                bytes += Int64(size)
                parts += 1
                busy.add(from: record.time.advanced(by: .zero - took), to: record.time)
            case .uploadFinished(_, let wasCompleted, _):
                if wasCompleted { completed += 1 } else { aborted += 1 }
            default:
                break
            }
        }
        registry.increment("recording_bytes_uploaded", by: bytes)
        registry.increment("upload_parts", by: parts)
        registry.increment("uploads_completed", by: completed)
        registry.increment("uploads_aborted", by: aborted)
        let seconds = busy.total.secondsDouble
        registry.setGauge("upload_throughput", to: seconds > 0 ? Double(bytes) / seconds : 0)
    }
}

/// The union of time intervals, in total length.
struct BusyTime {
    private var intervals: [(start: SimInstant, end: SimInstant)] = []

    /// Adds `[start, end]`; overlapping intervals count once.
    mutating func add(from start: SimInstant, to end: SimInstant) {
        if end > start { intervals.append((start, end)) }
    }

    /// Total length of the union. - Complexity: O(n log n).
    var total: Duration {
        var sum = Duration.zero
        var current: (start: SimInstant, end: SimInstant)?
        for interval in intervals.sorted(by: { $0.start < $1.start }) {
            if let open = current, interval.start <= open.end {
                current = (open.start, Swift.max(open.end, interval.end))
            } else {
                if let open = current { sum += open.start.duration(to: open.end) }
                current = interval
            }
        }
        if let open = current { sum += open.start.duration(to: open.end) }
        return sum
    }
}
