import Foundation

/// Where a matrix-valued command-line option gets its value: the option's text itself or a file.
///
/// The argument (trimmed of surrounding whitespace) is read by the first rule that applies:
/// 1. **An existing file ending in `.npy` or `.json`** (case-insensitive) is read as such: `.npy`
///    with ``NPY/read(contentsOf:)`` (rank 0, 1 and 2 arrays become a scalar, vector and matrix),
///    `.json` parsed as a JSON literal. So `./A.npy`, `2x2_drift.npy` and `.hidden.json` are files,
///    whatever their first character.
/// 2. **A JSON literal**, recognised by parsing it (see ``JSONMatrix``): `[[-1,2],[-2,-1]]`,
///    `0.5`, `.25`, `-1`, `[1,2]`, `NaN`, `Infinity`. A JSON literal is never an existing `.npy` or
///    `.json` path, so rules 1 and 2 cannot both apply.
/// 3. Anything else is an error: an existing directory ("it is a directory"), an existing file of
///    another type (``ArrayIOError/unsupportedSource(argument:)``), text that starts like a
///    literal (`[`, a sign, a point or a digit) and is built only of the characters of one (brackets,
///    commas, whitespace, digits, `+-.eE`) but does not parse (the JSON error, e.g. a ragged list
///    or `1e`), and otherwise a missing path (``ArrayIOError/fileNotFound(path:)``:
///    "no such file: ./A.npy").
public enum MatrixSource {
    /// The value the argument denotes.
    /// - Parameter requireFinite: also reject NaN and ±Infinity (which are parsed by default so
    ///   that the caller can decide and say so clearly).
    /// - Throws: ``ArrayIOError``: JSON errors for a literal; ``ArrayIOError/fileNotFound(path:)``
    ///   for a missing file; ``ArrayIOError/unreadableFile(path:detail:)`` for a directory; errors
    ///   inside a file wrapped in ``ArrayIOError/inFile(path:error:)``;
    ///   ``ArrayIOError/unsupportedSource(argument:)`` for an existing file of another type;
    ///   ``ArrayIOError/nonFinite(detail:)`` when `requireFinite` is set and an entry is not finite.
    public static func load(_ argument: String, requireFinite: Bool = false) throws -> JSONNumericValue {
        let trimmed = argument.trimmingCharacters(in: .whitespacesAndNewlines)
        switch classify(trimmed) {
        case .file(let kind):
            let value = try read(path: trimmed, kind: kind)
            if requireFinite {
                do { try value.requireFinite() } catch let error as ArrayIOError {
                    throw ArrayIOError.inFile(path: trimmed, error: error)
                }
            }
            return value
        case .literal(let parsed):
            let value = try parsed.get()
            if requireFinite { try value.requireFinite() }
            return value
        }
    }

    /// The file types ``load(_:requireFinite:)`` reads.
    enum FileKind { case npy, json }

    /// What the (trimmed) argument denotes, after the rules in the type's documentation.
    enum Source {
        case file(FileKind)
        /// The parsed literal, or the error to report for it (a JSON error or a missing file).
        case literal(Result<JSONNumericValue, ArrayIOError>)
    }

    static func classify(_ trimmed: String) -> Source {
        var isDirectory: ObjCBool = false
        let exists = !trimmed.isEmpty && FileManager.default.fileExists(atPath: trimmed, isDirectory: &isDirectory)
        let kind = fileKind(trimmed)
        if exists, !isDirectory.boolValue, let kind { return .file(kind) }
        let parsed = Result { try JSONMatrix.parse(trimmed) }.mapError { $0 as? ArrayIOError ?? .malformedJSON(detail: "\($0)") }
        if case .success = parsed { return .literal(parsed) }
        if exists {
            return .literal(.failure(isDirectory.boolValue
                ? .unreadableFile(path: trimmed, detail: "it is a directory")
                : .unsupportedSource(argument: trimmed)))
        }
        if trimmed.isEmpty || (kind == nil && looksLikeLiteral(trimmed)) { return .literal(parsed) }
        return .literal(.failure(.fileNotFound(path: trimmed)))
    }

    /// The type of `path` by its extension: what follows the last `.` of its last `/`-separated
    /// component, when that `.` is not the component's first character (`.json` alone is a name).
    /// Computed by hand: `NSString.pathExtension` of swift-corelibs-foundation traps on some paths
    /// with non-ASCII characters after slashes (`//é`, found by `scripts/fuzz.sh json`).
    static func fileKind(_ path: String) -> FileKind? {
        guard let name = path.split(separator: "/").last, let dot = name.lastIndex(of: "."),
              dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "npy": return .npy
        case "json": return .json
        default: return nil
        }
    }

    /// Whether the text, which does not parse, was meant as a literal: it starts like one and
    /// holds only the characters of numbers and lists (so `2x2_drift`, `./A` and `abc` do not).
    public static func looksLikeLiteral(_ trimmed: String) -> Bool {
        guard let first = trimmed.unicodeScalars.first, "[-+.0123456789".unicodeScalars.contains(first) else {
            return false
        }
        return trimmed.unicodeScalars.allSatisfy { "[]{},+-.eE0123456789 \t\r\n".unicodeScalars.contains($0) }
    }

    static func read(path: String, kind: FileKind) throws -> JSONNumericValue {
        do {
            switch kind {
            case .npy: return try JSONNumericValue(NPY.read(contentsOf: path))
            case .json: return try JSONNumericValue(JSONMatrix.parseArray(utf8: Array(FileInput.contents(of: path))))
            }
        } catch let error as ArrayIOError {
            switch error {
            case .fileNotFound, .unreadableFile, .inFile: throw error
            default: throw ArrayIOError.inFile(path: path, error: error)
            }
        }
    }
}
