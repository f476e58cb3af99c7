import ArrayIO
import Foundation
import LinearAlgebra

/// Writing results: one JSON object on stdout (`--json`), or aligned text for a person.
enum JSONOutput {
    /// Prints `value` as pretty, key-sorted JSON on stdout (``ResultJSON``): non-finite numbers become
    /// `null` and are named, after the computation's own `warnings`, in a top-level `"warnings"` array.
    static func print<T: Encodable>(_ value: T, warnings: [String] = []) throws {
        let json = try ResultJSON(value, warnings: warnings)
        FileHandle.standardOutput.write(Data(json.text.utf8))
    }

    /// The warnings the JSON form of `value` would carry: `warnings`, then one per non-finite number.
    /// A human-readable report prints them with ``printWarnings(_:)``.
    static func warnings<T: Encodable>(for value: T, warnings: [String] = []) -> [String] {
        (try? ResultJSON(value, warnings: warnings).warnings) ?? warnings
    }

    /// Prints each warning as a `warning   …` line of a human-readable report.
    static func printWarnings(_ warnings: [String]) {
        for w in warnings { Swift.print("warning    \(w)") }
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
