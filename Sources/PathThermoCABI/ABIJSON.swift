import ArrayIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Structured results cross the ABI as the JSON document `paththermo <command> --json` prints (``ResultJSON``:
/// sorted keys, non-finite numbers as `null` named in a top-level `"warnings"` array). The library allocates the
/// NUL-terminated UTF-8 text with `malloc` and stores its address in `*jsonOut`; the caller releases it with
/// `pt_free` (include/paththermo.h). On failure `*jsonOut` is NULL.
///
/// - Throws: ``ABIArgumentError`` for a null `jsonOut`; ``ABIResultError`` when the text cannot be allocated.
func writeJSON(_ text: String, to jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) throws {
    guard let jsonOut else { throw ABIArgumentError("json_out: null output pointer") }
    jsonOut.pointee = nil
    let bytes = Array(text.utf8)
    guard let buffer = malloc(bytes.count + 1)?.assumingMemoryBound(to: CChar.self) else {
        throw ABIResultError("could not allocate \(bytes.count + 1) bytes for the JSON result")
    }
    bytes.withUnsafeBufferPointer { source in
        source.withMemoryRebound(to: CChar.self) { buffer.update(from: $0.baseAddress!, count: bytes.count) }
    }
    buffer[bytes.count] = 0
    jsonOut.pointee = buffer
}

/// Encodes `value` as the CLI's `--json` document (``ResultJSON``, with `warnings` first) and hands it to the
/// caller (``writeJSON(_:to:)``).
func writeJSON<T: Encodable>(_ value: T, warnings: [String] = [],
                             to jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) throws {
    guard jsonOut != nil else { throw ABIArgumentError("json_out: null output pointer") }
    try writeJSON(try ResultJSON(value, warnings: warnings).text, to: jsonOut)
}

/// `pt_free(pointer)`: releases a result the library allocated (a JSON text of `json_out`). NULL is a no-op.
@_cdecl("pt_free")
public func pt_free(_ pointer: UnsafeMutableRawPointer?) {
    free(pointer)
}
