import SessionRecording
import SimulationKernel
import Testing

/// Part boundaries follow compressed sizes, so a run's history depends on the
/// compressor's exact output. These tests pin it: a different ISA-L build, or a
/// CPU on which igzip took another code path, would change histories, and fails
/// here first, with a message that says so.
@Suite("Compression is deterministic")
struct CompressionDeterminismTests {
    /// 24 MiB of pattern output through auth's slicing (5 MiB parts, igzip level 1).
    static func authParts() -> [RecordingPart] {
        let session = sid("pinned-1")
        var emitter = SessionEventEmitter(sessionID: session)
        let writer = PartWriter(sessionID: session, configuration: .auth)
        var parts: [RecordingPart] = []
        var now = SimInstant.zero
        for _ in 0..<384 {
            for event in emitter.print(byteCount: 64 * 1024, at: now) {
                if case .sealed(let part) = writer.write(event, now: now) { parts.append(part) }
            }
            now = now.advanced(by: .milliseconds(10))
        }
        if let last = writer.finish() { parts.append(last) }
        return parts
    }

    @Test("the same events give the same parts, byte for byte, in every process")
    func pinnedBytes() throws {
        let parts = Self.authParts()
        var digest = StableHash()
        for part in parts { digest.combine(bytes: part.bytes) }
        let shape = parts.map { "\($0.number):\($0.compressedSize)+\($0.paddingSize)@\($0.lastEventIndex)" }
        let message: Comment = """
            igzip's output differs from the pinned one (\(shape), digest \(String(digest.value, radix: 16))): \
            part boundaries, and so run histories, would differ from other machines. Check the ISA-L \
            version (Debian libisal-dev 2.30) and the CPU (x86-64 with SSE4.2 is expected).
            """
        #expect(shape == ["1:5253881+0@335", "2:745390+0@383"], message)
        #expect(digest.value == UInt64(0xA63A_22C0_93AB_C587), message)
        // The parts still read back to the events written.
        #expect(try readBack(parts, session: sid("pinned-1")).count == 384)
    }

    @Test("two writers in one process agree")
    func repeatable() {
        #expect(Self.authParts().map(\.bytes) == Self.authParts().map(\.bytes))
    }
}
