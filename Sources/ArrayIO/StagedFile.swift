#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A file being written under a temporary name beside its destination, renamed over the destination only
/// when it is complete.
///
/// `init(destination:)` creates `.<name>.<random>.tmp` in the destination's directory (same file system, so the
/// rename is atomic) with `O_EXCL`, registers it with ``InterruptCleanup`` and keeps it open as ``descriptor``.
/// ``commit()`` flushes it (`fsync`), closes it and `rename(2)`s it over the destination, which POSIX makes
/// atomic: a reader, or a process killed at any instant, sees the previous file or the complete new one, never a
/// mixture or a prefix. ``discard()``, an error in ``commit()``, or releasing the object without a commit removes
/// the temporary and leaves the destination untouched.
///
/// Atomic here means "against the death of the process" (signal, error, full disk): the data are flushed before
/// the rename, but the directory is not, so after a power failure the destination may still hold the previous
/// file (never a partial one on a journaling file system).
public final class StagedFile: @unchecked Sendable {
    /// Where the file goes on ``commit()``.
    public let destination: String
    /// The temporary name it has until then.
    public let temporaryPath: String
    /// Open read-write on ``temporaryPath``; -1 after ``commit()`` or ``discard()``.
    public private(set) var descriptor: Int32

    private let lock = NSLock()
    private let cleanupSlot: Int?
    private var finished = false

    /// Creates the empty temporary file for `destination`.
    /// - Throws: ``ArrayIOError/writeFailed(path:detail:)`` (naming `destination`) for an empty path, a path
    ///   that names a directory, or when the directory does not exist or is not writable.
    public init(destination: String) throws {
        let temporary = try Self.temporaryPath(for: destination)
        var status = stat()
        if stat(destination, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            throw ArrayIOError.writeFailed(path: destination, detail: "the path names a directory")
        }
        self.destination = destination
        temporaryPath = temporary
        // Registered before it exists, so that no instant has the file on disk but unknown to the handler.
        cleanupSlot = InterruptCleanup.registerFile(temporary)
        descriptor = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let error = Self.failure(destination)
            InterruptCleanup.unregisterFile(cleanupSlot)
            throw error
        }
    }

    deinit { discard() }

    /// `.<name>.<random 64-bit hex>.tmp` in the directory of `path`.
    /// - Throws: ``ArrayIOError/writeFailed(path:detail:)`` for an empty path or one ending in `/`.
    public static func temporaryPath(for path: String) throws -> String {
        guard !path.isEmpty else { throw ArrayIOError.writeFailed(path: path, detail: "empty path") }
        let directory: String, name: Substring
        if let slash = path.lastIndex(of: "/") {
            directory = String(path[...slash])
            name = path[path.index(after: slash)...]
        } else {
            directory = ""
            name = Substring(path)
        }
        guard !name.isEmpty else { throw ArrayIOError.writeFailed(path: path, detail: "the path names a directory") }
        return directory + "." + name + "." + String(UInt64.random(in: .min ... .max), radix: 16) + ".tmp"
    }

    /// Writes all of `bytes` at the current offset of ``descriptor`` (restarting after EINTR).
    /// - Throws: ``ArrayIOError/writeFailed(path:detail:)`` with the system's reason (ENOSPC, EFBIG, EIO, …).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = systemWrite(descriptor, base + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.failure(destination)
            }
            done += n
        }
    }

    /// Flushes, closes and renames the temporary over ``destination``. On failure the temporary is removed.
    public func commit() throws {
        try finish { try rename() }
    }

    /// Flushes and closes the temporary without renaming it yet; ``rename()`` completes the commit. Used to write
    /// every file of a group before renaming any (see ``AtomicFile/write(_:)``).
    func seal() throws {
        lock.lock(); defer { lock.unlock() }
        guard descriptor >= 0 else { return }
        let fd = descriptor
        descriptor = -1
        if fsync(fd) != 0 {
            let error = Self.failure(destination)
            systemClose(fd)
            throw error
        }
        if systemClose(fd) != 0 { throw Self.failure(destination) }
    }

    /// Renames the sealed temporary over the destination.
    func rename() throws {
        try seal()
        lock.lock(); defer { lock.unlock() }
        guard !finished else { throw ArrayIOError.writeFailed(path: destination, detail: "the file was already committed or discarded") }
        guard systemRename(temporaryPath, destination) == 0 else { throw Self.failure(destination) }
        finished = true
        InterruptCleanup.unregisterFile(cleanupSlot)
    }

    /// Removes the temporary (if it was not committed). Harmless to call twice or after ``commit()``.
    public func discard() {
        lock.lock(); defer { lock.unlock() }
        if descriptor >= 0 { systemClose(descriptor); descriptor = -1 }
        guard !finished else { return }
        finished = true
        unlink(temporaryPath)
        InterruptCleanup.unregisterFile(cleanupSlot)
    }

    /// Runs `body`; on error removes the temporary and rethrows.
    private func finish(_ body: () throws -> Void) throws {
        do { try body() } catch {
            discard()
            throw error
        }
    }

    /// The current `errno` as an error naming `path`.
    static func failure(_ path: String) -> ArrayIOError {
        .writeFailed(path: path, detail: String(cString: strerror(errno)))
    }
}

/// `close(2)` (the name is taken by methods called `close()` inside types).
@discardableResult
func systemClose(_ fd: Int32) -> Int32 {
    #if canImport(Darwin)
    return Darwin.close(fd)
    #elseif canImport(Glibc)
    return Glibc.close(fd)
    #else
    return Musl.close(fd)
    #endif
}

/// `write(2)`.
func systemWrite(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    return Darwin.write(fd, pointer, count)
    #elseif canImport(Glibc)
    return Glibc.write(fd, pointer, count)
    #else
    return Musl.write(fd, pointer, count)
    #endif
}

/// `rename(2)`.
func systemRename(_ from: String, _ to: String) -> Int32 {
    #if canImport(Darwin)
    return Darwin.rename(from, to)
    #elseif canImport(Glibc)
    return Glibc.rename(from, to)
    #else
    return Musl.rename(from, to)
    #endif
}
