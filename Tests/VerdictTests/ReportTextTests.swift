import Testing
import Verdict

@Suite("Text summary")
struct ReportTextTests {
    /// `text` without ANSI escape sequences.
    func stripped(_ text: String) -> String {
        var output = ""
        var inEscape = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if scalar == "m" { inEscape = false }
            } else if scalar == "\u{1B}" {
                inEscape = true
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    static let failingText = """
        scenario: max-connections-basic  seed: 1  build: release  clustersim 0.1.0
        virtual time: 900s  wall time: 0.41s

        expectations
          PASS  connections_rejected{user:alice,reason:max_connections} == 3  (measured 3)
          FAIL  acquire_latency p(99) < 3ms  (measured 0.004s)
          FAIL  lease_expiry_lag max <= 2m  (no observations)

        invariants
          PASS  limiter-safety
          FAIL  lease-bounded  (1 violation)
                at 12.5s  hosts: auth-1, node-1  users: alice
                lease "l-1" still live 3m after its connection ended
                  {"t":12.000000000,"seq":7,"kind":"conn.close"}

        FAILED: 2 of 3 expectations failed, 1 of 2 invariants failed
        reproduce with: clustersim run max.yaml --seed 1

        """

    @Test("a failing run, without colour")
    func failingPlain() {
        let text = ReportFixtures.failing.renderText(colour: false)
        #expect(text == Self.failingText)
        #expect(!text.unicodeScalars.contains("\u{1B}"))
    }

    @Test("a failing run, with colour: the same text plus ANSI codes")
    func failingColour() {
        let text = ReportFixtures.failing.renderText(colour: true)
        #expect(text.contains("\u{1B}[32mPASS\u{1B}[0m"))
        #expect(text.contains("\u{1B}[1;31mFAIL\u{1B}[0m"))
        #expect(text.contains("\u{1B}[1;31mFAILED\u{1B}[0m: "))
        #expect(text.contains("\u{1B}[1mexpectations\u{1B}[0m"))
        #expect(stripped(text) == Self.failingText)
    }

    @Test("the reproduce command given as a parameter wins; a passing run prints none")
    func reproduceLine() {
        let text = ReportFixtures.failing.renderText(reproduceCommand: "clustersim run other.yaml --seed 9")
        #expect(text.hasSuffix("reproduce with: clustersim run other.yaml --seed 9\n"))
        let passing = ReportFixtures.passing.renderText(reproduceCommand: "clustersim run quiet.yaml --seed 42")
        #expect(!passing.contains("reproduce"))
    }

    @Test("a passing run, with and without wall time")
    func passing() {
        let text = ReportFixtures.passing.renderText()
        #expect(text == """
            scenario: quiet  seed: 42
            virtual time: 60.25s  wall time: 0.012s

            expectations
              (none)

            invariants
              PASS  limiter-safety
              PASS  no-escape

            PASSED: 0 expectations and 2 invariants held

            """)
        let comparable = ReportFixtures.passing.renderText(showWallTime: false)
        #expect(comparable.hasPrefix("scenario: quiet  seed: 42\nvirtual time: 60.25s\n\n"))
        let coloured = ReportFixtures.passing.renderText(colour: true)
        #expect(coloured.contains("\u{1B}[32mPASSED\u{1B}[0m: 0 expectations"))
        #expect(stripped(coloured) == text)
    }

    @Test("measured values are shown in their unit")
    func units() {
        let report = Report(
            scenario: "u", seed: 1, virtualSeconds: 1, wallSeconds: 0, metrics: [],
            expectations: [
                ExpectationResult(metric: "recording_bytes_uploaded", condition: ">= 5MiB", value: .real(5_242_880), passed: true, unit: .bytes),
                ExpectationResult(metric: "upload_throughput", condition: ">= 1MiB/s", value: .real(10_240), passed: false, unit: .bytesPerSecond),
                ExpectationResult(metric: "lease_release_lag", condition: "avg < 1s", value: .real(0.25), passed: true, unit: .seconds),
                ExpectationResult(metric: "concurrent_connections_peak", condition: "<= 2", value: .real(2), passed: true),
            ],
            invariants: [])
        let text = report.renderText(showWallTime: false)
        #expect(text.contains("recording_bytes_uploaded >= 5MiB  (measured 5MiB)"))
        #expect(text.contains("upload_throughput >= 1MiB/s  (measured 10KiB/s)"))
        #expect(text.contains("lease_release_lag avg < 1s  (measured 0.25s)"))
        #expect(text.contains("concurrent_connections_peak <= 2  (measured 2)"))
        #expect(text.contains("FAILED: 1 of 4 expectations failed\n"))
    }
}
