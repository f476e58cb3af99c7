/// Result files of long runs: whole-file replacement that a crash can never leave half-written.
public enum ResultFile {
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
