/// One tensor of a safetensors header: `{"dtype": …, "shape": [...], "data_offsets": [begin, end]}`.
///
/// The data are `shape.product` little-endian elements of `dtype`, row-major (C order), at bytes
/// begin..<end of the data section (which starts right after the header: absolute offset 8 + header length).
public struct SafetensorsTensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: SafetensorsDType
    /// Dimensions, outermost first (C order); `[]` is a scalar (one element); a zero dimension is allowed.
    public let shape: [Int]
    /// begin..<end relative to the data section, as written in the header.
    public let dataOffsets: Range<Int>
    /// Absolute byte offset of the data in the file.
    public let offset: Int

    /// Number of elements, the product of `shape` (1 for a scalar); checked against overflow when the file opens.
    public var elementCount: Int { shape.reduce(1, *) }
    /// Bytes of the data, elementCount · dtype.size = dataOffsets.count.
    public var byteCount: Int { dataOffsets.count }
}
