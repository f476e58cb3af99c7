#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Free space for a file about to be written, so that a command can refuse an output larger than the disk before
/// it creates the file (a `.npy` of 10⁹ rollouts would otherwise be created as a 1.6 TB sparse file and fail part
/// way, or fill the disk).
public enum DiskSpace {
    /// Bytes available to an unprivileged user (`statvfs` f_bavail × f_frsize) on the file system that holds the
    /// directory of `path` ("." for a bare file name); nil when it cannot be determined.
    public static func available(forFileAt path: String) -> Int? {
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        var directory = path
        if let slash = path.lastIndex(of: "/") {
            directory = String(path[..<slash])
            if directory.isEmpty { directory = "/" }
        } else {
            directory = "."
        }
        var s = statvfs()
        guard statvfs(directory, &s) == 0 else { return nil }
        let (bytes, o) = Int(s.f_bavail).multipliedReportingOverflow(by: Int(s.f_frsize))
        return o ? Int.max : bytes
        #else
        return nil
        #endif
    }

    /// Throws unless `plan` (the bytes of the file at `path`) fits the free space of its file system. When the free
    /// space cannot be determined only the overflow check is made.
    ///
    /// - Throws: ``ResourceLimitError/overflow(what:formula:)`` or ``ResourceLimitError/exceedsDiskSpace(what:formula:bytes:available:path:)``.
    @discardableResult
    public static func check(_ plan: AllocationPlan, path: String) throws(ResourceLimitError) -> Int {
        let bytes = try plan.bytes()
        if let free = available(forFileAt: path), bytes > free {
            throw .exceedsDiskSpace(what: plan.what, formula: plan.formula, bytes: bytes, available: free, path: path)
        }
        return bytes
    }
}
