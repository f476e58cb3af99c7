/// A GGUF v3 model file, memory-mapped read-only: header, typed metadata, tensor-info table, data section.
///
/// Layout (little-endian): magic "GGUF", u32 version (= 3), u64 tensor count, u64 metadata count,
/// metadata entries (string key, u32 value type, value), tensor infos (string name, u32 n_dims,
/// n_dims × u64 dims, u32 ggml type, u64 offset relative to the data section), then padding up to the
/// alignment (`general.alignment`, default 32) where the data section begins; each tensor's data lies at
/// data start + offset and occupies rowCount · rowLength / blockSize · typeSize bytes.
///
/// Opening validates everything that later reads rely on, so that no access can go out of bounds:
/// truncation anywhere, counts and lengths larger than what is left of the file, unknown value types,
/// duplicate keys or tensor names, more than 4 or zero dimensions, dimension products that overflow,
/// rows that are not whole blocks, misaligned offsets, tensor data past the end of the file and tensors whose
/// data overlap all throw
/// `LanguageModelError.malformedFile` with a one-line message; versions other than 3 and unknown ggml
/// tensor types throw `.unsupported`.
public final class GGUFFile: MappedModelFile, Sendable {
    /// The format version (always 3 once opened).
    public let version: UInt32
    /// Metadata by key.
    public let metadata: [String: GGUFValue]
    /// Metadata keys in file order.
    public let metadataKeys: [String]
    /// The tensor-info table in file order.
    public let tensors: [GGUFTensorInfo]
    /// Alignment of the data section and of every tensor offset.
    public let alignment: Int
    /// Absolute byte offset where the data section begins.
    public let dataOffset: Int
    /// Size of the file in bytes.
    public var fileSize: Int { bytes.count }

    private let bytes: MappedBytes
    private let tensorIndex: [String: Int]

    /// GGUF's default alignment when `general.alignment` is absent.
    public static let defaultAlignment = 32
    /// ggml's GGML_MAX_DIMS.
    public static let maximumDimensions = 4
    /// Arrays nested deeper than this are rejected (ggml itself writes none).
    static let maximumArrayDepth = 8

