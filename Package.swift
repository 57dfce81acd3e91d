// swift-tools-version: 6.1
import PackageDescription
import class Foundation.ProcessInfo

/// Strict, warning-free Swift 6 everywhere.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let environment = ProcessInfo.processInfo.environment

/// The allocator linked into the executable on Linux (README, "Allocator"): the
/// system's (glibc's malloc) by default. `CLUSTERSIM_ALLOCATOR=mimalloc` links mimalloc
/// (Debian `libmimalloc-dev`) and `CLUSTERSIM_ALLOCATOR=jemalloc` (or the older
/// `CLUSTERSIM_JEMALLOC=1`) jemalloc, to repeat the comparison; `scripts/setup.sh`
/// installs what the choice needs. mimalloc runs 6 % fewer instructions in the
/// simulation but only about 1 % less wall time, so it is not worth a dependency.
let allocator = environment["CLUSTERSIM_ALLOCATOR"] ?? (environment["CLUSTERSIM_JEMALLOC"] == "1" ? "jemalloc" : "system")
let allocatorLinkage: [LinkerSetting] = allocator == "system" ? [] : [.linkedLibrary(allocator, .when(platforms: [.linux]))]

var package = Package(
    name: "clustersim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "clustersim", targets: ["clustersim"]),
        .library(name: "SimulationKernel", targets: ["SimulationKernel"]),
        .library(name: "SimulatedNetwork", targets: ["SimulatedNetwork"]),
        .library(name: "SessionControl", targets: ["SessionControl"]),
        .library(name: "Scenario", targets: ["Scenario"]),
        .library(name: "Cluster", targets: ["Cluster"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(name: "SimulationKernel", swiftSettings: strictSettings),
        .target(name: "SimulatedNetwork", dependencies: ["SimulationKernel"], swiftSettings: strictSettings),
        .target(name: "Cluster", dependencies: ["SimulationKernel", "SimulatedNetwork", "SessionControl", "SessionRecording"], swiftSettings: strictSettings),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CISAL", providers: [.apt(["libisal-dev"])]),
        .target(name: "SessionRecording", dependencies: ["SimulationKernel", "CZlib", "CISAL"], swiftSettings: strictSettings),
        .target(name: "HTMLReport", dependencies: ["Runner", "Verdict", "Cluster", "Scenario", "SimulationKernel"],
                swiftSettings: strictSettings),
        .target(
            name: "Verdict",
            dependencies: ["Scenario", "SimulationKernel"],
            swiftSettings: strictSettings),
        .target(
            name: "Runner",
            dependencies: ["Cluster", "Scenario", "Verdict", "SimulationKernel", "SimulatedNetwork", "SessionControl", "SessionRecording"],
            swiftSettings: strictSettings),
        .target(name: "SessionControl", dependencies: ["SimulationKernel"], swiftSettings: strictSettings),
        .target(name: "Scenario", dependencies: [.product(name: "Yams", package: "Yams")], swiftSettings: strictSettings),
        .executableTarget(
            name: "clustersim",
            dependencies: [
                "SimulationKernel", "SimulatedNetwork", "Cluster", "Runner", "Scenario", "Verdict", "HTMLReport", "SessionRecording",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings,
            linkerSettings: allocatorLinkage
        ),
        .testTarget(name: "SimulationKernelTests", dependencies: ["SimulationKernel"], swiftSettings: strictSettings),
        .testTarget(name: "SimulatedNetworkTests", dependencies: ["SimulatedNetwork"], swiftSettings: strictSettings),
        .testTarget(name: "SessionRecordingTests", dependencies: ["SessionRecording"], swiftSettings: strictSettings),
        .testTarget(name: "HTMLReportTests", dependencies: ["HTMLReport"], swiftSettings: strictSettings),
        .testTarget(name: "VerdictTests", dependencies: ["Verdict"], swiftSettings: strictSettings),
        .testTarget(name: "RunnerTests", dependencies: ["Runner"], swiftSettings: strictSettings),
        .testTarget(name: "ClusterTests", dependencies: ["Cluster", "SessionRecording"], swiftSettings: strictSettings),
        .testTarget(name: "SessionControlTests", dependencies: ["SessionControl"], swiftSettings: strictSettings),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario"], exclude: ["Fixtures"], swiftSettings: strictSettings),
        .testTarget(name: "ClustersimEndToEndTests", dependencies: ["clustersim"], swiftSettings: strictSettings),
    ]
)

// The benchmark suite (ordo-one/benchmark, formerly package-benchmark) builds slowly,
// so it is only part of the package when CLUSTERSIM_BENCHMARKS=1 (see README,
// "Performance", and docs/BENCHMARKS.md).
if environment["CLUSTERSIM_BENCHMARKS"] == "1" {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"])
    )
    // What every suite shares: the smoke switch and the allocation-gate tolerances.
    package.targets.append(
        .target(
            name: "BenchmarkSupport",
            dependencies: [.product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/BenchmarkSupport",
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    )
    /// A suite in `Benchmarks/NAME`, run by the benchmark plugin.
    func suite(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
        .executableTarget(
            name: name,
            dependencies: [.product(name: "Benchmark", package: "benchmark"), "BenchmarkSupport"] + dependencies,
            path: "Benchmarks/\(name)",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    }
    package.targets += [
        suite("KernelBenchmarks", ["SimulationKernel", "SimulatedNetwork", "Cluster"]),
        suite("LimiterBenchmarks", ["SessionControl", "SimulationKernel"]),
        suite("RecordingBenchmarks", ["SessionRecording", "SimulationKernel"]),
        suite("ScenarioBenchmarks", ["Runner", "Scenario"]),
    ]
}
