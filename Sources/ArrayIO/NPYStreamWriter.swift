#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes a `.npy` file of known shape `(B, T, d)` piece by piece, while a long simulation runs, and puts it
/// at its path only when every state is written.
///
/// The file is built under a temporary name beside the destination (a ``StagedFile``, `.<name>.<random>.tmp`):
/// first its complete header (as `numpy.save` writes it, see ``NPY/encode(_:dtype:fortranOrder:)``), then it is
/// extended to its full size at once (`ftruncate`, sparse). Each ``write(rollout:firstStep:states:)`` puts a block
/// of consecutive states of one rollout at its place in C order (rollout-major, then step, then component) with
/// `pwrite(2)`, so blocks of different rollouts can be written from several threads at once.
///
/// ``close()`` checks that every value was written exactly once (the sum of the block sizes equals B·T·d), flushes
/// (`fsync`) and renames the temporary over the destination. Until then the destination holds what it held before
/// (nothing, or the previous complete file): an error, a failed write (ENOSPC, EFBIG), ``discard()``, releasing
/// the writer without a successful ``close()``, or SIGINT/SIGTERM in a program that called
/// ``InterruptCleanup/installHandlers(programName:)`` removes the temporary. So a `.npy` at the destination is
/// never zero-padded: its unfinished rollouts cannot be mistaken for data.
///
/// The size is checked (``fileSize(rollouts:steps:dimension:dtype:)``, overflow-checked) before anything is
/// created; a caller with a disk or memory budget checks that number first.
public final class NPYStreamWriter: @unchecked Sendable {
    /// The destination path.
    public let path: String
    /// `[rollouts, steps, dimension]`.
    public let shape: [Int]
    public let dtype: NPYDType
    /// Byte offset of the first data byte.
    public let dataOffset: Int
    /// The temporary name the file has until ``close()``.
    public var temporaryPath: String { staged.temporaryPath }

    private let lock = NSLock()
    private var fd: Int32
    private let staged: StagedFile
    private let valueCount: Int
    private var valuesWritten = 0
    private var failure: ArrayIOError?
    /// `pwrite(2)`; replaced in tests to simulate a full disk.
    var systemPWrite: @Sendable (Int32, UnsafeRawPointer, Int, off_t) -> Int = { pwrite($0, $1, $2, $3) }

