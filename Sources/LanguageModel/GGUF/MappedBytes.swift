#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only byte region that outlives its users: a file mapped with `mmap(PROT_READ, MAP_PRIVATE)`
/// (pages are loaded on demand, the 98 MB model is never copied into an array), or a private copy of an
/// in-memory byte array (tests, corrupt variants). Unmapped / freed on deinit.
final class MappedBytes: @unchecked Sendable {
    /// Never mutated after init; the region is read-only, so sharing across threads is safe.
    let base: UnsafeRawPointer
    let count: Int
    private let isMapped: Bool

    /// Maps `path`. Errors: `missing` (cannot open), `malformedFile` (empty), `invalidArgument` (mmap failed).
    init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw LanguageModelError.missing("model file '\(path)' (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw LanguageModelError.invalidArgument("cannot stat '\(path)': \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw LanguageModelError.invalidArgument("'\(path)' is not a regular file")
        }
        let size = Int(st.st_size)
        guard size > 0 else { throw LanguageModelError.malformedFile("'\(path)' is empty") }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw LanguageModelError.invalidArgument("cannot map '\(path)': \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(p)
        count = size
        isMapped = true
    }

    /// A private copy of `bytes` (16-byte aligned, at least one byte allocated).
    init(copying bytes: [UInt8]) {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { src in
            if let s = src.baseAddress { p.copyMemory(from: s, byteCount: bytes.count) }
        }
        base = UnsafeRawPointer(p)
        count = bytes.count
        isMapped = false
    }

    deinit {
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }
}
