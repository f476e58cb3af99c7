/// The 13 metadata value types of GGUF v3 (`gguf_type` in ggml), stored as a u32 before each value.
public enum GGUFValueType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6, bool = 7
    case string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

    /// The smallest number of bytes one value of this type occupies (a string: its u64 length;
    /// an array: u32 type + u64 count). Used to reject counts that cannot fit in the file.
    var minimumSize: Int {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64, .string: return 8
        case .array: return 12
        }
    }

    public var description: String {
        switch self {
        case .uint8: "u8"
        case .int8: "i8"
        case .uint16: "u16"
        case .int16: "i16"
        case .uint32: "u32"
        case .int32: "i32"
        case .float32: "f32"
        case .bool: "bool"
        case .string: "string"
        case .array: "array"
        case .uint64: "u64"
        case .int64: "i64"
        case .float64: "f64"
        }
    }
}
