/// Conversion of ggml tensor data to Float32, block by block along a row (32 values per quantized block).
///
/// Block layouts (little-endian, `d`/`m` are IEEE half floats, `qs[j]` byte j of the nibble array):
/// - F32: 4-byte floats. F16: 2-byte halves, widened exactly.
/// - Q8_0, 34 B: d, 32 × i8 q → x[j] = q[j]·d.
/// - Q4_0, 18 B: d, qs[16] → x[j] = ((qs[j] & 0xF) − 8)·d, x[j+16] = ((qs[j] >> 4) − 8)·d.
/// - Q4_1, 20 B: d, m, qs[16] → x[j] = (qs[j] & 0xF)·d + m, x[j+16] = (qs[j] >> 4)·d + m.
/// - Q5_0, 22 B: d, u32 qh, qs[16] → the fifth bit of value i is bit i of qh:
///   x[j] = ((qs[j] & 0xF) | bit_j(qh)·16 − 16)·d, x[j+16] = ((qs[j] >> 4) | bit_{j+16}(qh)·16 − 16)·d.
/// - Q5_1, 24 B: d, m, u32 qh, qs[16] → as Q5_0 without the −16, then ·d + m.
/// (ggml `dequantize_row_q*`; gguf-py `gguf.quants`.) Products and sums are separate Float32 operations
/// (no fused multiply-add), exactly as ggml's reference C and NumPy compute them, so results are bit-identical.
public enum Dequantization {
    /// Converts `count` values of `type` starting at `source` into `destination`.
    /// `count` must be a multiple of the type's block size; the caller guarantees the source extent
    /// (`count / blockSize · typeSize` bytes) and destination room.
    /// Throws `unsupported` for types without a dequantizer, `invalidArgument` for a partial block.
    public static func dequantize(_ type: GGMLType, from source: UnsafeRawPointer, count: Int,
                                  into destination: UnsafeMutablePointer<Float>) throws {
        guard type.isDequantizable else {
            throw LanguageModelError.unsupported("dequantization of ggml type \(type)")
        }
        guard count >= 0, count % type.blockSize == 0 else {
            throw LanguageModelError.invalidArgument("\(count) values are not whole \(type) blocks of \(type.blockSize)")
        }
        let blocks = count / type.blockSize
        switch type {
        case .f32:
            UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: count * 4)
            #if _endian(big)
            for i in 0..<count { destination[i] = Float(bitPattern: UInt32(littleEndian: destination[i].bitPattern)) }
            #endif
        case .f16:
            for i in 0..<count { destination[i] = half(source, i * 2) }
        case .q8_0: q8_0(source, blocks, destination)
        case .q4_0: q4_0(source, blocks, destination)
        case .q4_1: q4_1(source, blocks, destination)
        case .q5_0: q5_0(source, blocks, destination)
        case .q5_1: q5_1(source, blocks, destination)
        default:
            throw LanguageModelError.unsupported("dequantization of ggml type \(type)")
        }
    }

    /// IEEE 754 binary16 → binary32, exact (subnormals, infinities and NaN payloads included).
    @inline(__always)
    public static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = UInt32(h >> 10) & 0x1F
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
        if exponent == 0 {
            // zero or subnormal: mantissa · 2^-24, exact in Float32
            let magnitude = Float(mantissa) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        halfToFloat(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    static func q8_0(_ src: UnsafeRawPointer, _ blocks: Int, _ dst: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = src + b * 34
            let d = half(block, 0)
            let out = dst + b * 32
            for j in 0..<32 { out[j] = Float(block.load(fromByteOffset: 2 + j, as: Int8.self)) * d }
        }
    }

    static func q4_0(_ src: UnsafeRawPointer, _ blocks: Int, _ dst: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = src + b * 18
            let d = half(block, 0)
            let out = dst + b * 32
            for j in 0..<16 {
                let q = block.load(fromByteOffset: 2 + j, as: UInt8.self)
                out[j] = Float(Int32(q & 0x0F) - 8) * d
                out[j + 16] = Float(Int32(q >> 4) - 8) * d
            }
        }
    }

    static func q4_1(_ src: UnsafeRawPointer, _ blocks: Int, _ dst: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = src + b * 20
            let d = half(block, 0), m = half(block, 2)
            let out = dst + b * 32
            for j in 0..<16 {
                let q = block.load(fromByteOffset: 4 + j, as: UInt8.self)
                out[j] = Float(q & 0x0F) * d + m
                out[j + 16] = Float(q >> 4) * d + m
            }
        }
    }

    static func q5_0(_ src: UnsafeRawPointer, _ blocks: Int, _ dst: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = src + b * 22
            let d = half(block, 0)
            let qh = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
            let out = dst + b * 32
            for j in 0..<16 {
                let q = UInt32(block.load(fromByteOffset: 6 + j, as: UInt8.self))
                let h0 = ((qh >> UInt32(j)) << 4) & 0x10
                let h1 = (qh >> UInt32(j + 12)) & 0x10
                out[j] = Float(Int32((q & 0x0F) | h0) - 16) * d
                out[j + 16] = Float(Int32((q >> 4) | h1) - 16) * d
            }
        }
    }

    static func q5_1(_ src: UnsafeRawPointer, _ blocks: Int, _ dst: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = src + b * 24
            let d = half(block, 0), m = half(block, 2)
            let qh = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            let out = dst + b * 32
            for j in 0..<16 {
                let q = UInt32(block.load(fromByteOffset: 8 + j, as: UInt8.self))
                let h0 = ((qh >> UInt32(j)) << 4) & 0x10
                let h1 = (qh >> UInt32(j + 12)) & 0x10
                out[j] = Float((q & 0x0F) | h0) * d + m
                out[j + 16] = Float((q >> 4) | h1) * d + m
            }
        }
    }
}
