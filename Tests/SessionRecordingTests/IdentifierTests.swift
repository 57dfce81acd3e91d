import SessionRecording
import SimulationKernel
import Testing

@Suite("Safe identifiers")
struct IdentifierTests {
    @Test("accepts the safe alphabet up to 128 characters")
    func accepts() throws {
        #expect(try SessionID("node-1_s42").rawValue == "node-1_s42")
        #expect(try SessionID(String(repeating: "a", count: 128)).rawValue.count == 128)
        #expect(try UploadID("ABCdef-0123_x").description == "ABCdef-0123_x")
    }

    @Test(
        "refuses anything that could escape the storage directory",
        arguments: ["", ".", "..", "../x", "a/b", "/etc", "a\u{0}b", "a b", "é", ".hidden", "x.tar", "a\\b", "~"])
    func refusesUnsafe(_ raw: String) {
        #expect(throws: IdentifierError.self) { try SessionID(raw) }
        #expect(throws: IdentifierError.self) { try UploadID(raw) }
    }

    @Test("refuses ids longer than 128 characters")
    func refusesLong() {
        #expect(throws: IdentifierError(kind: "session id", value: String(repeating: "a", count: 129), problem: .tooLong(129))) {
            try SessionID(String(repeating: "a", count: 129))
        }
    }

    @Test("errors say what is wrong, readably")
    func descriptions() {
        do {
            _ = try SessionID("../etc")
            Issue.record("accepted ../etc")
        } catch {
            #expect(error.description == #"invalid session id "../etc": byte 0x2E at offset 0 is not allowed (allowed: A-Z a-z 0-9 - _)"#)
        }
        do {
            _ = try UploadID("")
            Issue.record("accepted an empty id")
        } catch {
            #expect(error.description.contains("it is empty"))
        }
        do {
            _ = try SessionID("a\u{0}b")
            Issue.record("accepted NUL")
        } catch {
            #expect(error.problem == .forbiddenByte(0, offset: 1))
        }
    }

    @Test("random upload ids are valid and reproducible")
    func randomUploadIDs() throws {
        var a = SeededRandom(seed: 7)
        var b = SeededRandom(seed: 7)
        let first = UploadID.random(using: &a)
        #expect(first == UploadID.random(using: &b))
        #expect(first.rawValue.count == 32)
        #expect(try UploadID(first.rawValue) == first)
        #expect(UploadID.random(using: &a) != first)
    }
}
