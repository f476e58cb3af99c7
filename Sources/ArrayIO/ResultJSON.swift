import Foundation

/// The JSON text of a result, honest about its numbers: pretty-printed with sorted keys, every
/// non-finite number written as `null`, and a top-level `"warnings"` array (strings) that names each
/// such field — `"grid.details.circulation is not finite (nan)"` — after any warnings the computation
/// itself raised. Without warnings there is no `"warnings"` key, so clean results keep their form.
///
/// JSON has no NaN or infinity; `null` is what every reader (Python's `json`, `jq`, NumPy with
/// `dtype=float`, which reads it as NaN) accepts, and the warning keeps the reason visible.
/// Paths join object keys with `.` and write array elements as `[i]`; a bare top-level number is `value`.
/// A top-level value that is not an object (an array, a number) cannot carry the array; its warnings
/// are still returned in ``warnings`` for the caller to print.
///
/// A top-level object also carries a `"provenance"` object (``Provenance``: version, commit, command line,
/// seed, Δt, units) when one is given or set process-wide (``Provenance/current``). Both added keys sit
/// beside the value's own keys; the value's keys and numbers are written exactly as without them.
public struct ResultJSON {
    /// The JSON text with a final newline.
    public let text: String
    /// The computation's warnings followed by one per non-finite number, in key order.
    public let warnings: [String]

    /// - Parameters:
    ///   - warnings: warnings raised by the computation, listed first.
    ///   - provenance: written as the top-level `"provenance"` object; `nil` writes none. Default: the
    ///     process's ``Provenance/current``.
    /// - Throws: the encoder's error for a value that cannot be encoded.
    public init<T: Encodable>(_ value: T, warnings: [String] = [], provenance: Provenance? = Provenance.current) throws {
        let data = try Self.encoder().encode(value)
        // Only a text holding a marker is parsed and rewritten (the common, finite result skips both: they cost
        // more than the encoding).
        let hasMarker = Self.containsMarker(data)
        var found: [(path: String, kind: String)] = []
        if hasMarker, let tree = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) {
            Self.collectNonFinite(tree, path: "", into: &found)
        }
        let nonFinite = Self.summarize(found)
        let all = warnings + nonFinite
        var encoded = data
        if Self.isObject(data), !all.isEmpty || provenance != nil {
            encoded = try Self.encoder().encode(WithExtras(value: value, warnings: all.isEmpty ? nil : all, provenance: provenance))
        }
        var text = String(decoding: encoded, as: UTF8.self)
        if hasMarker {
            for (marker, _) in Self.markers { text = text.replacingOccurrences(of: "\"\(marker)\"", with: "null") }
        }
        self.text = text + "\n"
        self.warnings = all
    }

    /// Reads back a value written by ``ResultJSON`` (or ``ResultFile/writeJSON(_:warnings:to:)``): every
    /// `null` is read as NaN (the writer's only source of `null`: Swift's synthesized coding omits `nil`),
    /// and the `"warnings"` key is ignored unless `T` has such a property.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: markers[1].0, negativeInfinity: markers[2].0, nan: markers[0].0)
        return try decoder.decode(type, from: Data(nullsAsNaNMarkers(Array(data))))
    }

    /// `bytes` with every `null` token outside a string replaced by the NaN marker string.
    static func nullsAsNaNMarkers(_ bytes: [UInt8]) -> [UInt8] {
        let null = Array("null".utf8), marker = Array("\"\(markers[0].0)\"".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var inString = false, escaped = false, i = 0
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: "n"), bytes[i...].starts(with: null) {
                out.append(contentsOf: marker)
                i += null.count
                continue
            }
            out.append(b)
            i += 1
        }
        return out
    }

    /// Whether the encoded text holds a non-finite marker (their common prefix, ``markerPrefix``).
    static func containsMarker(_ data: Data) -> Bool {
        data.range(of: Data(markerPrefix)) != nil
    }

    /// Whether the encoded value is a JSON object (its first non-blank byte is `{`).
    static func isObject(_ data: Data) -> Bool {
        data.first { !(" \n\r\t".utf8.contains($0)) } == UInt8(ascii: "{")
    }

    /// The bytes every marker starts with.
    static let markerPrefix = Array("@paththermo-nonfinite:".utf8)

    /// The strings the encoder writes for non-finite numbers before they become `null`.
    static let markers: [(String, String)] = [
        ("@paththermo-nonfinite:nan@", "nan"),
        ("@paththermo-nonfinite:inf@", "inf"),
        ("@paththermo-nonfinite:-inf@", "-inf"),
    ]

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: markers[1].0, negativeInfinity: markers[2].0, nan: markers[0].0)
        return encoder
    }

    /// More places than this with the same path pattern and kind are named in one warning.
    static let listedPerPattern = 3

    /// One warning per non-finite number — "`path` is not finite (`kind`)" — except that a pattern (the
    /// path with its array indices written `[*]`) holding more than ``listedPerPattern`` numbers of one kind
    /// gets one line, "`pattern` is not finite in N places (`kind`; first `path`)": a grid's unused bins are
    /// NaN by design and would otherwise bury the warnings that matter. Order: first occurrence.
    static func summarize(_ found: [(path: String, kind: String)]) -> [String] {
        func pattern(_ path: String) -> String { path.replacingOccurrences(of: #"\[[0-9]+\]"#, with: "[*]", options: .regularExpression) }
        var groups: [String: [(path: String, kind: String)]] = [:], order: [String] = []
        for f in found {
            let key = pattern(f.path) + "\u{0}" + f.kind
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(f)
        }
        var out: [String] = []
        for key in order {
            let g = groups[key]!
            if g.count <= listedPerPattern {
                out += g.map { "\($0.path) is not finite (\($0.kind))" }
            } else {
                out.append("\(pattern(g[0].path)) is not finite in \(g.count) places (\(g[0].kind); first \(g[0].path))")
            }
        }
        return out
    }

    /// Appends (path, kind) for every marker string in `node`, depth-first in key order.
    static func collectNonFinite(_ node: Any, path: String, into warnings: inout [(path: String, kind: String)]) {
        if let s = node as? String, let kind = markers.first(where: { $0.0 == s })?.1 {
            warnings.append((path.isEmpty ? "value" : path, kind))
        } else if let object = node as? [String: Any] {
            for key in object.keys.sorted() {
                collectNonFinite(object[key]!, path: path.isEmpty ? key : path + "." + key, into: &warnings)
            }
        } else if let array = node as? [Any] {
            for (i, element) in array.enumerated() { collectNonFinite(element, path: path + "[\(i)]", into: &warnings) }
        }
    }

    /// `value`'s keys plus `"warnings"` and `"provenance"` (each only when given), in one object.
    struct WithExtras<T: Encodable>: Encodable {
        let value: T
        let warnings: [String]?
        let provenance: Provenance?

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            try value.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            if let warnings { try c.encode(warnings, forKey: Key(stringValue: "warnings")) }
            if let provenance { try c.encode(provenance, forKey: Key(stringValue: "provenance")) }
        }
    }
}
