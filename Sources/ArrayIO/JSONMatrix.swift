import LinearAlgebra

/// Numbers and nested lists of numbers in JSON (RFC 8259) text: `0.5`, `[1, 2]`,
/// `[[-1, 2], [-2, -1]]`.
///
/// A small recursive-descent parser rather than `JSONSerialization`, for three reasons: it also
/// accepts the tokens `NaN`, `Infinity` and `-Infinity` that Python's `json.dumps` writes (so a
/// caller can reject non-finite input with a clear message instead of a syntax error), it
/// reports exactly what is wrong and where, and its behaviour is the same on every platform.
///
/// Accepted: JSON whitespace; numbers in JSON syntax and the slightly looser forms a person types
/// on a command line (`.5`, `5.`, `+1`, `1E3`); lists nested up to ``maximumDepth``; a UTF-8
/// byte-order mark. Strings, `null`, `true`, `false` and objects are reported as non-numeric
/// entries; lists must be rectangular (every element of a list has the same shape), like the
/// arrays `numpy.array` builds.
public enum JSONMatrix {
    /// Deeper nesting is rejected before parsing further, so hostile input cannot exhaust the stack.
    public static let maximumDepth = 64

    /// The text as a scalar, vector or matrix.
    /// - Throws: ``ArrayIOError/malformedJSON(detail:)``, ``ArrayIOError/raggedJSON(detail:)``,
    ///   ``ArrayIOError/nonNumericJSON(detail:)``, or ``ArrayIOError/wrongRank(expected:shape:)``
    ///   for lists nested three or more deep.
    public static func parse(_ text: String) throws -> JSONNumericValue {
        try JSONNumericValue(parseArray(text))
    }

    /// The text as a matrix (a list of equal-length rows).
    /// - Throws: as ``parse(_:)``, and ``ArrayIOError/wrongRank(expected:shape:)`` for a scalar or
    ///   a flat list.
    public static func parseMatrix(_ text: String) throws -> Matrix {
        try parseArray(text).toMatrix()
    }

    /// The text as an array of any rank (≤ ``maximumDepth``): a number has shape `()`, `[1, 2]`
    /// has `(2,)`, `[[1], [2]]` has `(2, 1)`, `[]` has `(0,)` and `[[]]` has `(1, 0)`.
    public static func parseArray(_ text: String) throws -> NPYArray {
        try parseArray(utf8: Array(text.utf8))
    }

    /// ``parseArray(_:)`` over UTF-8 bytes (the contents of a `.json` file).
    public static func parseArray(utf8 bytes: [UInt8]) throws -> NPYArray {
        var parser = JSONArrayParser(bytes: bytes)
        return try parser.parseDocument()
    }

    /// A matrix as JSON rows: `[[1.0, 2.0], [3.0, 4.0]]`, the inverse of ``parseMatrix(_:)``.
    /// Non-finite entries are written `NaN`, `Infinity`, `-Infinity`, as Python does.
    public static func encode(_ matrix: Matrix) -> String {
        "[" + matrix.rowArrays.map(encode).joined(separator: ", ") + "]"
    }

    /// A list of numbers: `[1.0, 2.5]`.
    public static func encode(_ values: [Double]) -> String {
        "[" + values.map(format).joined(separator: ", ") + "]"
    }

    /// A scalar, vector or matrix in the JSON form ``parse(_:)`` reads.
    public static func encode(_ value: JSONNumericValue) -> String {
        switch value {
        case let .scalar(x): return format(x)
        case let .vector(v): return encode(v)
        case let .matrix(m): return encode(m)
        }
    }

    /// One number: the shortest text that reads back as the same `Double`.
    static func format(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
        return "\(x)"
    }
}