    /// Parses and validates `region`; open a file with `init(contentsOf:)` or `init(bytes:)` (``MappedModelFile``).
    public init(region: MappedRegion) throws {
        let bytes = region.bytes
        self.bytes = bytes
        var r = ByteReader(base: bytes.base, count: bytes.count)

        let magic = try r.read(UInt32.self, "magic")
        guard magic == 0x4655_4747 else {   // "GGUF" read as a little-endian u32
            throw LanguageModelError.malformedFile("bad magic 0x\(String(magic, radix: 16)) (expected \"GGUF\")")
        }
        let version = try r.read(UInt32.self, "version")
        switch version {
        case 3: break
        case 1, 2: throw LanguageModelError.unsupported("GGUF version \(version) (only version 3 is supported)")
        case 0x0300_0000: throw LanguageModelError.unsupported("big-endian GGUF (only little-endian is supported)")
        default: throw LanguageModelError.malformedFile("unknown GGUF version \(version) (only version 3 is supported)")
        }
        self.version = version

        // A tensor info takes at least 8 (name) + 4 + 8 + 4 + 8 bytes, a metadata entry 8 + 4 + 1.
        let tensorCount = try r.readCount("tensor count", minimumElementSize: 32)
        let kvCount = try r.readCount("metadata count", minimumElementSize: 13)

        var metadata = [String: GGUFValue](minimumCapacity: kvCount)
        var keys = [String](); keys.reserveCapacity(kvCount)
        for i in 0..<kvCount {
            let key = try r.readString("key of metadata entry \(i)")
            let raw = try r.read(UInt32.self, "type of '\(key)'")
            guard let type = GGUFValueType(rawValue: raw) else {
                throw LanguageModelError.malformedFile("unknown value type \(raw) of metadata '\(key)'")
            }
            let value = try Self.readValue(type, of: key, from: &r, depth: 0)
            guard metadata.updateValue(value, forKey: key) == nil else {
                throw LanguageModelError.malformedFile("duplicate metadata key '\(key)'")
            }
            keys.append(key)
        }
        self.metadata = metadata
        self.metadataKeys = keys

        var alignment = Self.defaultAlignment
        if let a = metadata["general.alignment"] {
            guard let v = a.int, v > 0, v & (v - 1) == 0, v <= 1 << 20 else {
                throw LanguageModelError.malformedFile("general.alignment \(a) is not a power of two ≤ 2^20")
            }
            alignment = v
        }
        self.alignment = alignment

        struct RawInfo { let name: String; let dims: [Int]; let type: GGMLType; let offset: Int }
        var raws = [RawInfo](); raws.reserveCapacity(tensorCount)
        var index = [String: Int](minimumCapacity: tensorCount)
        for i in 0..<tensorCount {
            let name = try r.readString("name of tensor \(i)")
            let nDims = try r.read(UInt32.self, "dimension count of tensor '\(name)'")
            guard nDims >= 1, nDims <= UInt32(Self.maximumDimensions) else {
                throw LanguageModelError.malformedFile("tensor '\(name)' has \(nDims) dimensions (1 to \(Self.maximumDimensions) allowed)")
            }
            var dims = [Int]()
            var elements = 1
            for k in 0..<Int(nDims) {
                let d = try r.read(UInt64.self, "dimension \(k) of tensor '\(name)'")
                guard d >= 1, d <= UInt64(Int.max) else {
                    throw LanguageModelError.malformedFile("tensor '\(name)' has dimension \(k) = \(d)")
                }
                let (p, overflow) = elements.multipliedReportingOverflow(by: Int(d))
                guard !overflow else {
                    throw LanguageModelError.malformedFile("tensor '\(name)' has too many elements (dimension product overflows)")
                }
                elements = p
                dims.append(Int(d))
            }
            let rawType = try r.read(UInt32.self, "type of tensor '\(name)'")
            guard let type = GGMLType(rawValue: rawType) else {
                throw LanguageModelError.unsupported("ggml type \(rawType) of tensor '\(name)'")
            }
            guard dims[0] % type.blockSize == 0 else {
                throw LanguageModelError.malformedFile("tensor '\(name)' row length \(dims[0]) is not a multiple of the \(type) block size \(type.blockSize)")
            }
            let offset = try r.read(UInt64.self, "offset of tensor '\(name)'")
            guard offset <= UInt64(bytes.count), offset % UInt64(alignment) == 0 else {
                throw LanguageModelError.malformedFile("tensor '\(name)' offset \(offset) is past the end of the file or not a multiple of the alignment \(alignment)")
            }
            guard index.updateValue(i, forKey: name) == nil else {
                throw LanguageModelError.malformedFile("duplicate tensor name '\(name)'")
            }
            raws.append(RawInfo(name: name, dims: dims, type: type, offset: Int(offset)))
        }

        // The data section starts at the first multiple of the alignment after the table.
        let tableEnd = r.offset
        let dataOffset = (tableEnd + alignment - 1) / alignment * alignment
        self.dataOffset = dataOffset
        var infos = [GGUFTensorInfo](); infos.reserveCapacity(raws.count)
        for raw in raws {
            let info = GGUFTensorInfo(name: raw.name, dimensions: raw.dims, type: raw.type,
                                      relativeOffset: raw.offset, offset: dataOffset + raw.offset)
            // elementCount fits (checked above) and byteCount ≤ elementCount · 8, so compute it with checks.
            let blocks = info.elementCount / raw.type.blockSize
            let (nbytes, overflow) = blocks.multipliedReportingOverflow(by: raw.type.typeSize)
            let end = nbytes.addingReportingOverflow(info.offset)
            guard !overflow, !end.overflow, end.partialValue <= bytes.count else {
                throw LanguageModelError.malformedFile("data of tensor '\(raw.name)' (\(overflow ? "overflowing" : String(nbytes)) bytes at \(info.offset)) extends past the end of the file (\(bytes.count) bytes)")
            }
            infos.append(info)
        }
        try Self.checkDisjoint(infos)
        self.tensors = infos
        self.tensorIndex = index
    }

    /// No two tensors share a byte: sorted by offset, each one's data ends at or before the next one's start
    /// (gaps for alignment are allowed). Overlapping data would make two weights read each other's bytes — an
    /// edited file whose numbers silently turn to garbage — so it is `malformedFile`, naming both tensors.
    private static func checkDisjoint(_ infos: [GGUFTensorInfo]) throws {
        let sorted = infos.sorted { ($0.offset, $0.name) < ($1.offset, $1.name) }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.offset + a.byteCount > b.offset {
            throw LanguageModelError.malformedFile(
                "tensors '\(a.name)' (bytes \(a.offset)..<\(a.offset + a.byteCount)) and '\(b.name)' (bytes \(b.offset)..<\(b.offset + b.byteCount)) overlap")
        }
    }

