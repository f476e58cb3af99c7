/// Little-endian safetensors elements → Float32 (unaligned loads: data offsets need not be aligned).
///
/// F32 copied; F16 exactly (`Dequantization.halfToFloat`); BF16 exactly (the upper 16 bits of a binary32:
/// `Float(bitPattern: UInt32(b) << 16)`); F64 rounded to the nearest Float.
enum SafetensorsConversion {
    /// Converts `count` elements of a float dtype; other dtypes leave `destination` untouched (callers check
    /// `isFloatConvertible` first).
    static func convert(_ dtype: SafetensorsDType, from p: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>) {
        switch dtype {
        case .f32:
            for i in 0..<count {
                destination[i] = Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
        case .f16:
            for i in 0..<count {
                destination[i] = Dequantization.halfToFloat(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        case .bf16:
            for i in 0..<count {
                destination[i] = Float(bitPattern: UInt32(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16)
            }
        case .f64:
            for i in 0..<count {
                destination[i] = Float(Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
            }
        default:
            break
        }
    }
}
