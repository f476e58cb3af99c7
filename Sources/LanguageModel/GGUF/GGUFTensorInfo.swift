/// One entry of the GGUF tensor-info table: name, dimensions, ggml type, offset of its data.
///
/// GGUF lists dimensions fastest-varying first: `[in, out]` is a matrix of `out` rows of `in` contiguous
/// values (y = W x). `rowLength` is `dimensions[0]`, `rowCount` the product of the others (1 for a vector).
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    /// Dimensions as stored (ne[0] first), 1 to 4 of them, each ≥ 1.
    public let dimensions: [Int]
    public let type: GGMLType
    /// Byte offset of the data relative to the data section (a multiple of the file's alignment).
    public let relativeOffset: Int
    /// Absolute byte offset of the data in the file.
    public let offset: Int

    /// Total number of values.
    public var elementCount: Int { rowLength * rowCount }
    /// Values per row, `dimensions[0]`.
    public var rowLength: Int { dimensions[0] }
    /// Number of rows, the product of `dimensions[1...]`.
    public var rowCount: Int { dimensions.dropFirst().reduce(1, *) }
    /// Bytes per row: rowLength / blockSize · typeSize.
    public var rowByteCount: Int { rowLength / type.blockSize * type.typeSize }
    /// Bytes of the whole tensor.
    public var byteCount: Int { rowByteCount * rowCount }
}
