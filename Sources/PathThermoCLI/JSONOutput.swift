import Foundation
import LinearAlgebra

/// Writing results: one JSON object on stdout (`--json`), or aligned text for a person.
enum JSONOutput {
    /// Prints `value` as pretty, key-sorted JSON on stdout. Non-finite numbers (unused grid bins)
    /// become the strings `"nan"`, `"inf"`, `"-inf"`, as in the result files.
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}

extension Matrix {
    /// Rows as nested arrays, the JSON form of a matrix.
    var json: [[Double]] { rowArrays }
}

/// `[re, im]` pairs, the JSON form of eigenvalues.
func eigenvaluePairs(_ values: [Eigenvalue]) -> [[Double]] { values.map { [$0.real, $0.imaginary] } }

/// A number formatted for a person: `%.6g`, with −0 shown as 0.
func fmt(_ x: Double) -> String { String(format: "%.6g", x == 0 ? 0 : x) }

/// An eigenvalue formatted for a person: `-1+2i`.
func fmt(_ e: Eigenvalue) -> String {
    e.imaginary == 0 ? fmt(e.real) : "\(fmt(e.real))\(e.imaginary < 0 ? "-" : "+")\(fmt(abs(e.imaginary)))i"
}
