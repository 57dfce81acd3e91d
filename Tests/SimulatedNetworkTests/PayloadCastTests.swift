import SimulatedNetwork
import Testing

@Suite("Payloads by exact type")
struct PayloadCastTests {
    struct Ping: NetworkPayload { let text: String }
    struct Pong: NetworkPayload { let text: String }
    struct Large: NetworkPayload { let words: (Int, Int, Int, Int, Int); let text: String }

    @Test("a payload comes back as its own type, whole, and as no other")
    func exactType() {
        let long = String(repeating: "x", count: 100)  // heap-allocated: the copy must retain it
        let payloads: [any NetworkPayload] = [Ping(text: long), Pong(text: "pong"), Large(words: (1, 2, 3, 4, 5), text: long)]
        #expect(payloads[0].exactly(Ping.self)?.text == long)
        #expect(payloads[0].exactly(Pong.self) == nil)
        #expect(payloads[1].exactly(Pong.self)?.text == "pong")
        #expect(payloads[1].exactly(Ping.self) == nil)
        let large = payloads[2].exactly(Large.self)
        #expect(large?.words.4 == 5)
        #expect(large?.text == long)
        #expect(payloads[2].exactly(Ping.self) == nil)
        for payload in payloads {
            #expect((payload.exactly(Ping.self) != nil) == (payload is Ping))
        }
    }
}