/// The recursive-descent parser behind ``JSONMatrix``: it appends numbers to `values` in document
/// order (which is C order) and checks that sibling lists have equal shapes.
struct JSONArrayParser {
    let bytes: [UInt8]
    var position = 0
    var values: [Double] = []

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }  // UTF-8 byte-order mark
    }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func parseDocument() throws -> NPYArray {
        skipWhitespace()
        guard current != nil else { throw ArrayIOError.malformedJSON(detail: "empty input") }
        let shape = try value(depth: 0)
        skipWhitespace()
        guard position == bytes.count else {
            throw ArrayIOError.malformedJSON(detail: "unexpected \(describeCurrent()) after the value at offset \(position)")
        }
        return try NPYArray(shape: shape, values: values)
    }

    mutating func skipWhitespace() {
        while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { position += 1 }
    }

    /// Parses one value, appending its numbers; returns its shape.
    mutating func value(depth: Int) throws -> [Int] {
        skipWhitespace()
        guard let c = current else {
            throw ArrayIOError.malformedJSON(detail: "unexpected end of input at offset \(position)")
        }
        switch c {
        case UInt8(ascii: "["):
            return try list(depth: depth)
        case UInt8(ascii: "\""):
            throw ArrayIOError.nonNumericJSON(detail: "a string at offset \(position)")
        case UInt8(ascii: "{"):
            throw ArrayIOError.nonNumericJSON(detail: "an object at offset \(position)")
        default:
            values.append(try number())
            return []
        }
    }

    mutating func list(depth: Int) throws -> [Int] {
        guard depth < JSONMatrix.maximumDepth else {
            throw ArrayIOError.malformedJSON(detail: "lists nested deeper than \(JSONMatrix.maximumDepth) levels")
        }
        let start = position
        position += 1  // [
        skipWhitespace()
        if current == UInt8(ascii: "]") { position += 1; return [0] }
        var elementShape: [Int]?
        var count = 0
        while true {
            let elementStart = position
            let shape = try value(depth: depth + 1)
            if let first = elementShape, first != shape {
                throw ArrayIOError.raggedJSON(detail: Self.raggedDetail(
                    index: count, shape: shape, firstShape: first, listOffset: start, elementOffset: elementStart,
                    topLevel: depth == 0))
            }
            elementShape = shape
            count += 1
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "]"):
                position += 1
                return [count] + (elementShape ?? [])
            case nil:
                throw ArrayIOError.malformedJSON(detail: "unterminated list starting at offset \(start)")
            default:
                throw ArrayIOError.malformedJSON(detail: "expected ',' or ']' at offset \(position), found \(describeCurrent())")
            }
        }
    }

    static func raggedDetail(index: Int, shape: [Int], firstShape: [Int], listOffset: Int,
                             elementOffset: Int, topLevel: Bool) -> String {
        if topLevel, shape.count == 1, firstShape.count == 1 {
            return "row \(index) has \(shape[0]) entries, row 0 has \(firstShape[0])"
        }
        func kind(_ s: [Int]) -> String {
            s.isEmpty ? "a number" : "a list of shape \(NPYArray.clippedShapeDescription(s))"
        }
        return "element \(index) (offset \(elementOffset)) of the list at offset \(listOffset) is \(kind(shape)), "
            + "element 0 is \(kind(firstShape))"
    }

    /// A number, `NaN`, `Infinity` or `-Infinity`; other words are non-numeric or malformed.
    mutating func number() throws -> Double {
        let start = position
        if matchWord("NaN") { return .nan }
        if matchWord("Infinity") || matchWord("+Infinity") { return .infinity }
        if matchWord("-Infinity") { return -.infinity }
        if let c = current, Self.isLetter(c) {
            var end = position
            while end < bytes.count, Self.isLetter(bytes[end]) { end += 1 }
            let word = String(decoding: bytes[position..<end], as: UTF8.self)
            if ["null", "true", "false"].contains(word) {
                throw ArrayIOError.nonNumericJSON(detail: "\(word) at offset \(start)")
            }
            throw ArrayIOError.malformedJSON(detail: "unexpected '\(ArrayIOError.clip(word, limit: 40))' at offset \(start)")
        }
        while let c = current, Self.isNumberByte(c) { position += 1 }
        guard position > start else {
            throw ArrayIOError.malformedJSON(detail: "unexpected \(describeCurrent()) at offset \(start)")
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let x = Double(text) else {
            throw ArrayIOError.malformedJSON(detail: "invalid number '\(ArrayIOError.clip(text, limit: 40))' at offset \(start)")
        }
        if let c = current, Self.isLetter(c) {
            throw ArrayIOError.malformedJSON(detail: "invalid number at offset \(start): unexpected \(describeCurrent())")
        }
        return x
    }

    /// Consumes `word` if it is next and not followed by a letter or digit.
    mutating func matchWord(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard bytes.count - position >= w.count, bytes[position..<position + w.count].elementsEqual(w) else { return false }
        let end = position + w.count
        if end < bytes.count, Self.isLetter(bytes[end]) || Self.isNumberByte(bytes[end]) { return false }
        position = end
        return true
    }

    static func isLetter(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c)
            || c == UInt8(ascii: "_")
    }

    /// Characters a number may contain: digits, sign, point, exponent marker.
    static func isNumberByte(_ c: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
            || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
    }

    func describeCurrent() -> String {
        guard let c = current else { return "end of input" }
        if (0x21...0x7E).contains(c) { return "'\(Character(Unicode.Scalar(c)))'" }
        return "byte 0x" + String(c, radix: 16)
    }
}
