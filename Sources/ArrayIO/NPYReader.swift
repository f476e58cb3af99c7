import Foundation
import LinearAlgebra

/// Reading `.npy` data (NumPy format spec, versions 1.0, 2.0 and 3.0:
/// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
extension NPY {
    /// Decodes the bytes of a `.npy` file.
    ///
    /// The header is validated as NumPy does (magic, version, exactly the keys `descr`,
    /// `fortran_order`, `shape`, their types); the data section must hold at least
    /// `product(shape) × itemsize` bytes (trailing bytes are ignored). Fortran-ordered data is
    /// rearranged so that the result's `values` are in C order.
    /// - Throws: ``ArrayIOError`` (`badMagic`, `unsupportedVersion`, `malformedHeader`,
    ///   `unsupportedDType`, `invalidShape`, `truncatedData`); never traps, whatever the bytes.
    public static func decode(_ bytes: [UInt8]) throws -> NPYArray {
        try bytes.withUnsafeBytes { try decode(buffer: $0) }
    }

    /// Decodes the bytes of a `.npy` file; see `decode(_:)`.
    public static func decode(_ data: Data) throws -> NPYArray {
        try data.withUnsafeBytes { try decode(buffer: $0) }
    }

    /// Reads and decodes the `.npy` file at `path`.
    /// - Throws: ``ArrayIOError/fileNotFound(path:)``, ``ArrayIOError/unreadableFile(path:detail:)``,
    ///   or a decoding error wrapped in ``ArrayIOError/inFile(path:error:)``.
    public static func read(contentsOf path: String) throws -> NPYArray {
        let data = try FileInput.contents(of: path)
        do {
            return try decode(data)
        } catch let error as ArrayIOError {
            throw ArrayIOError.inFile(path: path, error: error)
        }
    }

    /// Reads the `.npy` file at `path`, which must hold a rank-2 array, as a matrix.
    ///
    /// A Fortran-ordered file (what ``write(_:to:dtype:)`` writes) is already in `Matrix`'s
    /// column-major layout and is used as is.
    /// - Throws: what ``read(contentsOf:)`` throws, or ``ArrayIOError/wrongRank(expected:shape:)``
    ///   (wrapped in ``ArrayIOError/inFile(path:error:)``) for any other rank.
    public static func readMatrix(contentsOf path: String) throws -> Matrix {
        let data = try FileInput.contents(of: path)
        do {
            return try data.withUnsafeBytes { buffer in
                let (header, stored) = try decodeStored(buffer: buffer)
                guard header.shape.count == 2 else {
                    throw ArrayIOError.wrongRank(expected: "a matrix (rank 2)", shape: header.shape)
                }
                let (rows, columns) = (header.shape[0], header.shape[1])
                return header.fortranOrder
                    ? try Matrix(rows: rows, columns: columns, columnMajor: stored)
                    : try Matrix(rows: rows, columns: columns, rowMajor: stored)
            }
        } catch let error as ArrayIOError {
            throw ArrayIOError.inFile(path: path, error: error)
        }
    }

    static func decode(buffer: UnsafeRawBufferPointer) throws -> NPYArray {
        let (header, stored) = try decodeStored(buffer: buffer)
        let values = header.fortranOrder ? ArrayLayout.fortranToC(stored, shape: header.shape) : stored
        return NPYArray(uncheckedShape: header.shape, values: values)
    }

    /// The header and the items as `Double`s, in the order the file stores them.
    static func decodeStored(buffer: UnsafeRawBufferPointer) throws -> (NPYHeader, [Double]) {
        let header = try NPYHeader(parsing: buffer)
        let type = header.elementType
        let available = buffer.count - header.dataOffset
        let (needed, overflow) = header.count.multipliedReportingOverflow(by: type.size)
        guard !overflow else {
            throw ArrayIOError.invalidShape(
                detail: "\(NPYArray.clippedShapeDescription(header.shape)) of \(type.size)-byte items overflows")
        }
        guard needed <= available else {
            throw ArrayIOError.truncatedData(expectedBytes: needed, actualBytes: available)
        }
        var values = [Double](repeating: 0, count: header.count)
        values.withUnsafeMutableBufferPointer { out in
            var offset = header.dataOffset
            for i in 0..<out.count {
                out[i] = type.load(from: buffer, at: offset)
                offset += type.size
            }
        }
        return (header, values)
    }
}
