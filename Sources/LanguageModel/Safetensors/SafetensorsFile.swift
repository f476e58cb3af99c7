/// A safetensors file (Hugging Face's tensor format), memory-mapped read-only.
///
/// Layout: u64 little-endian header length N, N bytes of UTF-8 JSON (an object: per tensor
/// `{"dtype", "shape", "data_offsets": [begin, end]}`, plus an optional `"__metadata__"` string map; writers pad
/// it with spaces), then the data section: each tensor's little-endian row-major bytes at begin..<end.
///
/// Opening validates, as the reference Rust implementation does, everything later reads rely on: N ≤ 100 MB and
/// 8 + N ≤ file size; the header is a JSON object of well-typed entries; every dtype is known; shapes are
/// non-negative with a non-overflowing product; sorted by begin, the byte ranges are contiguous from 0 with
/// begin ≤ end, each exactly elementCount · dtype.size bytes, and the last one ends exactly at the end of the
/// file. Violations throw a one-line `LanguageModelError.malformedFile` (an unknown dtype: `unsupported`).
public final class SafetensorsFile: MappedModelFile, Sendable {
    /// The tensors in data order (sorted by their begin offset).
    public let tensors: [SafetensorsTensorInfo]
    /// The `__metadata__` map (empty when absent).
    public let metadata: [String: String]
    /// Length N of the JSON header in bytes.
    public let headerLength: Int
    /// Absolute offset of the data section, 8 + N.
    public var dataOffset: Int { 8 + headerLength }
    /// Size of the file in bytes.
    public var fileSize: Int { bytes.count }

    /// Largest accepted header (the Rust implementation's limit).
    public static let maximumHeaderLength = 100_000_000

    private let bytes: MappedBytes
    private let index: [String: Int]

    /// Parses and validates `region`; open a file with `init(contentsOf:)` or `init(bytes:)` (``MappedModelFile``).
    public init(region: MappedRegion) throws {
        let bytes = region.bytes
        self.bytes = bytes
        guard bytes.count >= 8 else {
            throw LanguageModelError.malformedFile("safetensors file of \(bytes.count) bytes is shorter than its 8-byte header length")
        }
        let raw = UInt64(littleEndian: bytes.base.loadUnaligned(as: UInt64.self))
        guard raw <= UInt64(Self.maximumHeaderLength), Int(raw) <= bytes.count - 8 else {
            throw LanguageModelError.malformedFile("safetensors header length \(raw) exceeds the \(bytes.count - 8) bytes after it (or the 100 MB limit)")
        }
        let n = Int(raw)
        headerLength = n
        let header = try SafetensorsHeader.decode(UnsafeRawBufferPointer(start: bytes.base + 8, count: n))
        metadata = header.metadata

        var infos = [SafetensorsTensorInfo]()
        infos.reserveCapacity(header.entries.count)
        for (name, e) in header.entries {
            guard let dtype = SafetensorsDType(rawValue: e.dtype) else {
                throw LanguageModelError.unsupported("safetensors dtype '\(e.dtype)' of tensor '\(name)'")
            }
            guard e.data_offsets.count == 2, e.data_offsets[0] >= 0, e.data_offsets[1] >= e.data_offsets[0] else {
                throw LanguageModelError.malformedFile("tensor '\(name)' has data_offsets \(e.data_offsets) (expected [begin, end] with 0 ≤ begin ≤ end)")
            }
            var elements = 1
            for d in e.shape {
                guard d >= 0 else { throw LanguageModelError.malformedFile("tensor '\(name)' has a negative dimension in shape \(e.shape)") }
                let (p, overflow) = elements.multipliedReportingOverflow(by: d)
                guard !overflow else { throw LanguageModelError.malformedFile("tensor '\(name)' shape \(e.shape) overflows") }
                elements = p
            }
            let (nbytes, overflow) = elements.multipliedReportingOverflow(by: dtype.size)
            let range = e.data_offsets[0]..<e.data_offsets[1]
            guard !overflow, nbytes == range.count else {
                throw LanguageModelError.malformedFile("tensor '\(name)' (\(dtype.rawValue) \(e.shape)) needs \(overflow ? "too many" : String(nbytes)) bytes but data_offsets span \(range.count)")
            }
            infos.append(SafetensorsTensorInfo(name: name, dtype: dtype, shape: e.shape, dataOffsets: range, offset: 8 + n + range.lowerBound))
        }
        infos.sort { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound, $0.name) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound, $1.name) }
        var end = 0
        for info in infos {
            guard info.dataOffsets.lowerBound == end else {
                throw LanguageModelError.malformedFile("tensor '\(info.name)' data starts at \(info.dataOffsets.lowerBound), expected \(end) (ranges must be contiguous, without gaps or overlaps)")
            }
            end = info.dataOffsets.upperBound
        }
        guard end == bytes.count - 8 - n else {
            throw LanguageModelError.malformedFile("safetensors data section has \(bytes.count - 8 - n) bytes but the tensors cover \(end)")
        }
        var index = [String: Int](minimumCapacity: infos.count)
        for (i, info) in infos.enumerated() { index[info.name] = i }
        tensors = infos
        self.index = index
    }

    /// The tensor named `name`; throws `missing` when there is none.
    public func tensor(named name: String) throws -> SafetensorsTensorInfo {
        guard let i = index[name] else { throw LanguageModelError.missing("tensor '\(name)'") }
        return tensors[i]
    }

    /// Whether a tensor named `name` exists.
    public func hasTensor(named name: String) -> Bool { index[name] != nil }

    /// Calls `body` with the raw bytes of `tensor` (valid only inside `body`).
    public func withRawBytes<R>(of tensor: SafetensorsTensorInfo, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        guard let i = index[tensor.name], tensors[i] == tensor else {
            throw LanguageModelError.invalidArgument("tensor '\(tensor.name)' does not belong to this safetensors file")
        }
        return try body(UnsafeRawBufferPointer(start: bytes.base + tensor.offset, count: tensor.byteCount))
    }

    /// The whole tensor as Float32 in C order: F32 as is, F16 and BF16 exactly, F64 rounded to nearest.
    /// Other dtypes throw `unsupported`.
    public func floats(_ tensor: SafetensorsTensorInfo) throws -> [Float] {
        guard tensor.dtype.isFloatConvertible else {
            throw LanguageModelError.unsupported("conversion of safetensors dtype \(tensor.dtype.rawValue) (tensor '\(tensor.name)') to Float32")
        }
        return try withRawBytes(of: tensor) { raw in
            let n = tensor.elementCount
            return [Float](unsafeUninitializedCapacity: n) { out, initialized in
                if let src = raw.baseAddress, let dst = out.baseAddress {
                    SafetensorsConversion.convert(tensor.dtype, from: src, count: n, into: dst)
                }
                initialized = n
            }
        }
    }

    /// The tensor named `name` as Float32.
    public func floats(named name: String) throws -> [Float] { try floats(tensor(named: name)) }
}
