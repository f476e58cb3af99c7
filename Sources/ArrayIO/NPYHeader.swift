/// The preamble of a `.npy` file: version, header dict and where the data starts.
///
/// See the NumPy format spec (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html),
/// sections "Format Version 1.0", "2.0" and "3.0". Every length is bounds-checked against the
/// buffer before use, so any byte sequence either parses or throws.
struct NPYHeader {
    var major: Int
    var minor: Int
    var descr: String
    var elementType: NPYElementType
    var fortranOrder: Bool
    var shape: [Int]
    /// Byte offset of the first data byte.
    var dataOffset: Int
    /// `product(shape)`, checked for overflow.
    var count: Int

    /// Parses the preamble at the start of `buffer`.
    init(parsing buffer: UnsafeRawBufferPointer) throws {
        let magic = NPY.magic
        guard buffer.count >= magic.count, zip(buffer, magic).allSatisfy({ $0 == $1 }) else {
            throw ArrayIOError.badMagic(found: Array(buffer.prefix(magic.count)))
        }
        guard buffer.count >= 8 else {
            throw ArrayIOError.malformedHeader(detail: "the file ends before the version bytes")
        }
        major = Int(buffer[6])
        minor = Int(buffer[7])
        guard minor == 0, (1...3).contains(major) else {
            throw ArrayIOError.unsupportedVersion(major: major, minor: minor)
        }
        let lengthBytes = major == 1 ? 2 : 4
        guard buffer.count >= 8 + lengthBytes else {
            throw ArrayIOError.malformedHeader(detail: "the file ends before the header length")
        }
        var headerLength = 0
        for k in (0..<lengthBytes).reversed() {  // little-endian, at most 32 bits: no overflow
            headerLength = headerLength << 8 | Int(buffer[8 + k])
        }
        let headerStart = 8 + lengthBytes
        guard headerLength <= buffer.count - headerStart else {
            throw ArrayIOError.malformedHeader(
                detail: "the header announces \(headerLength) bytes but the file has only \(buffer.count - headerStart) after the preamble")
        }
        dataOffset = headerStart + headerLength
        let text = Array(buffer[headerStart..<dataOffset])
        let literal = try PythonLiteral.parse(text, utf8: major >= 3)
        (descr, elementType, fortranOrder, shape) = try Self.interpret(literal)
        count = try NPYArray.elementCount(of: shape)
    }

    /// Checks the dict's keys and value types, as `numpy.lib.format.read_array_header_*` does.
    private static func interpret(_ literal: PythonLiteral) throws
        -> (String, NPYElementType, Bool, [Int])
    {
        guard case let .dict(pairs) = literal else {
            throw ArrayIOError.malformedHeader(detail: "the header is not a dict: \(ArrayIOError.clip(literal.repr, limit: 60))")
        }
        var descrValue: PythonLiteral?, fortranValue: PythonLiteral?, shapeValue: PythonLiteral?
        for (key, value) in pairs {
            switch key {
            case .string("descr"): descrValue = value
            case .string("fortran_order"): fortranValue = value
            case .string("shape"): shapeValue = value
            default:
                throw ArrayIOError.malformedHeader(
                    detail: "unexpected key \(ArrayIOError.clip(key.repr, limit: 40)) (allowed: 'descr', 'fortran_order', 'shape')")
            }
        }
        guard let descrValue else { throw ArrayIOError.malformedHeader(detail: "missing key 'descr'") }
        guard let fortranValue else { throw ArrayIOError.malformedHeader(detail: "missing key 'fortran_order'") }
        guard let shapeValue else { throw ArrayIOError.malformedHeader(detail: "missing key 'shape'") }

        guard case let .bool(fortran) = fortranValue else {
            throw ArrayIOError.malformedHeader(
                detail: "'fortran_order' is \(ArrayIOError.clip(fortranValue.repr, limit: 40)), not True or False")
        }
        guard case let .tuple(items) = shapeValue else {
            throw ArrayIOError.malformedHeader(
                detail: "'shape' is \(ArrayIOError.clip(shapeValue.repr, limit: 40)), not a tuple of integers")
        }
        var shape: [Int] = []
        shape.reserveCapacity(items.count)
        for item in items {
            guard case let .integer(d) = item else {
                throw ArrayIOError.malformedHeader(
                    detail: "'shape' holds \(ArrayIOError.clip(item.repr, limit: 40)), not an integer")
            }
            shape.append(d)
        }
        guard case let .string(descr) = descrValue else {
            throw ArrayIOError.unsupportedDType(descr: descrValue.repr)
        }
        guard let type = NPYElementType(descr: descr) else {
            throw ArrayIOError.unsupportedDType(descr: descr)
        }
        return (descr, type, fortran, shape)
    }
}
