/// A bounds-checked little-endian cursor over a read-only byte buffer (the GGUF header and tables).
///
/// Every read checks `offset + size ≤ count` first and throws
/// `LanguageModelError.malformedFile("truncated … at byte N")` instead of reading past the end; no read can trap.
/// Multi-byte values are loaded unaligned (GGUF tables have no alignment) and converted from little-endian.
struct ByteReader {
    let base: UnsafeRawPointer
    let count: Int
    private(set) var offset: Int

    init(base: UnsafeRawPointer, count: Int, offset: Int = 0) {
        self.base = base
        self.count = count
        self.offset = offset
    }

    /// Bytes left after the cursor.
    var remaining: Int { count - offset }

    /// Throws unless `size` more bytes are available; `what` names the field for the error message.
    func require(_ size: Int, _ what: @autoclosure () -> String) throws {
        guard size >= 0, size <= remaining else {
            throw LanguageModelError.malformedFile("truncated \(what()) at byte \(offset) (needs \(size) bytes, \(max(remaining, 0)) left)")
        }
    }

    mutating func read<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String) throws -> T {
        try require(MemoryLayout<T>.size, what())
        let v = T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += MemoryLayout<T>.size
        return v
    }

    mutating func readFloat(_ what: @autoclosure () -> String) throws -> Float {
        Float(bitPattern: try read(UInt32.self, what()))
    }

    mutating func readDouble(_ what: @autoclosure () -> String) throws -> Double {
        Double(bitPattern: try read(UInt64.self, what()))
    }

    /// A u64 length or count that must also fit an `Int` and, at `minimumElementSize` bytes per element,
    /// fit in the bytes that remain (so a corrupt count can never drive a huge allocation).
    mutating func readCount(_ what: @autoclosure () -> String, minimumElementSize: Int) throws -> Int {
        let start = offset
        let raw = try read(UInt64.self, what())
        let limit = minimumElementSize > 0 ? UInt64(max(remaining, 0) / minimumElementSize) : UInt64(Int.max)
        guard raw <= limit else {
            throw LanguageModelError.malformedFile("\(what()) \(raw) at byte \(start) exceeds the \(max(remaining, 0)) bytes left in the file")
        }
        return Int(raw)
    }

    /// A GGUF string: u64 byte length, then that many bytes of UTF-8 (no terminator).
    mutating func readString(_ what: @autoclosure () -> String) throws -> String {
        let start = offset
        let n = try readCount("length of \(what())", minimumElementSize: 1)
        let bytes = UnsafeRawBufferPointer(start: base + offset, count: n)
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw LanguageModelError.malformedFile("\(what()) at byte \(start) is not valid UTF-8")
        }
        offset += n
        return s
    }
}
