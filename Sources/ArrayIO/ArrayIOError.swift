#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything that can go wrong reading or writing arrays, as a value.
///
/// No routine in `ArrayIO` traps on malformed input: every byte sequence handed to `NPY.decode(_:)`
/// and every string handed to ``JSONMatrix`` either decodes or throws one of these cases.
/// `description` is one readable line, suitable for a command-line error message; errors raised
/// while reading a file are wrapped in ``inFile(path:error:)`` so that the message names the file.
public enum ArrayIOError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file exists at `path`.
    case fileNotFound(path: String)
    /// The file exists but could not be read (a directory, no permission, an I/O error).
    case unreadableFile(path: String, detail: String)
    /// The argument names an existing file that is neither `.npy` nor `.json`, and is not a JSON
    /// literal either (see ``MatrixSource``).
    case unsupportedSource(argument: String)
    /// The bytes do not start with the `.npy` magic string `\x93NUMPY` (NumPy format spec,
    /// "Format Version 1.0"); `found` holds the first (at most six) bytes.
    case badMagic(found: [UInt8])
    /// The `.npy` version is not 1.0, 2.0 or 3.0, the versions the NumPy format spec defines.
    case unsupportedVersion(major: Int, minor: Int)
    /// The `.npy` header is not the Python dict literal the spec requires, lacks a key, has an
    /// extra key, or a value of the wrong type.
    case malformedHeader(detail: String)
    /// The `.npy` `descr` names a data type this reader does not convert to `Double`
    /// (complex, object, strings, datetimes, structured types, `float128`, …). `descr` is the
    /// header's string (`"<c16"`), or the Python repr of a non-string descr (a structured dtype).
    case unsupportedDType(descr: String)
    /// The `.npy` data section is shorter than `product(shape) × itemsize`.
    case truncatedData(expectedBytes: Int, actualBytes: Int)
    /// A shape with a negative dimension, an element count that overflows `Int`, or a value
    /// count that does not fill the shape.
    case invalidShape(detail: String)
    /// The array has the wrong number of dimensions for the requested use, e.g. a matrix was
    /// required and the array has shape `(2, 2, 2)`. `expected` reads like "a matrix (rank 2)".
    case wrongRank(expected: String, shape: [Int])
    /// The text is not a JSON number or (nested) list of numbers: a syntax error, empty input,
    /// trailing characters, or nesting deeper than ``JSONMatrix/maximumDepth``.
    case malformedJSON(detail: String)
    /// The JSON lists do not form a rectangular array (rows of different lengths, or numbers
    /// mixed with lists at one level).
    case raggedJSON(detail: String)
    /// A JSON entry is a string, `null`, `true`, `false` or an object, not a number.
    case nonNumericJSON(detail: String)
    /// NaN or ±Infinity where only finite values are allowed.
    case nonFinite(detail: String)
    /// Writing `path` failed; nothing was written there (writes go to a temporary file first).
    case writeFailed(path: String, detail: String)
    /// `error` occurred while reading the file at `path`.
    indirect case inFile(path: String, error: ArrayIOError)

    /// The error without any ``inFile(path:error:)`` wrapping: use it to match on the kind of
    /// problem regardless of where it came from.
    public var underlying: ArrayIOError {
        if case let .inFile(_, error) = self { return error.underlying }
        return self
    }

    /// The file the error concerns, when one is known.
    public var path: String? {
        switch self {
        case let .fileNotFound(path), let .unreadableFile(path, _), let .writeFailed(path, _),
             let .inFile(path, _):
            return path
        default:
            return nil
        }
    }

    /// One line, with control characters from the input escaped (``PrintableText/escaped(_:)``),
    /// so that bytes from a damaged file never reach the terminal raw.
    public var description: String {
        PrintableText.escaped(rawDescription)
    }

    private var rawDescription: String {
        switch self {
        case let .fileNotFound(path):
            return "no such file: \(path)"
        case let .unreadableFile(path, detail):
            return "cannot read \(path): \(detail)"
        case let .unsupportedSource(argument):
            return "'\(Self.clip(argument))' is neither a JSON literal nor a path ending in .npy or .json"
        case let .badMagic(found):
            if found.isEmpty { return "not a NumPy .npy file (it is empty)" }
            let hex = found.map { byte in
                let h = String(byte, radix: 16)
                return h.count == 1 ? "0" + h : h
            }.joined(separator: " ")
            return "not a NumPy .npy file (expected magic \\x93NUMPY, found bytes \(hex))"
        case let .unsupportedVersion(major, minor):
            return "unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)"
        case let .malformedHeader(detail):
            return "malformed .npy header: \(Self.clip(detail))"
        case let .unsupportedDType(descr):
            return "unsupported .npy dtype '\(Self.clip(descr))' "
                + "(supported: float64, float32, float16, integers, bool)"
        case let .truncatedData(expected, actual):
            return "truncated .npy data: the header announces \(expected) bytes of data, the file has \(actual)"
        case let .invalidShape(detail):
            return "invalid array shape: \(detail)"
        case let .wrongRank(expected, shape):
            return "expected \(expected), got an array of shape \(NPYArray.clippedShapeDescription(shape))"
        case let .malformedJSON(detail):
            return "malformed JSON: \(detail)"
        case let .raggedJSON(detail):
            return "ragged JSON array: \(detail)"
        case let .nonNumericJSON(detail):
            return "non-numeric JSON entry: \(detail)"
        case let .nonFinite(detail):
            return "non-finite value (NaN or ±Infinity) not allowed: \(detail)"
        case let .writeFailed(path, detail):
            return "cannot write \(path): \(detail)"
        case let .inFile(path, error):
            return "\(path): \(error.rawDescription)"
        }
    }

    /// Long input echoed in a message is cut to keep the message one readable line; control
    /// characters are escaped first, so that the cut never splits an escape.
    static func clip(_ text: String, limit: Int = 120) -> String {
        PrintableText.clipped(text, limit: limit)
    }
}

extension ArrayIOError: LocalizedError {
    /// The one-line ``description``, so that `localizedDescription` reads the message, not
    /// "The operation could not be completed".
    public var errorDescription: String? { description }
}
