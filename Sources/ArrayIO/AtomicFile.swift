#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Replacing a file's contents so that a crash never leaves a partial file behind.
///
/// The bytes are written to a new temporary file in the destination's directory (same file
/// system), flushed with `fsync`, and `rename(2)`d over the destination, which POSIX makes atomic:
/// readers see either the old file or the complete new one. On failure the temporary file is
/// removed and the destination is untouched.
enum AtomicFile {
    /// - Throws: ``ArrayIOError/writeFailed(path:detail:)`` with the system's reason.
    static func write(_ bytes: [UInt8], to path: String) throws {
        guard !path.isEmpty else { throw ArrayIOError.writeFailed(path: path, detail: "empty path") }
        let directory: String, name: Substring
        if let slash = path.lastIndex(of: "/") {
            directory = String(path[...slash])
            name = path[path.index(after: slash)...]
        } else {
            directory = ""
            name = Substring(path)
        }
        guard !name.isEmpty else {
            throw ArrayIOError.writeFailed(path: path, detail: "the path names a directory")
        }
        let suffix = String(UInt64.random(in: .min ... .max), radix: 16)
        let temporary = directory + "." + name + "." + suffix + ".tmp"

        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(path) }
        var done = false
        defer { if !done { unlink(temporary) } }

        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Self.systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                let error = failure(path)
                close(fd)
                throw error
            }
            offset += written
        }
        guard fsync(fd) == 0 else {
            let error = failure(path)
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw failure(path) }
        guard rename(temporary, path) == 0 else { throw failure(path) }
        done = true
    }

    private static func systemWrite(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Darwin)
        return Darwin.write(fd, pointer, count)
        #elseif canImport(Glibc)
        return Glibc.write(fd, pointer, count)
        #else
        return Musl.write(fd, pointer, count)
        #endif
    }

    /// The current `errno` as an error naming `path`.
    private static func failure(_ path: String) -> ArrayIOError {
        .writeFailed(path: path, detail: String(cString: strerror(errno)))
    }
}
