import SessionRecording
import SimulationKernel
import Testing

/// Part boundaries follow compressed sizes, so a run's history depends on the
/// compressor's exact output. These tests pin it, for both ways of compressing:
/// a different ISA-L build, or a CPU on which igzip took another code path,
/// would change histories, and fails here first, with a message that says so.
@Suite("Compression is deterministic")
struct CompressionDeterminismTests {
    /// `prints` print events of 64 KiB of pattern output through `configuration`.
    static func parts(_ configuration: PartWriter.Configuration, prints: Int) -> [RecordingPart] {
        let session = sid("pinned-1")
        var emitter = SessionEventEmitter(sessionID: session)
        let writer = PartWriter(sessionID: session, configuration: configuration)
        var parts: [RecordingPart] = []
        var now = SimInstant.zero
        for _ in 0..<prints {
            for event in emitter.print(byteCount: 64 * 1024, at: now) {
                if case .sealed(let part) = writer.write(event, now: now) { parts.append(part) }
            }
            now = now.advanced(by: .milliseconds(10))
        }
        if let last = writer.finish() { parts.append(last) }
        return parts
    }

    /// Checks `parts` against the pinned shape and digest.
    static func expectPinned(_ parts: [RecordingPart], shape pinnedShape: [String], digest pinnedDigest: UInt64) {
        var digest = StableHash()
        for part in parts { digest.combine(bytes: part.bytes) }
        let shape = parts.map { "\($0.number):\($0.compressedSize)+\($0.paddingSize)@\($0.lastEventIndex)" }
        let message: Comment = """
            igzip's output differs from the pinned one (\(shape), digest \(String(digest.value, radix: 16))): \
            part boundaries, and so run histories, would differ from other machines. Check the ISA-L \
            version (Debian libisal-dev 2.30) and the CPU (x86-64 with SSE4.2 is expected).
            """
        #expect(shape == pinnedShape, message)
        #expect(digest.value == pinnedDigest, message)
    }

    @Test("auth's parts (5 MiB, parallel blocks) are the same, byte for byte, in every process")
    func pinnedBlocks() throws {
        let parts = Self.parts(.auth, prints: 384)
        Self.expectPinned(parts, shape: ["1:5546166+0@355", "2:439469+0@383"], digest: 0xFFD2_1CA0_1813_B4A9)
        #expect(try readBack(parts, session: sid("pinned-1")).count == 384)
    }

    @Test("local parts (128 KiB, streaming) are the same, byte for byte, in every process")
    func pinnedStreaming() throws {
        let parts = Self.parts(.local, prints: 40)
        Self.expectPinned(
            parts, shape: ["1:146779+0@8", "2:147492+0@17", "3:146408+0@26", "4:147021+0@35", "5:65779+0@39"],
            digest: 0xC288_F09F_7803_5B99)
        #expect(try readBack(parts, session: sid("pinned-1")).count == 40)
    }

    @Test("two writers in one process agree")
    func repeatable() {
        #expect(Self.parts(.auth, prints: 384).map(\.bytes) == Self.parts(.auth, prints: 384).map(\.bytes))
        #expect(Self.parts(.local, prints: 40).map(\.bytes) == Self.parts(.local, prints: 40).map(\.bytes))
    }
}
