#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How many bytes a run may plan to allocate.
///
/// The default is ``defaultFraction`` (one half) of the memory available to the process: physical memory from
/// `sysconf(_SC_PHYS_PAGES) × sysconf(_SC_PAGESIZE)`, lowered to the cgroup v2 limit
/// (`/sys/fs/cgroup/memory.max`) where one is set, so that a container's limit counts rather than the host's.
/// Why one half: a plan counts only the buffers that grow with the user's counts (``AllocationPlan``), not the
/// fixed workspaces, the Swift runtime, OpenBLAS's buffers or result arrays; and the machine keeps running other
/// processes and its page cache. A plan at half of memory runs; one at twice memory would be killed by the
/// kernel (SIGKILL, no message) or swap for hours. A user who knows better raises it (`--max-memory 100G` in the
/// CLI, ``init(bytes:hint:)`` in code).
public struct MemoryBudget: Sendable, Equatable {
    /// The budget in bytes (≥ 1).
    public let bytes: Int
    /// What raises the budget, named in the error (e.g. "--max-memory"); empty for none.
    public let hint: String

    /// The fraction of available memory that ``init(physicalMemory:hint:)`` and ``standard`` grant: 1/2.
    public static let defaultFraction = 0.5

    /// A budget of exactly `bytes` (clamped to ≥ 1).
    public init(bytes: Int, hint: String = "") {
        self.bytes = max(1, bytes)
        self.hint = hint
    }

    /// ``defaultFraction`` of `physicalMemory` bytes (injected in tests; ``availableMemory`` in a run).
    public init(physicalMemory: Int, hint: String = "") {
        self.init(bytes: Int(Double(max(1, physicalMemory)) * Self.defaultFraction), hint: hint)
    }

    /// The default budget of this machine: ``defaultFraction`` of ``availableMemory``.
    public static var standard: MemoryBudget { MemoryBudget(physicalMemory: availableMemory) }

    /// The default budget with `hint` as the setting that raises it.
    public static func standard(hint: String) -> MemoryBudget { MemoryBudget(physicalMemory: availableMemory, hint: hint) }

    /// No limit beyond overflow (`Int.max` bytes): for callers that check elsewhere.
    public static let unlimited = MemoryBudget(bytes: Int.max)

    /// Memory available to this process in bytes: physical memory, or the cgroup v2 limit if lower.
    /// Falls back to 8 GiB when the system reports neither. Measured once per process (``measureAvailableMemory()``):
    /// a budget check is on the path of every call of the C ABI, and each measurement costs two system calls
    /// (`sysinfo`, `openat` of the cgroup file): cached, a raw 2 × 2 `pt_ou` call from Python went from 78 to 37 µs
    /// and `pt_asymmetry` from 10.4 to 3.6 µs (best of 7 × 3000 calls, 2026-12-04).
    public static let availableMemory: Int = measureAvailableMemory()

    /// Physical memory, or the cgroup v2 limit if lower, read now (8 GiB when the system reports neither).
    public static func measureAvailableMemory() -> Int {
        var physical = 0
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        if pages > 0, size > 0 {
            let (p, o) = Int(pages).multipliedReportingOverflow(by: Int(size))
            physical = o ? Int.max : p
        }
        #endif
        if let limit = cgroupLimit(), limit > 0 { physical = physical > 0 ? min(physical, limit) : limit }
        return physical > 0 ? physical : 8 << 30
    }

    /// The cgroup v2 memory limit of this process's cgroup (`memory.max`), or nil when unlimited ("max") or unreadable.
    static func cgroupLimit() -> Int? {
        #if canImport(Glibc) || canImport(Musl)
        guard let file = fopen("/sys/fs/cgroup/memory.max", "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 64)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return Int(text.trimmingSpaces.filter { $0 != "\n" })
        #else
        return nil
        #endif
    }

    /// Throws unless `bytes` (what `what` will allocate) fits the budget.
    ///
    /// - Throws: ``ResourceLimitError/exceedsBudget(what:formula:bytes:budget:hint:)``.
    public func check(bytes: Int, what: String) throws(ResourceLimitError) {
        guard bytes <= self.bytes else {
            throw .exceedsBudget(what: what, formula: "", bytes: bytes, budget: self.bytes, hint: hint)
        }
    }

    /// Computes the plan's byte count (overflow-checked) and throws unless it fits the budget; returns the bytes.
    ///
    /// - Throws: ``ResourceLimitError/overflow(what:formula:)`` or
    ///   ``ResourceLimitError/exceedsBudget(what:formula:bytes:budget:hint:)`` naming the plan's formula.
    @discardableResult
    public func check(_ plan: AllocationPlan) throws(ResourceLimitError) -> Int {
        let total = try plan.bytes()
        guard total <= bytes else {
            throw .exceedsBudget(what: plan.what, formula: plan.formula, bytes: total, budget: bytes, hint: hint)
        }
        return total
    }
}
