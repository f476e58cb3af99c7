import Foundation

/// The JSON header of a safetensors file, decoded but not yet validated:
///
///     {"__metadata__": {"k": "v", …}?, "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, …}
///
/// `SafetensorsFile` checks the entries (dtype known, shape and offsets non-negative, offsets contiguous).
struct SafetensorsHeader: Decodable {
    struct Entry: Decodable {
        let dtype: String
        let shape: [Int]
        let data_offsets: [Int]
    }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }

    /// Tensor entries (in no particular order: JSON objects are unordered).
    var entries: [(name: String, entry: Entry)] = []
    /// The optional string-to-string `__metadata__` object.
    var metadata: [String: String] = [:]

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        for key in c.allKeys {
            if key.stringValue == "__metadata__" {
                metadata = try c.decode([String: String].self, forKey: key)
            } else {
                entries.append((key.stringValue, try c.decode(Entry.self, forKey: key)))
            }
        }
    }

    /// Decodes the header bytes; any JSON or structure error becomes a one-line `malformedFile`.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> SafetensorsHeader {
        // The format requires a JSON object; checking the first byte also rejects "[…]" and scalars early.
        guard bytes.first == UInt8(ascii: "{") else {
            throw LanguageModelError.malformedFile("safetensors header does not start with '{'")
        }
        do {
            return try JSONDecoder().decode(SafetensorsHeader.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw LanguageModelError.malformedFile("safetensors header: \(Self.describe(error))")
        } catch {
            throw LanguageModelError.malformedFile("safetensors header is not valid JSON")
        }
    }

    /// A short one-line description of a decoding error (the coding path and what was wrong).
    private static func describe(_ error: DecodingError) -> String {
        func path(_ p: [CodingKey]) -> String {
            p.isEmpty ? "top level" : "'" + p.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") + "'"
        }
        switch error {
        case let .keyNotFound(key, ctx): return "entry \(path(ctx.codingPath)) lacks '\(key.stringValue)'"
        case let .typeMismatch(_, ctx): return "\(path(ctx.codingPath)) has the wrong type"
        case let .valueNotFound(_, ctx): return "\(path(ctx.codingPath)) is null"
        case let .dataCorrupted(ctx):
            return ctx.codingPath.isEmpty ? "not valid JSON" : "\(path(ctx.codingPath)) is not a valid value"
        @unknown default: return "not valid JSON"
        }
    }
}
