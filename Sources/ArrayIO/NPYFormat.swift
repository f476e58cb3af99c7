/// Reading and writing NumPy `.npy` files.
///
/// The format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
///
/// 1. the magic string `\x93NUMPY` (6 bytes);
/// 2. the format version, one unsigned byte each for major and minor: 1.0, 2.0 or 3.0;
/// 3. the header length `HEADER_LEN`: little-endian `uint16` in version 1.0, `uint32` in 2.0
///    and 3.0;
/// 4. the header: a Python dict literal with exactly the keys `'descr'` (a dtype string such as
///    `'<f8'`), `'fortran_order'` (`True`/`False`) and `'shape'` (a tuple of ints), padded with
///    spaces and terminated by `'\n'` so that the data starts at a multiple of 64 bytes. It is
///    latin-1 text in versions 1.0 and 2.0 and UTF-8 in 3.0;
/// 5. the data: `product(shape)` items in C order, or in Fortran (column-major) order when
///    `fortran_order` is `True`.
///
/// The reader (`decode(_:)`, ``read(contentsOf:)``) accepts all three versions
/// and the numeric dtypes listed at ``NPYDType``; the writer (``encode(_:dtype:fortranOrder:)``,
/// ``write(_:to:dtype:fortranOrder:)``) emits what `numpy.save` emits.
public enum NPY {
    /// The six magic bytes every `.npy` file starts with: `\x93NUMPY`.
    public static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// NumPy aligns the start of the data to this many bytes (`numpy.lib.format.ARRAY_ALIGN`).
    static let alignment = 64
}

/// The element types the writer can emit, both little-endian IEEE 754 (`'<f8'`, `'<f4'`).
///
/// The reader accepts more (see ``NPY``): `f8`, `f4`, `f2`, `i1`…`i8`, `u1`…`u8` and `b1`, in
/// either byte order.
public enum NPYDType: String, Sendable, CaseIterable {
    /// IEEE 754 binary64, NumPy `float64`, descr `'<f8'`. Lossless.
    case float64 = "<f8"
    /// IEEE 754 binary32, NumPy `float32`, descr `'<f4'`. Values are rounded to nearest; values
    /// beyond the float32 range become ±Infinity.
    case float32 = "<f4"

    /// Bytes per item.
    var itemSize: Int { self == .float64 ? 8 : 4 }
}

/// An element type the reader understands, parsed from a header's `descr`.
///
/// A descr is an optional byte-order character (`<` little, `>` big, `=` native, `|` not
/// applicable) followed by a kind character and the item size in bytes (NumPy's `dtype.str`).
/// `=`, `|` and no marker all mean the byte order of this machine, which is how NumPy reads them.
struct NPYElementType: Equatable {
    enum Kind: Equatable { case float, signed, unsigned, bool }

    let kind: Kind
    let size: Int
    let bigEndian: Bool

    /// Parses a descr string, or returns `nil` for anything this reader does not support.
    init?(descr: String) {
        var chars = Substring(descr)
        var big = NPYElementType.hostIsBigEndian
        switch chars.first {
        case "<": big = false; chars = chars.dropFirst()
        case ">": big = true; chars = chars.dropFirst()
        case "=", "|": chars = chars.dropFirst()
        default: break
        }
        guard let kindChar = chars.first, let size = Int(chars.dropFirst()),
              chars.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        let kind: Kind
        switch (kindChar, size) {
        case ("f", 2), ("f", 4), ("f", 8): kind = .float
        case ("i", 1), ("i", 2), ("i", 4), ("i", 8): kind = .signed
        case ("u", 1), ("u", 2), ("u", 4), ("u", 8): kind = .unsigned
        case ("b", 1): kind = .bool
        default: return nil
        }
        self.kind = kind
        self.size = size
        self.bigEndian = big
    }

    static var hostIsBigEndian: Bool { 1.bigEndian == 1 }

    /// The item at `offset` (bounds already checked by the caller) as a `Double`. 64-bit integers
    /// beyond ±2⁵³ are rounded to the nearest `Double`.
    func load(from buffer: UnsafeRawBufferPointer, at offset: Int) -> Double {
        switch size {
        case 1:
            let b = buffer[offset]
            switch kind {
            case .signed: return Double(Int8(bitPattern: b))
            case .bool: return b == 0 ? 0 : 1
            default: return Double(b)
            }
        case 2:
            let raw = buffer.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
            let bits = bigEndian ? UInt16(bigEndian: raw) : UInt16(littleEndian: raw)
            switch kind {
            case .float: return Self.halfToDouble(bits)
            case .signed: return Double(Int16(bitPattern: bits))
            default: return Double(bits)
            }
        case 4:
            let raw = buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
            let bits = bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw)
            switch kind {
            case .float: return Double(Float(bitPattern: bits))
            case .signed: return Double(Int32(bitPattern: bits))
            default: return Double(bits)
            }
        default:
            let raw = buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            let bits = bigEndian ? UInt64(bigEndian: raw) : UInt64(littleEndian: raw)
            switch kind {
            case .float: return Double(bitPattern: bits)
            case .signed: return Double(Int64(bitPattern: bits))
            default: return Double(bits)
            }
        }
    }

    /// IEEE 754 binary16 → binary64, exact (every half value is a double).
    static func halfToDouble(_ h: UInt16) -> Double {
        let sign: Double = (h & 0x8000) != 0 ? -1 : 1
        let exponent = Int((h >> 10) & 0x1F)
        let fraction = Double(h & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24                        // zero, subnormal
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
