/// The subset of Python literal syntax an `.npy` header uses, parsed without trusting the input.
///
/// The NumPy format spec defines the header as "an ASCII string which contains a Python literal
/// expression of a dictionary", evaluated by NumPy with `ast.literal_eval`. This parser accepts
/// dicts, tuples, lists, strings (single or double quoted, with backslash escapes), integers
/// (optionally signed, with Python 2's `L` suffix that old NumPy wrote) and `True`/`False`/
/// `None`, with Python's trailing-comma rules. Nesting is limited to ``maximumDepth`` so that
/// hostile input cannot exhaust the stack; integers that do not fit in `Int` are rejected.
enum PythonLiteral {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dict([(key: PythonLiteral, value: PythonLiteral)])

    static let maximumDepth = 16

    /// Python's `repr`, used to quote unexpected values in error messages.
    var repr: String {
        switch self {
        case let .string(s): return "'" + s + "'"
        case let .integer(i): return String(i)
        case let .bool(b): return b ? "True" : "False"
        case .none: return "None"
        case let .tuple(items):
            return items.count == 1 ? "(\(items[0].repr),)" : "(" + items.map(\.repr).joined(separator: ", ") + ")"
        case let .list(items): return "[" + items.map(\.repr).joined(separator: ", ") + "]"
        case let .dict(pairs): return "{" + pairs.map { "\($0.key.repr): \($0.value.repr)" }.joined(separator: ", ") + "}"
        }
    }

    /// Parses `text` as one literal followed only by whitespace.
    /// - Parameter utf8: decode strings as UTF-8 (format 3.0) rather than latin-1 (1.0, 2.0).
    /// - Throws: ``ArrayIOError/malformedHeader(detail:)``.
    static func parse(_ text: [UInt8], utf8: Bool) throws -> PythonLiteral {
        var parser = Parser(bytes: text, utf8: utf8)
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == text.count else {
            throw parser.error("unexpected text after the dict")
        }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        let utf8: Bool
        var position = 0

        init(bytes: [UInt8], utf8: Bool) {
            self.bytes = bytes
            self.utf8 = utf8
        }

        func error(_ what: String) -> ArrayIOError {
            .malformedHeader(detail: "\(what) at byte \(position) of the header")
        }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipWhitespace() {
            while let c = current, c == 0x20 || (0x09...0x0D).contains(c) { position += 1 }
        }

        mutating func expect(_ c: UInt8) throws {
            skipWhitespace()
            guard current == c else { throw error("expected '\(Character(Unicode.Scalar(c)))'") }
            position += 1
        }

        mutating func value(depth: Int) throws -> PythonLiteral {
            guard depth < PythonLiteral.maximumDepth else { throw error("nesting too deep") }
            skipWhitespace()
            guard let c = current else { throw error("unexpected end") }
            switch c {
            case UInt8(ascii: "{"): return try dict(depth: depth)
            case UInt8(ascii: "("): return try tupleOrParenthesized(depth: depth)
            case UInt8(ascii: "["):
                position += 1
                return .list(try sequence(until: UInt8(ascii: "]"), depth: depth).items)
            case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .integer(try integer())
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"):
                return try name()
            default:
                throw error("unexpected character \(Self.show(c))")
            }
        }

        mutating func dict(depth: Int) throws -> PythonLiteral {
            position += 1  // {
            var pairs: [(key: PythonLiteral, value: PythonLiteral)] = []
            while true {
                skipWhitespace()
                if current == UInt8(ascii: "}") { position += 1; return .dict(pairs) }
                let key = try value(depth: depth + 1)
                try expect(UInt8(ascii: ":"))
                let val = try value(depth: depth + 1)
                pairs.append((key, val))
                skipWhitespace()
                if current == UInt8(ascii: ",") { position += 1; continue }
                try expect(UInt8(ascii: "}"))
                return .dict(pairs)
            }
        }

        /// `()`, `(x,)`, `(x, y, …)` are tuples; `(x)` is just `x`, as in Python.
        mutating func tupleOrParenthesized(depth: Int) throws -> PythonLiteral {
            position += 1  // (
            let (items, sawComma) = try sequence(until: UInt8(ascii: ")"), depth: depth)
            if items.count == 1 && !sawComma { return items[0] }
            return .tuple(items)
        }

        /// Comma-separated values up to `close`, a trailing comma allowed.
        mutating func sequence(until close: UInt8, depth: Int) throws -> (items: [PythonLiteral], sawComma: Bool) {
            var items: [PythonLiteral] = []
            var sawComma = false
            while true {
                skipWhitespace()
                if current == close { position += 1; return (items, sawComma) }
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                if current == UInt8(ascii: ",") { position += 1; sawComma = true; continue }
                try expect(close)
                return (items, sawComma)
            }
        }

        mutating func string() throws -> String {
            let quote = bytes[position]
            position += 1
            var raw: [UInt8] = []
            while true {
                guard let c = current else { throw error("unterminated string") }
                position += 1
                if c == quote { break }
                if c == 0x0A { throw error("line break inside a string") }
                if c == UInt8(ascii: "\\") {
                    guard let e = current else { throw error("unterminated string") }
                    position += 1
                    switch e {
                    case UInt8(ascii: "n"): raw.append(0x0A)
                    case UInt8(ascii: "t"): raw.append(0x09)
                    case UInt8(ascii: "r"): raw.append(0x0D)
                    case UInt8(ascii: "0"): raw.append(0x00)
                    case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): raw.append(e)
                    default: raw.append(contentsOf: [UInt8(ascii: "\\"), e])
                    }
                    continue
                }
                raw.append(c)
            }
            if utf8 {
                guard let s = String(validating: raw, as: UTF8.self) else {
                    throw error("string is not valid UTF-8")
                }
                return s
            }
            return String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) }))  // latin-1
        }

        mutating func integer() throws -> Int {
            var negative = false
            if current == UInt8(ascii: "-") || current == UInt8(ascii: "+") {
                negative = current == UInt8(ascii: "-")
                position += 1
                skipWhitespace()  // Python allows "- 3"
            }
            guard let first = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
                throw error("expected digits")
            }
            var magnitude = 0
            while let c = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) {
                let (m1, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (m2, o2) = m1.addingReportingOverflow(Int(c - UInt8(ascii: "0")))
                guard !o1, !o2 else { throw error("integer too large") }
                magnitude = m2
                position += 1
            }
            if current == UInt8(ascii: "L") || current == UInt8(ascii: "l") { position += 1 }
            if let c = current, Self.isNameByte(c) || c == UInt8(ascii: ".") {
                throw error("expected an integer")
            }
            return negative ? -magnitude : magnitude
        }

        mutating func name() throws -> PythonLiteral {
            let start = position
            while let c = current, Self.isNameByte(c) { position += 1 }
            switch String(decoding: bytes[start..<position], as: UTF8.self) {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .none
            case let other:
                position = start
                throw error("unexpected name '\(ArrayIOError.clip(other, limit: 40))'")
            }
        }

        static func isNameByte(_ c: UInt8) -> Bool {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || c == UInt8(ascii: "_")
        }

        static func show(_ c: UInt8) -> String {
            (0x21...0x7E).contains(c) ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x" + String(c, radix: 16)
        }
    }
}