    /// Reads one value of `type`; arrays recurse up to `maximumArrayDepth`.
    private static func readValue(_ type: GGUFValueType, of key: String, from r: inout ByteReader, depth: Int) throws -> GGUFValue {
        let what = "value of '\(key)'"
        switch type {
        case .uint8: return .uint8(try r.read(UInt8.self, what))
        case .int8: return .int8(try r.read(Int8.self, what))
        case .uint16: return .uint16(try r.read(UInt16.self, what))
        case .int16: return .int16(try r.read(Int16.self, what))
        case .uint32: return .uint32(try r.read(UInt32.self, what))
        case .int32: return .int32(try r.read(Int32.self, what))
        case .uint64: return .uint64(try r.read(UInt64.self, what))
        case .int64: return .int64(try r.read(Int64.self, what))
        case .float32: return .float32(try r.readFloat(what))
        case .float64: return .float64(try r.readDouble(what))
        case .bool:
            let start = r.offset
            let b = try r.read(UInt8.self, what)
            guard b <= 1 else { throw LanguageModelError.malformedFile("bool \(what) at byte \(start) is \(b), not 0 or 1") }
            return .bool(b == 1)
        case .string: return .string(try r.readString(what))
        case .array:
            guard depth < maximumArrayDepth else {
                throw LanguageModelError.malformedFile("arrays of '\(key)' nested deeper than \(maximumArrayDepth)")
            }
            let raw = try r.read(UInt32.self, "element type of '\(key)'")
            guard let element = GGUFValueType(rawValue: raw) else {
                throw LanguageModelError.malformedFile("unknown array element type \(raw) of metadata '\(key)'")
            }
            let n = try r.readCount("element count of '\(key)'", minimumElementSize: element.minimumSize)
            var items = [GGUFValue](); items.reserveCapacity(n)
            for _ in 0..<n { items.append(try readValue(element, of: key, from: &r, depth: depth + 1)) }
            return .array(elementType: element, items)
        }
    }

    // MARK: Lookup

    /// The metadata value for `key`, if present.
    public subscript(key: String) -> GGUFValue? { metadata[key] }

    /// The tensor named `name`; throws `missing` when there is none.
    public func tensor(named name: String) throws -> GGUFTensorInfo {
        guard let i = tensorIndex[name] else { throw LanguageModelError.missing("tensor '\(name)'") }
        return tensors[i]
    }

    /// Whether a tensor named `name` exists.
    public func hasTensor(named name: String) -> Bool { tensorIndex[name] != nil }

    /// Calls `body` with the raw bytes of `tensor` (valid only inside `body`).
    public func withRawBytes<R>(of tensor: GGUFTensorInfo, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        try checkBelongs(tensor)
        return try body(UnsafeRawBufferPointer(start: bytes.base + tensor.offset, count: tensor.byteCount))
    }

    private func checkBelongs(_ tensor: GGUFTensorInfo) throws {
        guard let i = tensorIndex[tensor.name], tensors[i] == tensor else {
            throw LanguageModelError.invalidArgument("tensor '\(tensor.name)' does not belong to this GGUF file")
        }
    }

    // MARK: Dequantization

    /// The whole tensor as Float32, row after row (`rowCount · rowLength` values).
    public func dequantize(_ tensor: GGUFTensorInfo) throws -> [Float] {
        try dequantizeRows(tensor, rows: 0..<tensor.rowCount)
    }

    /// The tensor named `name` as Float32.
    public func dequantize(named name: String) throws -> [Float] { try dequantize(tensor(named: name)) }

    /// Row `row` (0 ≤ row < rowCount) as `rowLength` Float32 values.
    public func dequantizeRow(_ tensor: GGUFTensorInfo, row: Int) throws -> [Float] {
        try dequantizeRows(tensor, rows: row..<(row + 1))
    }

    /// Rows `rows` as `rows.count · rowLength` Float32 values.
    public func dequantizeRows(_ tensor: GGUFTensorInfo, rows: Range<Int>) throws -> [Float] {
        try checkRows(tensor, rows)
        let n = rows.count * tensor.rowLength
        return try [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            if let out = buffer.baseAddress { try dequantizeRows(tensor, rows: rows, into: out) }
            initialized = n
        }
    }

    /// Writes rows `rows` of `tensor` as Float32 into `destination` (room for `rows.count · rowLength`).
    public func dequantizeRows(_ tensor: GGUFTensorInfo, rows: Range<Int>, into destination: UnsafeMutablePointer<Float>) throws {
        try checkBelongs(tensor)
        try checkRows(tensor, rows)
        let source = bytes.base + tensor.offset + rows.lowerBound * tensor.rowByteCount
        try Dequantization.dequantize(tensor.type, from: source, count: rows.count * tensor.rowLength, into: destination)
    }

    private func checkRows(_ tensor: GGUFTensorInfo, _ rows: Range<Int>) throws {
        guard rows.lowerBound >= 0, rows.upperBound <= tensor.rowCount else {
            throw LanguageModelError.invalidArgument("rows \(rows.lowerBound)..<\(rows.upperBound) out of range for tensor '\(tensor.name)' with \(tensor.rowCount) rows")
        }
    }
}
