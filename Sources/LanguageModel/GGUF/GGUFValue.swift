/// One GGUF metadata value, typed as stored in the file.
///
/// Arrays keep their declared element type (so an empty array is still typed) and may nest.
/// The accessors convert only when the conversion is exact: `int` accepts every integer type whose value
/// fits an `Int`, `double` every float and integer, `string`/`bool` only their own type; otherwise `nil`.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
    case uint64(UInt64), int64(Int64), float32(Float), float64(Double), bool(Bool), string(String)
    case array(elementType: GGUFValueType, [GGUFValue])

    /// The stored type.
    public var type: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .uint64: .uint64
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .bool: .bool
        case .string: .string
        case .array: .array
        }
    }

    /// Any integer value that fits an `Int` exactly.
    public var int: Int? {
        switch self {
        case let .uint8(v): Int(v)
        case let .int8(v): Int(v)
        case let .uint16(v): Int(v)
        case let .int16(v): Int(v)
        case let .uint32(v): Int(v)
        case let .int32(v): Int(v)
        case let .uint64(v): Int(exactly: v)
        case let .int64(v): Int(v)
        default: nil
        }
    }

    /// A float (f32 widened exactly) or an integer converted to `Double`.
    public var double: Double? {
        switch self {
        case let .float32(v): Double(v)
        case let .float64(v): v
        default: int.map(Double.init)
        }
    }

    public var string: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    public var bool: Bool? {
        if case let .bool(b) = self { return b }
        return nil
    }

    /// The elements of an array value.
    public var array: [GGUFValue]? {
        if case let .array(_, items) = self { return items }
        return nil
    }

    /// An array of strings (the vocabulary, the merges); `nil` for any other value.
    public var stringArray: [String]? {
        guard case let .array(t, items) = self, t == .string else { return nil }
        return items.compactMap(\.string)
    }

    /// An array of integers (token types); `nil` unless every element converts exactly.
    public var intArray: [Int]? {
        guard let items = array else { return nil }
        var out = [Int](); out.reserveCapacity(items.count)
        for item in items { guard let v = item.int else { return nil }; out.append(v) }
        return out
    }

    /// An array of numbers (token scores) as `Float`; `nil` for non-numeric arrays.
    public var floatArray: [Float]? {
        guard let items = array else { return nil }
        var out = [Float](); out.reserveCapacity(items.count)
        for item in items { guard let v = item.double else { return nil }; out.append(Float(v)) }
        return out
    }
}
