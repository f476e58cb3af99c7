#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes a `.npy` file of known shape `(B, T, d)` piece by piece, while a long simulation runs.
///
/// The file is created with its complete header (as `numpy.save` writes it, see
/// ``NPY/encode(_:dtype:fortranOrder:)``) and extended to its full size at once, so it is a valid
/// `.npy` from the start: states not yet written read as 0. Each ``write(rollout:firstStep:states:)``
/// puts a block of consecutive states of one rollout at their place in C order (rollout-major, then
/// step, then component) with `pwrite(2)`, so blocks of different rollouts can be written from
/// several threads at once and partial results of a long run are on disk as they are produced.
///
/// Unlike ``NPY/write(_:to:dtype:fortranOrder:)`` this is not atomic: the destination is replaced
/// when the writer is created and filled in place. ``close()`` flushes to disk (`fsync`).
public final class NPYStreamWriter: @unchecked Sendable {
    /// The destination path.
    public let path: String
    /// `[rollouts, steps, dimension]`.
    public let shape: [Int]
    public let dtype: NPYDType
    /// Byte offset of the first data byte.
    public let dataOffset: Int

    private let lock = NSLock()
    private var fd: Int32

    /// Creates (or truncates) `path` and writes the header of a `(rollouts, steps, dimension)` array.
    /// - Throws: ``ArrayIOError/invalidShape(detail:)`` for a negative extent or a size that
    ///   overflows, ``ArrayIOError/writeFailed(path:detail:)`` when the file cannot be created.
    public init(path: String, rollouts: Int, steps: Int, dimension: Int, dtype: NPYDType = .float64) throws {
        let shape = [rollouts, steps, dimension]
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw ArrayIOError.invalidShape(detail: "negative extent in \(NPYArray.shapeDescription(shape))")
        }
        let count = try NPYArray.elementCount(of: shape)
        let preamble = NPY.preamble(shape: shape, dtype: dtype, fortranOrder: false)
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
        guard !overflow, bytes <= Int.max - preamble.count else {
            throw ArrayIOError.invalidShape(detail: "\(NPYArray.shapeDescription(shape)) is too large for a file")
        }
        guard !path.isEmpty else { throw ArrayIOError.writeFailed(path: path, detail: "empty path") }
        self.path = path
        self.shape = shape
        self.dtype = dtype
        dataOffset = preamble.count
        fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.failure(path) }
        do {
            try preamble.withUnsafeBytes { try writeAll($0, at: 0) }
            guard ftruncate(fd, off_t(preamble.count + bytes)) == 0 else { throw Self.failure(path) }
        } catch {
            systemClose(fd)
            fd = -1
            throw error
        }
    }

    deinit { if fd >= 0 { systemClose(fd) } }

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
    }

    /// Array convenience for ``write(rollout:firstStep:states:)``.
    public func write(rollout: Int, firstStep: Int, states: [Double]) throws {
        try states.withUnsafeBufferPointer { try write(rollout: rollout, firstStep: firstStep, states: $0) }
    }

    /// Flushes the file to disk and closes it; later writes throw. Closing twice is harmless.
    /// - Throws: ``ArrayIOError/writeFailed(path:detail:)`` when `fsync` or `close` fails.
    public func close() throws {
        lock.lock(); defer { lock.unlock() }
        guard fd >= 0 else { return }
        let descriptor = fd
        fd = -1
        if fsync(descriptor) != 0 { let e = Self.failure(path); systemClose(descriptor); throw e }
        if systemClose(descriptor) != 0 { throw Self.failure(path) }
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
            let n = pwrite(descriptor, base + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.failure(path)
            }
            done += n
        }
    }

    private func currentDescriptor() -> Int32 {
        lock.lock(); defer { lock.unlock() }
        return fd
    }

    private static func failure(_ path: String) -> ArrayIOError {
        .writeFailed(path: path, detail: String(cString: strerror(errno)))
    }
}

/// `close(2)` (the name is taken by ``NPYStreamWriter/close()`` inside the class).
@discardableResult
private func systemClose(_ fd: Int32) -> Int32 {
    #if canImport(Darwin)
    return Darwin.close(fd)
    #elseif canImport(Glibc)
    return Glibc.close(fd)
    #else
    return Musl.close(fd)
    #endif
}
