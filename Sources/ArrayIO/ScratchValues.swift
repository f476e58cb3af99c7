#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A temporary file of float64 values, appended in order and then mapped: the values of an input parsed in one
/// streaming pass (a CSV file of trajectories) live on disk, not in memory, and are read back in place like a
/// mapped `.npy` file.
///
/// The file is created beside the input (a hidden `.<name>.<random>.values`, so that it lands on the input's
/// disk, not on a memory-backed `/tmp`), or in the temporary directory when that folder is not writable. It is
/// registered with ``InterruptCleanup`` (SIGINT/SIGTERM remove it), removed on every error and when the object is
/// released, and unlinked as soon as it is mapped (the mapping keeps its pages; nothing is left behind).
/// Appends go through a 512 KiB buffer.
public final class ScratchValues {
    /// Values appended so far.
    public private(set) var count = 0
    let path: String
    var descriptor: Int32
    var pending: [Double] = []
    var cleanupSlot: Int?
    static let bufferValues = 1 << 16

    /// Creates the file beside `input` (or in the temporary directory).
    /// - Throws: ``ArrayIOError/unreadableFile(path:detail:)`` when no scratch file can be created.
    public init(near input: String) throws {
        let folder = (input as NSString).deletingLastPathComponent
        let name = "." + (input as NSString).lastPathComponent + ".\(UInt64.random(in: 0...UInt64.max) & 0xFFFF_FFFF).values"
        var candidates = [(folder.isEmpty ? "." : folder) + "/" + name]
        candidates.append((NSTemporaryDirectory() as NSString).appendingPathComponent(name))
        for candidate in candidates {
            let fd = open(candidate, O_RDWR | O_CREAT | O_EXCL, 0o600)
            if fd >= 0 {
                path = candidate
                descriptor = fd
                cleanupSlot = InterruptCleanup.registerFile(candidate)
                pending.reserveCapacity(Self.bufferValues)
                return
            }
        }
        throw ArrayIOError.unreadableFile(path: input, detail: "cannot create a scratch file for its values beside it or in "
                                          + NSTemporaryDirectory() + ": " + String(cString: strerror(errno)))
    }

    /// Appends `values` (written when the buffer fills).
    public func append(_ values: UnsafeBufferPointer<Double>) throws {
        pending.append(contentsOf: values)
        count += values.count
        if pending.count >= Self.bufferValues { try flush() }
    }

    func flush() throws {
        try pending.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                guard n > 0 else {
                    throw ArrayIOError.unreadableFile(path: path, detail: "cannot write the scratch file: " + String(cString: strerror(errno)))
                }
                offset += n
            }
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered, maps the file and unlinks it: the values, read in place, kept alive by the mapping.
    public func map() throws -> (file: MappedFile, values: UnsafeBufferPointer<Double>) {
        try flush()
        close(descriptor)
        descriptor = -1
        defer { remove() }
        let file = try MappedFile(path: path)
        let values = file.bytes.isEmpty ? UnsafeBufferPointer<Double>(start: nil, count: 0)
            : UnsafeBufferPointer(start: file.bytes.baseAddress!.assumingMemoryBound(to: Double.self), count: count)
        return (file, values)
    }

    func remove() {
        if descriptor >= 0 { close(descriptor); descriptor = -1 }
        unlink(path)
        if let slot = cleanupSlot { InterruptCleanup.unregisterFile(slot); cleanupSlot = nil }
    }

    deinit { if cleanupSlot != nil || descriptor >= 0 { remove() } }
}
