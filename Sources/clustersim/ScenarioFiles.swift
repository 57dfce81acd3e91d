import Scenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loading scenario files for the commands, with the contract's error reporting.
enum ScenarioFiles {
    /// Loads every file; on any error prints every diagnostic of every file to
    /// standard error and throws exit status 2 (nothing runs).
    static func loadAll(_ paths: [String]) throws -> [(path: String, scenario: Scenario)] {
        var loaded: [(String, Scenario)] = []
        var failed = false
        for path in paths {
            do {
                loaded.append((path, try ScenarioLoader.load(path: path)))
            } catch {
                failed = true
                writeStandardError(error.description)
            }
        }
        if failed {
            writeStandardError("clustersim: the scenario could not be used; fix the errors above (nothing was run)")
            throw ExitStatus.badInput
        }
        return loaded
    }
}

/// Whether standard output is a terminal that wants colour (`NO_COLOR` unset).
func standardOutputWantsColour() -> Bool {
    guard isatty(1) == 1 else { return false }
    if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
    if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
    return true
}
