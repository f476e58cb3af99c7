import ArgumentParser
import Foundation
import ResourceLimits

/// `--max-memory`, shared by every command that allocates buffers whose size the user's counts set.
///
/// Each such command writes down its allocation plan (``AllocationPlan``: the large buffers as products of its
/// counts, overflow-checked) and checks it against this budget before it allocates anything or creates a file, so
/// an impossible run ends at once with one line ("simulate: 64 rollouts × 1000000000 steps × 2 × 8 bytes = 1.02 TB
/// exceeds the memory budget of 12 GB (--max-memory)") instead of a crash signal or an out-of-memory kill.
/// The default is half the memory available to the process (``MemoryBudget/standard``: physical memory, or the
/// cgroup limit if lower).
struct ResourceOptions: ParsableArguments {
    @Option(name: .customLong("max-memory"),
            help: "Memory budget for the run's large buffers, e.g. 512M, 8G (binary units; default: half of physical memory).")
    var maxMemory: String?

    /// The budget, with "--max-memory" as the hint in its error.
    func budget() throws -> MemoryBudget {
        guard let maxMemory else { return .standard(hint: "--max-memory") }
        do { return MemoryBudget(bytes: try ByteCount.parse(maxMemory), hint: "--max-memory") } catch {
            throw CLIError("--max-memory: \(error)")
        }
    }

    /// Checks that reading the input file at `path` (for `option`) fits the budget: the file's bytes and the
    /// values parsed from them, counted as 2 × the file size (a float64 `.npy` holds as many bytes of values as the
    /// file; CSV text is longer than its values). A missing file passes: the reader reports it.
    func checkInput(_ path: String, option: String) throws {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else { return }
        try check(AllocationPlan(option).adding(.init(2, "copies"), .init(size, "bytes of \(path)")))
    }

    /// Checks `plan` against the budget; the error is one CLI line.
    func check(_ plan: AllocationPlan) throws {
        let budget = try budget()
        do { try budget.check(plan) } catch { throw CLIError("\(error)") }
    }
}

/// A one-line range check of a count option: `name` between `minimum` and `maximum` (default 2⁴⁰, see
/// ``CountLimit/defaultMaximum``).
func requireCount(_ value: Int, _ name: String, atLeast minimum: Int, atMost maximum: Int = CountLimit.defaultMaximum) throws {
    do { try CountLimit.require(value, name, atLeast: minimum, atMost: maximum) } catch { throw CLIError("\(error)") }
}
