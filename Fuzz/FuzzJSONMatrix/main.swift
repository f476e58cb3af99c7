// libFuzzer target: the JSON-matrix parser (ArrayIO/JSONMatrix) as the CLI reaches it — a matrix option's
// literal text (`MatrixSource.load`, only for text that does not end in `.npy`/`.json`, so never a file) and a
// `*.json` file (`JSONMatrix.parseArray(utf8:)`) — and the same bytes as the header dictionary of a `.npy`
// file, which goes through ArrayIO/PythonLiteral. A finite value must survive encode → parse unchanged.
import ArrayIO
import Foundation
import FuzzSupport
import LinearAlgebra

runFuzzer { data, size in testOneInput(data, size) }

/// libFuzzer's callback, also under its conventional C name (which libFuzzer's own `main` references).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(fuzzBytes(data, size))
    return 0
}

func fuzz(_ bytes: [UInt8]) {

    // A `*.json` matrix file.
    expectingErrors { _ = try JSONMatrix.parseArray(utf8: bytes) }

    // A command-line argument: a C string (no NUL). `MatrixSource.load` opens an existing file only when the
    // text ends in `.npy` or `.json` (which a JSON literal never does); such text is skipped, so no file is
    // read and every other text goes through the literal / missing-path rules.
    if !bytes.contains(0) {
        let argument = String(decoding: bytes, as: UTF8.self)
        let trimmed = argument.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = MatrixSource.looksLikeLiteral(trimmed)
        let lower = trimmed.lowercased()
        if !lower.hasSuffix(".npy") && !lower.hasSuffix(".json") {
            expectingErrors { _ = try MatrixSource.load(argument, requireFinite: true) }
            expectingErrors {
                let value = try MatrixSource.load(argument)
                roundTrip(value)
            }
        }
    }

    // The same text as the header of a version-1.0 `.npy` file (a Python dict literal), followed by data.
    var header = bytes
    header.append(0x0A)
    if header.count <= Int(UInt16.max) {
        var npy: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)]
        npy += header
        npy += [UInt8](repeating: 0, count: 64)
        expectingErrors { _ = try NPY.decode(npy) }
    }
}

/// `JSONMatrix.encode` of a finite value parses back to the same value (NaN/±Inf: the encoding is not JSON).
func roundTrip(_ value: JSONNumericValue) {
    let finite: Bool
    switch value {
    case .scalar(let x): finite = x.isFinite
    case .vector(let v): finite = v.allSatisfy(\.isFinite)
    case .matrix(let m): finite = m.rows == 0 || m.columns == 0 || (0..<m.rows).allSatisfy { i in (0..<m.columns).allSatisfy { m[i, $0].isFinite } }
    }
    guard finite else { return }
    let text = JSONMatrix.encode(value)
    do {
        let back = try JSONMatrix.parse(text)
        if back != value { fatalError("encode/parse round trip changed \(value) into \(back) via \(text)") }
    } catch {
        fatalError("the encoding \(text.debugDescription) of a parsed value does not parse: \(error)")
    }
}
