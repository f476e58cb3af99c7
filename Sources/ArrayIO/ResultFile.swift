/// Result files of long runs: whole-file replacement that a crash can never leave half-written.
public enum ResultFile {
    /// Atomically writes `value` as JSON (``ResultJSON``: non-finite numbers as `null`, named in a
    /// top-level `"warnings"` array after the computation's own `warnings`).
    /// - Returns: all the warnings written, for the caller to show.
    @discardableResult
    public static func writeJSON<T: Encodable>(_ value: T, warnings: [String] = [], to path: String) throws -> [String] {
        let json = try ResultJSON(value, warnings: warnings)
        try write(json.text, to: path)
        return json.warnings
    }

    /// Atomically replaces the file at `path` with `text` (UTF-8): readers see the old file or the
    /// new one, never a mixture (temporary file + `fsync` + `rename`).
    public static func write(_ text: String, to path: String) throws {
        try AtomicFile.write(Array(text.utf8), to: path)
    }

    /// Atomically replaces the file at `path` with `bytes`.
    public static func write(bytes: [UInt8], to path: String) throws {
        try AtomicFile.write(bytes, to: path)
    }
}
