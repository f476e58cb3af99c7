import Foundation

/// The size of a pass's working buffers, checked before they are allocated (issue 12 item 3): a count taken from
/// a file or an option (context length, batch size, text length) must never reach an allocation that overflows or
/// cannot fit.
enum WorkingMemory {
    /// Σ over `terms` of the product of each term's factors, as Float32 values (4 bytes each), with overflow checks;
    /// throws `invalidArgument` naming `what` and the size when it overflows or exceeds the physical memory.
    static func check(_ what: String, floats terms: [[Int]]) throws {
        var total = 0
        var overflow = false
        for factors in terms {
            var product = 1
            for f in factors {
                let (p, o) = product.multipliedReportingOverflow(by: max(f, 0))
                overflow = overflow || o
                product = p
            }
            let (s, o) = total.addingReportingOverflow(product)
            overflow = overflow || o
            total = s
        }
        let (bytes, o) = total.multipliedReportingOverflow(by: MemoryLayout<Float>.size)
        let physical = ProcessInfo.processInfo.physicalMemory
        guard !overflow, !o, UInt64(bytes) <= physical else {
            let size = overflow || o ? "more than 2^63 bytes" : "\(bytes) bytes"
            throw LanguageModelError.invalidArgument("\(what) would need \(size), more than the physical memory (\(physical) bytes)")
        }
    }
}
