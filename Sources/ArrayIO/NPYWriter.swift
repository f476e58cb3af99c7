import Foundation
import LinearAlgebra

/// Writing `.npy` data as `numpy.save` does (NumPy format spec:
/// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
extension NPY {
    /// The bytes of a `.npy` file holding `array`.
    ///
    /// The header is `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }` padded with
    /// spaces and a final `'\n'` so that magic, version, length and header together are a
    /// multiple of 64 bytes, exactly as NumPy writes it. The format version is 1.0, or 2.0 when
    /// the padded header exceeds the 65535 bytes a 1.0 header length can express.
    /// - Parameters:
    ///   - dtype: `.float64` (lossless) or `.float32` (rounded to nearest).
    ///   - fortranOrder: write the data column-major and say so in the header. The file holds
    ///     the same logical array either way.
    public static func encode(_ array: NPYArray, dtype: NPYDType = .float64, fortranOrder: Bool = false) -> [UInt8] {
        let data = fortranOrder ? ArrayLayout.cToFortran(array.values, shape: array.shape) : array.values
        return encode(shape: array.shape, storage: data, dtype: dtype, fortranOrder: fortranOrder)
    }

    /// The bytes of a `.npy` file holding `matrix`, written in Fortran order straight from its
    /// column-major storage (no transpose); NumPy reads back the same matrix.
    public static func encode(_ matrix: Matrix, dtype: NPYDType = .float64) -> [UInt8] {
        encode(shape: [matrix.rows, matrix.columns], storage: matrix.storage, dtype: dtype, fortranOrder: true)
    }

    /// Writes `array` to `path` as a `.npy` file (see ``encode(_:dtype:fortranOrder:)``).
    ///
    /// The bytes go to a temporary file in the same directory, which is flushed to disk and then
    /// renamed over `path`, so `path` never holds a partial file.
    /// - Throws: ``ArrayIOError/writeFailed(path:detail:)``.
    public static func write(_ array: NPYArray, to path: String, dtype: NPYDType = .float64,
                             fortranOrder: Bool = false) throws {
        try AtomicFile.write(encode(array, dtype: dtype, fortranOrder: fortranOrder), to: path)
    }

    /// Writes `matrix` to `path` as a Fortran-ordered `.npy` file (see ``encode(_:dtype:)``),
    /// atomically like ``write(_:to:dtype:fortranOrder:)``.
    /// - Throws: ``ArrayIOError/writeFailed(path:detail:)``.
    public static func write(_ matrix: Matrix, to path: String, dtype: NPYDType = .float64) throws {
        try AtomicFile.write(encode(matrix, dtype: dtype), to: path)
    }

    /// The header dict as NumPy's `_write_array_header` formats it, before padding.
    static func headerDict(shape: [Int], dtype: NPYDType, fortranOrder: Bool) -> String {
        "{'descr': '\(dtype.rawValue)', 'fortran_order': \(fortranOrder ? "True" : "False"), "
            + "'shape': \(NPYArray.shapeDescription(shape)), }"
    }

    /// Magic, version, header length and padded header: the bytes before the data.
    static func preamble(shape: [Int], dtype: NPYDType, fortranOrder: Bool) -> [UInt8] {
        let dict = Array(headerDict(shape: shape, dtype: dtype, fortranOrder: fortranOrder).utf8)
        for (major, lengthBytes) in [(1, 2), (2, 4)] {
            let fixed = magic.count + 2 + lengthBytes
            let unpadded = fixed + dict.count + 1  // + '\n'
            let padding = alignment - unpadded % alignment
            let headerLength = dict.count + padding + 1
            if major == 1 && headerLength > Int(UInt16.max) { continue }
            var out = magic + [UInt8(major), 0]
            out.reserveCapacity(fixed + headerLength)
            for k in 0..<lengthBytes { out.append(UInt8(truncatingIfNeeded: headerLength >> (8 * k))) }
            out += dict
            out += [UInt8](repeating: 0x20, count: padding)
            out.append(0x0A)
            return out
        }
        preconditionFailure("a header longer than 4 GiB cannot be written")
    }

    static func encode(shape: [Int], storage: [Double], dtype: NPYDType, fortranOrder: Bool) -> [UInt8] {
        var bytes = preamble(shape: shape, dtype: dtype, fortranOrder: fortranOrder)
        let start = bytes.count
        bytes += [UInt8](repeating: 0, count: storage.count * dtype.itemSize)
        bytes.withUnsafeMutableBytes { out in
            storage.withUnsafeBufferPointer { values in
                switch dtype {
                case .float64:
                    for (i, x) in values.enumerated() {
                        out.storeBytes(of: x.bitPattern.littleEndian, toByteOffset: start + 8 * i, as: UInt64.self)
                    }
                case .float32:
                    for (i, x) in values.enumerated() {
                        out.storeBytes(of: Float(x).bitPattern.littleEndian, toByteOffset: start + 4 * i, as: UInt32.self)
                    }
                }
            }
        }
        return bytes
    }
}
