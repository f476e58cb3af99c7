import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory (`mmap(PROT_READ, MAP_PRIVATE)`), unmapped when the object goes away.
///
/// Reading a mapped file costs no copy and no allocation: pages are read from the page cache on first touch. They
/// then count towards the process's resident set until ``release(_:)`` hands them back (`madvise(MADV_DONTNEED)`:
/// the next touch reads them from the page cache again), which lets a reader that works through a large file a
/// piece at a time keep only the pieces it is working on resident. The file must not be truncated while mapped.
public final class MappedFile: @unchecked Sendable {
    /// The file's bytes (empty for an empty file).
    public let bytes: UnsafeRawBufferPointer
    /// The path, for messages.
    public let path: String

    /// Maps the file at `path`.
    /// - Throws: ``ArrayIOError/fileNotFound(path:)``, ``ArrayIOError/unreadableFile(path:detail:)`` (a directory,
    ///   a pipe or device, no permission, a file that cannot be mapped).
    public init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        guard !path.isEmpty, FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ArrayIOError.fileNotFound(path: path)
        }
        guard !isDirectory.boolValue else { throw ArrayIOError.unreadableFile(path: path, detail: "it is a directory") }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw ArrayIOError.unreadableFile(path: path, detail: "not a regular file (a pipe or a device cannot be mapped)")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ArrayIOError.unreadableFile(path: path, detail: String(cString: strerror(errno))) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            throw ArrayIOError.unreadableFile(path: path, detail: String(cString: strerror(errno)))
        }
        let size = Int(status.st_size)
        guard size > 0 else { bytes = UnsafeRawBufferPointer(start: nil, count: 0); return }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw ArrayIOError.unreadableFile(path: path, detail: "cannot map it into memory: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    /// Drops the pages that lie wholly inside `range` (byte offsets) from the resident set; the bytes stay readable.
    /// Pages shared with bytes outside the range are kept. A hint: nothing is lost if the system ignores it.
    public func release(_ range: Range<Int>) {
        guard let base = bytes.baseAddress, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let lower = (max(0, range.lowerBound) + page - 1) / page * page
        let upper = min(bytes.count, range.upperBound) / page * page
        guard upper > lower else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + lower), upper - lower, Int32(MADV_DONTNEED))
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}

/// A `.npy` file mapped into memory, its header checked as ``NPY/read(contentsOf:)`` checks it (same errors), its
/// data read in place when it can be: little-endian float64 in C order (what NumPy writes for a float64 array on
/// this machine), whose items start 64-byte aligned (the format pads the header to a multiple of 64).
public struct NPYMapping: @unchecked Sendable {
    /// The mapped file (keeps the mapping alive).
    public let file: MappedFile
    /// The array's shape.
    public let shape: [Int]
    /// The items in C order, when the file stores them as little-endian float64 in C order; `nil` otherwise (then
    /// ``NPY/read(contentsOf:)`` converts them).
    public let doubles: UnsafeBufferPointer<Double>?
    /// The byte offset of the first item in ``file``.
    public let dataOffset: Int
    /// The items in the file's own order (``fortranOrder``): little-endian float32 or float64 aligned for their type
    /// in place, any other dtype the reader understands (integers, booleans, float16, big-endian, misaligned) through
    /// ``Items/decoded(_:)``. What a converter reads one rollout at a time instead of decoding the whole array.
    public let floatItems: Items?
    /// Whether the items are in Fortran (column-major) order.
    public let fortranOrder: Bool

    /// The items of the mapped array.
    public enum Items: @unchecked Sendable {
        case float32(UnsafeBufferPointer<Float>)
        case float64(UnsafeBufferPointer<Double>)
        /// Items of another dtype, decoded one at a time as ``NPY/read(contentsOf:)`` decodes them.
        case decoded(NPYItemDecoder)

        /// The bytes per item.
        public var itemSize: Int {
            switch self {
            case .float32: return 4
            case .float64: return 8
            case .decoded(let d): return d.itemSize
            }
        }
    }
}

/// Reads item i of a mapped `.npy` array of any dtype the reader understands, as a double — the value
/// ``NPY/read(contentsOf:)`` gives it (integers beyond ±2⁵³ rounded to the nearest double).
public struct NPYItemDecoder: @unchecked Sendable {
    let items: UnsafeRawBufferPointer
    let type: NPYElementType

    /// The bytes per item.
    public var itemSize: Int { type.size }

    /// Item `index` (0 ≤ index < count, unchecked beyond the mapping's length check).
    public func value(at index: Int) -> Double { type.load(from: items, at: index * type.size) }
}

extension NPY {
    /// Maps the `.npy` file at `path` and validates its header and length (``NPYMapping``).
    /// - Throws: the errors of ``read(contentsOf:)``: ``ArrayIOError/fileNotFound(path:)``,
    ///   ``ArrayIOError/unreadableFile(path:detail:)``, or a format error wrapped in ``ArrayIOError/inFile(path:error:)``.
    public static func map(path: String) throws -> NPYMapping {
        let file = try MappedFile(path: path)
        do {
            let header = try NPYHeader(parsing: file.bytes)
            let type = header.elementType
            let available = file.bytes.count - header.dataOffset
            let (needed, overflow) = header.count.multipliedReportingOverflow(by: type.size)
            guard !overflow else {
                throw ArrayIOError.invalidShape(
                    detail: "\(NPYArray.clippedShapeDescription(header.shape)) of \(type.size)-byte items overflows")
            }
            guard needed <= available else { throw ArrayIOError.truncatedData(expectedBytes: needed, actualBytes: available) }
            var doubles: UnsafeBufferPointer<Double>? = nil
            if type.kind == .float, type.size == 8, !type.bigEndian, !NPYElementType.hostIsBigEndian, !header.fortranOrder,
               let base = file.bytes.baseAddress, (Int(bitPattern: base) + header.dataOffset) % MemoryLayout<Double>.alignment == 0 {
                doubles = UnsafeBufferPointer(start: (base + header.dataOffset).assumingMemoryBound(to: Double.self),
                                              count: header.count)
            }
            var floats: NPYMapping.Items? = nil
            if type.kind == .float, !type.bigEndian, !NPYElementType.hostIsBigEndian, let base = file.bytes.baseAddress,
               (Int(bitPattern: base) + header.dataOffset) % type.size == 0 {
                let start = base + header.dataOffset
                if type.size == 8 {
                    floats = .float64(UnsafeBufferPointer(start: start.assumingMemoryBound(to: Double.self), count: header.count))
                } else if type.size == 4 {
                    floats = .float32(UnsafeBufferPointer(start: start.assumingMemoryBound(to: Float.self), count: header.count))
                }
            }
            if floats == nil, let base = file.bytes.baseAddress {
                floats = .decoded(NPYItemDecoder(items: UnsafeRawBufferPointer(start: base + header.dataOffset, count: needed),
                                                 type: type))
            }
            return NPYMapping(file: file, shape: header.shape, doubles: doubles, dataOffset: header.dataOffset,
                              floatItems: floats, fortranOrder: header.fortranOrder)
        } catch let error as ArrayIOError {
            throw ArrayIOError.inFile(path: path, error: error)
        }
    }
}
