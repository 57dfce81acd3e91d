#if canImport(Glibc)
import Glibc
#endif

/// Transparent huge pages for the heap, on Linux with glibc: the process starts itself
/// again with glibc's `glibc.malloc.hugetlb=1` tunable when the kernel gives huge pages
/// only to memory that asks for them (`madvise`, the usual default).
///
/// A simulation touches its state all over a heap of a few hundred megabytes (2,000
/// users' connections, links, timers and leases), so with 4 KiB pages most messages
/// miss the TLB as well as the caches. With 2 MiB pages the peer scenario's simulation
/// ran about 4 % faster (43 paired runs; docs/PERFORMANCE-HISTORY.md, session 16), for
/// about 7 MB more peak memory. Nothing the run computes depends on where
/// memory lies, so reports and traces are byte-identical either way.
///
/// glibc reads its tunables only at startup, hence the new image rather than a call.
/// The start is skipped when:
/// - `CLUSTERSIM_HUGEPAGES=0` is set (the opt-out);
/// - `GLIBC_TUNABLES` already names `glibc.malloc.hugetlb` (the user's choice, or the
///   start already happened: it cannot loop);
/// - the process runs under Valgrind (`LD_PRELOAD` names its `vgpreload` libraries),
///   which does not follow an `exec` by default: the tools would measure nothing;
/// - the kernel's mode is not `madvise` (`always` gives huge pages anyway, `never` none),
///   or cannot be read;
/// - the executable cannot be started again (then the run goes on as it is).
enum HugePages {
    /// The environment variable that turns the start off (`0`).
    static let optOutVariable = "CLUSTERSIM_HUGEPAGES"
    /// The glibc tunable that makes malloc ask for transparent huge pages (glibc 2.35 on).
    static let tunable = "glibc.malloc.hugetlb=1"

    /// Starts the process again with huge pages for the heap, if that helps; returns
    /// only when it does not (or the start failed). Call first thing in `main`.
    static func startWithHugePagesIfUseful() {
        #if os(Linux) && canImport(Glibc)
        let tunables = environment("GLIBC_TUNABLES")
        guard let restart = tunablesForRestart(
            optOut: environment(optOutVariable), tunables: tunables, preload: environment("LD_PRELOAD"),
            kernelMode: kernelMode())
        else { return }
        guard setenv("GLIBC_TUNABLES", restart, 1) == 0 else { return }
        // The resolved path, not `/proc/self/exe` itself, so the process keeps its name
        // (`ps`, `top` and `pkill clustersim` go by the file executed).
        execv(executablePath() ?? "/proc/self/exe", CommandLine.unsafeArgv)
        // Still here: the start failed. Leave the environment as it was and run on.
        if let tunables { setenv("GLIBC_TUNABLES", tunables, 1) } else { unsetenv("GLIBC_TUNABLES") }
        #endif
    }

    /// The `GLIBC_TUNABLES` to start again with, or nil to run on as is.
    ///
    /// - Parameters:
    ///   - optOut: the value of ``optOutVariable``, if set.
    ///   - tunables: the current `GLIBC_TUNABLES`, if set.
    ///   - preload: the current `LD_PRELOAD`, if set.
    ///   - kernelMode: the first line of `/sys/kernel/mm/transparent_hugepage/enabled`
    ///     (`always [madvise] never`: the selected mode is bracketed), if readable; read
    ///     only when the environment leaves the decision to it (not again after the start).
    static func tunablesForRestart(optOut: String?, tunables: String?, preload: String? = nil,
                                   kernelMode: @autoclosure () -> String?) -> String? {
        if optOut == "0" { return nil }
        if let preload, preload.contains("vgpreload") { return nil }
        if let tunables, tunables.contains("glibc.malloc.hugetlb") { return nil }
        guard let mode = kernelMode(), mode.contains("[madvise]") else { return nil }
        guard let tunables, !tunables.isEmpty else { return tunable }
        return "\(tunables):\(tunable)"
    }

    #if os(Linux) && canImport(Glibc)
    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The path of the running executable, from `/proc/self/exe`.
    private static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// The kernel's transparent huge page modes, with the selected one bracketed.
    private static func kernelMode() -> String? {
        guard let file = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 128)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
    #endif
}