    /// Bytes of the `.npy` file of a `(rollouts, steps, dimension)` array: header plus data.
    /// - Throws: ``ArrayIOError/invalidShape(detail:)`` for a negative extent or a size that overflows `Int`.
    public static func fileSize(rollouts: Int, steps: Int, dimension: Int, dtype: NPYDType = .float64) throws -> Int {
        let shape = [rollouts, steps, dimension]
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw ArrayIOError.invalidShape(detail: "negative extent in \(NPYArray.shapeDescription(shape))")
        }
        let count = try NPYArray.elementCount(of: shape)
        let header = NPY.preamble(shape: shape, dtype: dtype, fortranOrder: false).count
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
        guard !overflow, bytes <= Int(Int64.max) - header else {
            throw ArrayIOError.invalidShape(detail: "\(NPYArray.shapeDescription(shape)) is too large for a file")
        }
        return header + bytes
    }

    /// Creates the temporary file beside `path`, writes the header of a `(rollouts, steps, dimension)` array and
    /// extends it to its full size. Nothing appears at `path` before ``close()``.
    /// - Throws: ``ArrayIOError/invalidShape(detail:)`` for a negative extent or a size that
    ///   overflows, ``ArrayIOError/writeFailed(path:detail:)`` when the file cannot be created or extended
    ///   (no such directory, a directory at `path`, no permission, more bytes than the file system has free,
    ///   EFBIG); the temporary is then removed.
    public init(path: String, rollouts: Int, steps: Int, dimension: Int, dtype: NPYDType = .float64) throws {
        let size = try Self.fileSize(rollouts: rollouts, steps: steps, dimension: dimension, dtype: dtype)
        let shape = [rollouts, steps, dimension]
        let preamble = NPY.preamble(shape: shape, dtype: dtype, fortranOrder: false)
        self.path = path
        self.shape = shape
        self.dtype = dtype
        dataOffset = preamble.count
        valueCount = rollouts * steps * dimension
        staged = try StagedFile(destination: path)
        fd = staged.descriptor
        do {
            try preamble.withUnsafeBytes { try staged.write($0) }
            // A run that cannot fit on the disk is refused now, not when ENOSPC comes hours later (the space may
            // still run out meanwhile: a failed write is an error that removes the file).
            var fileSystem = statvfs()
            if fstatvfs(fd, &fileSystem) == 0 {
                let (free, overflow) = Int(clamping: fileSystem.f_bavail).multipliedReportingOverflow(by: Int(clamping: fileSystem.f_frsize))
                if !overflow, size > free {
                    throw ArrayIOError.writeFailed(path: path, detail: "the file needs \(size) bytes but its file system has \(free) free")
                }
            }
            guard ftruncate(fd, off_t(size)) == 0 else { throw StagedFile.failure(path) }
        } catch {
            staged.discard()
            fd = -1
            throw error
        }
    }

    deinit { staged.discard() }

    /// Writes states `firstStep ..< firstStep + n` of `rollout`, with `n = states.count / d`;
    /// `states` is row-major `n × d`. Safe to call concurrently for disjoint blocks.
    /// - Throws: ``ArrayIOError/invalidShape(detail:)`` when the block does not fit the shape,
    ///   ``ArrayIOError/writeFailed(path:detail:)`` on an I/O error or after ``close()``.
    public func write(rollout: Int, firstStep: Int, states: UnsafeBufferPointer<Double>) throws {
        let (b, t, d) = (shape[0], shape[1], shape[2])
        guard d > 0 ? states.count % d == 0 : states.isEmpty else {
            throw ArrayIOError.invalidShape(detail: "\(states.count) values are not whole states of dimension \(d)")
        }
        let n = d > 0 ? states.count / d : 0
        guard (0..<b).contains(rollout), firstStep >= 0, firstStep <= t - n else {
            throw ArrayIOError.invalidShape(
                detail: "states \(firstStep)..<\(firstStep + n) of rollout \(rollout) lie outside shape \(NPYArray.shapeDescription(shape))")
        }
        guard n > 0, let base = states.baseAddress else { return }
        let offset = dataOffset + ((rollout * t + firstStep) * d) * dtype.itemSize
        switch dtype {
        case .float64:
            #if _endian(little)
            try writeAll(UnsafeRawBufferPointer(states), at: offset)
            #else
            try convertAndWrite(base, states.count, at: offset) { $0.bitPattern.littleEndian }
            #endif
        case .float32:
            try convertAndWrite(base, states.count, at: offset) { Float($0).bitPattern.littleEndian }
        }
        lock.lock(); valuesWritten += states.count; lock.unlock()
    }

    /// Array convenience for ``write(rollout:firstStep:states:)``.
    public func write(rollout: Int, firstStep: Int, states: [Double]) throws {
        try states.withUnsafeBufferPointer { try write(rollout: rollout, firstStep: firstStep, states: $0) }
    }

    /// Checks that every value was written, flushes the file to disk and renames it over ``path``; later writes
    /// throw. Closing twice is harmless.
    /// - Throws: ``ArrayIOError/writeFailed(path:detail:)`` when a write failed earlier, when not every value
    ///   was written, or when `fsync`, `close` or `rename` fails; the temporary is then removed and ``path`` keeps
    ///   what it held before.
    public func close() throws {
        lock.lock()
        guard fd >= 0 else { lock.unlock(); return }
        fd = -1
        let (failure, written) = (self.failure, valuesWritten)
        lock.unlock()
        if let failure {
            staged.discard()
            throw failure
        }
        guard written == valueCount else {
            staged.discard()
            throw ArrayIOError.writeFailed(path: path, detail: "only \(written) of \(valueCount) values were written; the file was not kept")
        }
        try staged.commit()
    }

    /// Abandons the file: removes the temporary, leaves ``path`` as it was; later writes throw. Harmless after
    /// ``close()``.
    public func discard() {
        lock.lock()
        fd = -1
        lock.unlock()
        staged.discard()
    }

    /// Converts `count` doubles in bounded pieces (no large temporary) and writes them.
    private func convertAndWrite<W: FixedWidthInteger>(
        _ values: UnsafePointer<Double>, _ count: Int, at offset: Int, _ convert: (Double) -> W
    ) throws {
        let piece = 4096
        try withUnsafeTemporaryAllocation(of: W.self, capacity: piece) { buffer in
            var done = 0
            while done < count {
                let n = min(piece, count - done)
                for i in 0..<n { buffer[i] = convert(values[done + i]) }
                try writeAll(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[0..<n])),
                             at: offset + done * MemoryLayout<W>.size)
                done += n
            }
        }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        let descriptor = currentDescriptor()
        guard descriptor >= 0 else { throw ArrayIOError.writeFailed(path: path, detail: "the writer is closed") }
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = systemPWrite(descriptor, base + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                let error = StagedFile.failure(path)
                lock.lock(); if failure == nil { failure = error }; lock.unlock()
                throw error
            }
            done += n
        }
    }

    private func currentDescriptor() -> Int32 {
        lock.lock(); defer { lock.unlock() }
        return fd
    }
}
