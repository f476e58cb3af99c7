/// Replacing files so that a crash, a signal or a full disk never leaves a partial file behind.
///
/// Each file's bytes go to a ``StagedFile`` (a temporary in the destination's directory), which is flushed with
/// `fsync` and `rename(2)`d over the destination, which POSIX makes atomic: readers see either the old file or the
/// complete new one. On failure the temporary is removed and the destination is untouched.
enum AtomicFile {
    /// - Throws: ``ArrayIOError/writeFailed(path:detail:)`` with the system's reason.
    static func write(_ bytes: [UInt8], to path: String) throws {
        try write([(path, bytes)])
    }

    /// Replaces a group of files (the files of one checkpoint) so that they change together as far as a
    /// process can make them: every file is written and flushed under its temporary name first; only then are
    /// they renamed, one after another, with SIGINT/SIGTERM/SIGHUP held back (``InterruptCleanup/deferringInterrupts(_:)``).
    /// An error before the renames leaves every destination as it was; SIGKILL during the renames (a few
    /// microseconds) can leave some files of the new group beside the others of the previous one, each complete.
    /// - Throws: ``ArrayIOError/writeFailed(path:detail:)`` naming the file that failed.
    static func write(_ files: [(path: String, bytes: [UInt8])]) throws {
        var staged: [StagedFile] = []
        defer { for file in staged { file.discard() } }  // no-op for the committed ones
        for (path, bytes) in files {
            let file = try StagedFile(destination: path)
            staged.append(file)
            try bytes.withUnsafeBytes { try file.write($0) }
            try file.seal()
        }
        try InterruptCleanup.deferringInterrupts {
            for file in staged { try file.rename() }
        }
    }
}
