import ArgumentParser
import Cluster
import SimulationKernel

/// `clustersim demo`: the built-in network workload with every fault kind.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the built-in network demo: clients calling servers through every kind of fault."
    )

    @Option(help: "Root seed of the run.")
    var seed: UInt64 = 1

    @Option(help: "Number of client hosts.")
    var clients: Int = 50

    @Option(help: "Number of server hosts.")
    var servers: Int = 5

    @Option(help: "Virtual seconds of workload.")
    var seconds: Int = 600

    @Flag(help: "Schedule jobs first-in first-out instead of by seeded random choice.")
    var fifo = false

    @Flag(help: "Run without faults.")
    var noFaults = false

    @Flag(help: "Do not record individual messages in the trace (throughput runs).")
    var quietTrace = false

    @Option(help: "Write the trace as JSON lines to this file ('-' for standard output).")
    var trace: String?

    func validate() throws {
        guard clients >= 1 else { throw ValidationError("--clients must be at least 1") }
        guard servers >= 1 else { throw ValidationError("--servers must be at least 1") }
        guard seconds >= 1 else { throw ValidationError("--seconds must be at least 1") }
    }

    func run() throws {
        var configuration = NetworkDemo.Configuration()
        configuration.seed = seed
        configuration.clients = clients
        configuration.servers = servers
        configuration.duration = .seconds(seconds)
        configuration.faults = !noFaults
        configuration.policy = fifo ? .fifo : .random
        configuration.keepsTrace = trace != nil
        configuration.tracesMessages = !quietTrace
        let demo = NetworkDemo(configuration)
        let start = ContinuousClock.now
        let summary = demo.run()
        let wall = (ContinuousClock.now - start).secondsDouble

        if let trace {
            do {
                try OutputFile.write(demo.simulation.trace.jsonLines(), to: trace)
            } catch {
                writeStandardError("error: \(error)")
                throw ExitStatus.badInput
            }
        }
        let out: (String) -> Void = trace == "-" ? { writeStandardError($0) } : { print($0) }
        out("clustersim demo: seed \(seed), \(clients) clients, \(servers) servers, \(seconds)s virtual, "
            + "faults \(noFaults ? "off" : "on"), \(fifo ? "fifo" : "random") scheduling")
        out("  calls:        \(summary.repliesReceived) answered, \(summary.timeouts) timed out, \(summary.otherFailures) failed otherwise")
        out("  messages:     \(summary.network.sent) sent, \(summary.network.delivered) delivered, "
            + "\(summary.network.dropped) dropped, \(summary.network.held) held")
        out("  kernel:       \(summary.kernel.jobsRun) jobs, \(summary.kernel.timersFired) timers, "
            + "\(summary.kernel.foreignEnqueues) foreign enqueues, \(summary.kernel.escapes) escapes")
        out("  run:          \(summary.outcome)")
        out("  trace:        \(summary.traceEvents) events, digest \(summary.traceDigest)")
        let rate = wall > 0 ? Double(summary.kernel.jobsRun) / wall : 0
        out("  wall time:    \(formatFixed(wall, 3)) s (\(formatFixed(rate / 1e6, 2))M jobs/s, "
            + "\(formatFixed(summary.outcome.time.seconds / max(wall, 1e-9), 0))x real time)")
        out("  contained:    \(summary.kernel.isContained ? "yes" : "NO — simulated code ran outside the simulation")")
        if !summary.kernel.isContained { throw ExitStatus.failure }
    }
}

/// `value` with exactly `digits` decimals.
func formatFixed(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if digits == 0 { text = String(text[..<dot]) } else if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    }
    return text
}
