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
    /// new one, never a mixture (temporary file + `fsync` + `rename`, see ``StagedFile``).
    public static func write(_ text: String, to path: String) throws {
        try AtomicFile.write(Array(text.utf8), to: path)
    }

    /// Atomically replaces the file at `path` with `bytes`.
    public static func write(bytes: [UInt8], to path: String) throws {
        try AtomicFile.write(bytes, to: path)
    }

    /// Replaces a group of files together (the files of one checkpoint): all are written and flushed under
    /// temporary names before any is renamed, and the renames run with interrupts held back, so an error or a
    /// SIGINT leaves the previous complete group (see ``AtomicFile/write(_:)``).
    public static func write(files: [(path: String, text: String)]) throws {
        try AtomicFile.write(files.map { ($0.path, Array($0.text.utf8)) })
    }
}
