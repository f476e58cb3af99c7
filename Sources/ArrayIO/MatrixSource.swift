import Foundation

/// Where a matrix-valued command-line option gets its value: the option's text itself or a file.
///
/// - A JSON literal when the trimmed argument starts with `[`, `-`, `+`, `.` or a digit, or is
///   `NaN` / `Infinity`: `[[-1,2],[-2,-1]]`, `0.5`, `[1,2]` (see ``JSONMatrix``).
/// - Otherwise a path: `*.npy` is read with ``NPY/read(contentsOf:)`` (rank 0, 1 and 2 arrays
///   become a scalar, vector and matrix), `*.json` is read and parsed as a JSON literal. The
///   extension is matched case-insensitively.
public enum MatrixSource {
    /// The value the argument denotes.
    /// - Parameter requireFinite: also reject NaN and ±Infinity (which are parsed by default so
    ///   that the caller can decide and say so clearly).
    /// - Throws: ``ArrayIOError``: JSON errors for a literal; ``ArrayIOError/fileNotFound(path:)``
    ///   for a missing file; errors inside a file wrapped in ``ArrayIOError/inFile(path:error:)``;
    ///   ``ArrayIOError/unsupportedSource(argument:)`` for any other extension;
    ///   ``ArrayIOError/nonFinite(detail:)`` when `requireFinite` is set and an entry is not finite.
    public static func load(_ argument: String, requireFinite: Bool = false) throws -> JSONNumericValue {
        let trimmed = argument.trimmingCharacters(in: .whitespacesAndNewlines)
        let value: JSONNumericValue
        if isLiteral(trimmed) {
            value = try JSONMatrix.parse(trimmed)
            if requireFinite { try value.requireFinite() }
            return value
        }
        let path = trimmed
        do {
            switch (path as NSString).pathExtension.lowercased() {
            case "npy":
                value = try JSONNumericValue(NPY.read(contentsOf: path))
            case "json":
                value = try JSONNumericValue(JSONMatrix.parseArray(utf8: Array(FileInput.contents(of: path))))
            default:
                throw ArrayIOError.unsupportedSource(argument: trimmed)
            }
            if requireFinite { try value.requireFinite() }
        } catch let error as ArrayIOError {
            switch error {
            case .fileNotFound, .unreadableFile, .unsupportedSource, .inFile: throw error
            default: throw ArrayIOError.inFile(path: path, error: error)
            }
        }
        return value
    }

    /// Whether the (trimmed) argument is JSON text rather than a path.
    public static func isLiteral(_ trimmed: String) -> Bool {
        guard let first = trimmed.unicodeScalars.first else { return true }  // empty: a malformed literal
        if "[-+.".unicodeScalars.contains(first) || ("0"..."9").contains(first) { return true }
        return trimmed == "NaN" || trimmed == "Infinity"
    }
}
