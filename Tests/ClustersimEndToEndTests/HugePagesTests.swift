import Foundation
import Testing

@testable import clustersim

@Suite("huge pages for the heap: the restart with glibc.malloc.hugetlb=1")
struct HugePagesTests {
    static let madvise = "always [madvise] never\n"

    @Test("a kernel in madvise mode gets the tunable, added to any the user set")
    func restartsInMadviseMode() {
        #expect(HugePages.tunablesForRestart(optOut: nil, tunables: nil, kernelMode: Self.madvise)
                == "glibc.malloc.hugetlb=1")
        #expect(HugePages.tunablesForRestart(optOut: nil, tunables: "", kernelMode: Self.madvise)
                == "glibc.malloc.hugetlb=1")
        #expect(HugePages.tunablesForRestart(optOut: "1", tunables: "glibc.malloc.arena_max=2",
                                             kernelMode: Self.madvise)
                == "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1")
    }

    @Test("no restart when opted out, under Valgrind, when the tunable is already set (no loop), or outside madvise mode")
    func runsOnOtherwise() {
        #expect(HugePages.tunablesForRestart(
            optOut: nil, tunables: nil,
            preload: "/usr/libexec/valgrind/vgpreload_core-amd64-linux.so", kernelMode: Self.madvise) == nil)
        #expect(HugePages.tunablesForRestart(optOut: "0", tunables: nil, kernelMode: Self.madvise) == nil)
        #expect(HugePages.tunablesForRestart(optOut: nil, tunables: "glibc.malloc.hugetlb=1",
                                             kernelMode: Self.madvise) == nil)
        #expect(HugePages.tunablesForRestart(optOut: nil, tunables: "glibc.malloc.hugetlb=0",
                                             kernelMode: Self.madvise) == nil)
        #expect(HugePages.tunablesForRestart(optOut: nil, tunables: nil, kernelMode: "[always] madvise never\n") == nil)
        #expect(HugePages.tunablesForRestart(optOut: nil, tunables: nil, kernelMode: "always madvise [never]\n") == nil)
        #expect(HugePages.tunablesForRestart(optOut: nil, tunables: nil, kernelMode: nil) == nil)
    }

    /// The environment the running `clustersim` process started with, polled from
    /// `/proc` until it names the tunable or the process ends; with it, the process's name.
    func observedStart(environment: [String: String]) throws -> (tunable: Bool, name: String?, status: Int32) {
        let process = BinaryRunner.process(["demo", "--seconds", "300", "--clients", "20", "--quiet-trace"])
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            .filter { $0.key != "GLIBC_TUNABLES" }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let proc = "/proc/\(process.processIdentifier)"
        var sawTunable = false
        var name: String?
        while process.isRunning {
            if let data = FileManager.default.contents(atPath: "\(proc)/environ"),
               String(decoding: data, as: UTF8.self).split(separator: "\0").contains("GLIBC_TUNABLES=glibc.malloc.hugetlb=1") {
                sawTunable = true
                name = (try? String(contentsOfFile: "\(proc)/comm", encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                break
            }
            usleep(1_000)
        }
        process.waitUntilExit()
        return (sawTunable, name, process.terminationStatus)
    }

    @Test("on a kernel in madvise mode the run restarts with the tunable and keeps its name; opted out, it does not")
    func restartObserved() throws {
        let mode = try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)
        let expected = HugePages.tunablesForRestart(optOut: nil, tunables: nil, kernelMode: mode) != nil
        let restarted = try observedStart(environment: [:])
        #expect(restarted.status == 0)
        #expect(restarted.tunable == expected)
        if expected { #expect(restarted.name == "clustersim") }
        let optedOut = try observedStart(environment: ["CLUSTERSIM_HUGEPAGES": "0"])
        #expect(optedOut.status == 0)
        #expect(!optedOut.tunable)
    }

    @Test("a run gives the same report with and without huge pages")
    func sameReport() throws {
        let scenario = RunCommandTests.scenarios.appendingPathComponent("node-crash-restart.yaml").path
        func report(_ environment: [String: String]) throws -> String {
            let result = try BinaryRunner.run(["run", scenario, "--json", "-", "--quiet"], environment: environment)
            #expect(result.status == 0)
            return BinaryRunner.withoutWallTimes(result.standardOutput)
        }
        let with = try report([:])
        #expect(with.contains("\"metrics\""))
        #expect(with == (try report(["CLUSTERSIM_HUGEPAGES": "0"])))
    }
}
