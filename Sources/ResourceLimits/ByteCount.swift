/// Overflow-checked byte arithmetic and human-readable sizes.
///
/// Every allocation size the package plans is a product of counts (rollouts × steps × d × 8 bytes) and a sum of
/// such products. Computed with `Int`'s trapping `*`, a count of 2⁶³ − 1 kills the process with SIGILL before any
/// check can run; computed with `&*`, it wraps to a small (or negative) number and the check passes. Here every
/// product and sum uses `multipliedReportingOverflow`/`addingReportingOverflow` and throws
/// ``ResourceLimitError/overflow(what:formula:)`` instead; a negative factor is refused too, so a result is always
/// a true byte count in 0...Int.max.
public enum ByteCount {
    /// One factor of a byte count: a value and what it counts ("rollouts"; empty for a bare number).
    public struct Factor: Sendable, Equatable, ExpressibleByIntegerLiteral {
        public let value: Int
        public let label: String

        public init(_ value: Int, _ label: String = "") {
            self.value = value
            self.label = label
        }

        public init(integerLiteral value: Int) { self.init(value) }

        /// "64 rollouts", or "8" without a label.
        public var text: String { label.isEmpty ? "\(value)" : "\(value) \(label)" }
    }

    /// Π factors, overflow-checked. `what` names the allocation in the error.
    ///
    /// - Throws: ``ResourceLimitError/overflow(what:formula:)`` when the product exceeds `Int.max`, and
    ///   ``ResourceLimitError/invalidCount(name:value:requirement:)`` for a negative factor.
    public static func product(_ factors: [Factor], what: String = "allocation") throws(ResourceLimitError) -> Int {
        var p = 1
        for f in factors {
            guard f.value >= 0 else {
                throw .invalidCount(name: f.label.isEmpty ? what : f.label, value: f.value, requirement: "≥ 0")
            }
            let (q, o) = p.multipliedReportingOverflow(by: f.value)
            guard !o else { throw .overflow(what: what, formula: formula(factors)) }
            p = q
        }
        return p
    }

    /// Π factors of plain numbers, overflow-checked (see ``product(_:what:)``).
    public static func product(_ factors: Int..., what: String = "allocation") throws(ResourceLimitError) -> Int {
        try product(factors.map { Factor($0) }, what: what)
    }

    /// Σ terms, overflow-checked; every term must be ≥ 0.
    public static func sum(_ terms: [Int], what: String = "allocation") throws(ResourceLimitError) -> Int {
        var s = 0
        for t in terms {
            guard t >= 0 else { throw .invalidCount(name: what, value: t, requirement: "≥ 0") }
            let (u, o) = s.addingReportingOverflow(t)
            guard !o else { throw .overflow(what: what, formula: terms.map { "\($0)" }.joined(separator: " + ") + " bytes") }
            s = u
        }
        return s
    }

    /// "64 rollouts × 1000000000 steps × 2 × 8" (the last factor is usually the element size, labelled "bytes").
    public static func formula(_ factors: [Factor]) -> String { factors.map(\.text).joined(separator: " × ") }

    /// A size for a person, in decimal units (1 KB = 1000 bytes): "512 bytes", "1.5 MB", "12 GB", "1.6 TB";
    /// three significant digits at most.
    public static func format(_ bytes: Int) -> String {
        guard bytes >= 1000 else { return "\(bytes) bytes" }
        let units = ["KB", "MB", "GB", "TB", "PB", "EB"]
        var value = Double(bytes) / 1000
        var unit = 0
        while value >= 999.5, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return "\(threeDigits(value)) \(units[unit])"
    }

    /// 1.23, 12.3, 123 (rounded half away from zero, no trailing zeros after the point).
    static func threeDigits(_ v: Double) -> String {
        let decimals = v < 9.995 ? 2 : (v < 99.95 ? 1 : 0)
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((v * scale).rounded())
        let whole = scaled / Int(scale), fraction = scaled % Int(scale)
        guard decimals > 0, fraction != 0 else { return "\(whole)" }
        var digits = "\(fraction)"
        while digits.count < decimals { digits = "0" + digits }
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }

    /// Reads a size: a whole number of bytes with an optional binary suffix K, M, G, T (×2¹⁰, 2²⁰, 2³⁰, 2⁴⁰;
    /// also KB/KiB etc., any case), e.g. "512M", "8G", "1073741824". At least 1 byte, at most `Int.max`.
    public static func parse(_ text: String) throws(ResourceLimitError) -> Int {
        var s = Substring(text.trimmingSpaces)
        var shift = 0
        let upper = s.uppercased()
        for (suffixes, k) in [(["KIB", "KB", "K"], 10), (["MIB", "MB", "M"], 20), (["GIB", "GB", "G"], 30),
                              (["TIB", "TB", "T"], 40)] {
            if let suffix = suffixes.first(where: { upper.hasSuffix($0) }) {
                s = s.dropLast(suffix.count)
                shift = k
                break
            }
        }
        if shift == 0, upper.hasSuffix("B") { s = s.dropLast() }
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalidSize(text: text, reason: "expected a whole number with an optional suffix K, M, G or T (e.g. 512M, 8G)")
        }
        guard let n = Int(s) else { throw .invalidSize(text: text, reason: "larger than \(Int.max) bytes") }
        let (bytes, o) = n.multipliedReportingOverflow(by: 1 << shift)
        guard !o else { throw .invalidSize(text: text, reason: "larger than \(Int.max) bytes") }
        guard bytes >= 1 else { throw .invalidSize(text: text, reason: "must be at least 1 byte") }
        return bytes
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (no Foundation in this module).
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return s
    }
}
