import ArrayIO
import Foundation
import Testing

/// A `.npy` file with an arbitrary header text (not padded), for malformed-input tests.
func npyBytes(header: String, major: UInt8 = 1, minor: UInt8 = 0, data: [UInt8] = []) -> [UInt8] {
    let h = Array(header.utf8)
    var out = NPY.magic + [major, minor]
    if major == 1 {
        out += [UInt8(h.count & 0xFF), UInt8(h.count >> 8 & 0xFF)]
    } else {
        out += (0..<4).map { UInt8(h.count >> (8 * $0) & 0xFF) }
    }
    return out + h + data
}

/// Little-endian bytes of float64 values.
func float64Bytes(_ values: [Double]) -> [UInt8] {
    values.flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * $0)) } }
}

@Suite("NPY errors")
struct NPYErrorTests {
    @Test func badMagic() throws {
        let e = arrayIOError { try NPY.decode(Array("PK\u{3}\u{4}rest of a zip file".utf8)) }
        #expect(e == .badMagic(found: [0x50, 0x4B, 0x03, 0x04, 0x72, 0x65]))
        #expect(e?.description == "not a NumPy .npy file (expected magic \\x93NUMPY, found bytes 50 4b 03 04 72 65)")
        #expect(arrayIOError { try NPY.decode([UInt8]()) } == .badMagic(found: []))
        #expect(arrayIOError { try NPY.decode(Array(NPY.magic.prefix(5))) }?.caseName == "badMagic")
        // Lower-case "numpy" is not the magic.
        #expect(arrayIOError { try NPY.decode([0x93] + Array("numpy".utf8) + [1, 0, 0, 0]) }?.caseName == "badMagic")
    }

    @Test func unsupportedVersions() throws {
        let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (), }"
        #expect(arrayIOError { try NPY.decode(npyBytes(header: header, major: 9)) } == .unsupportedVersion(major: 9, minor: 0))
        #expect(arrayIOError { try NPY.decode(npyBytes(header: header, major: 0)) } == .unsupportedVersion(major: 0, minor: 0))
        #expect(arrayIOError { try NPY.decode(npyBytes(header: header, major: 1, minor: 1)) } == .unsupportedVersion(major: 1, minor: 1))
        #expect(arrayIOError { try NPY.decode(npyBytes(header: header, major: 9)) }?.description
            == "unsupported .npy format version 9.0 (supported: 1.0, 2.0, 3.0)")
        // The same header is fine in every defined version.
        for major: UInt8 in 1...3 {
            #expect(try NPY.decode(npyBytes(header: header, major: major, data: float64Bytes([7]))) == NPYArray(scalar: 7))
        }
    }

    @Test func headerLiteralsAreParsedLikePython() throws {
        let data = float64Bytes([1, 2, 3, 4, 5, 6])
        let expected = try NPYArray(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        for header in [
            "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f8'}",           // any key order
            "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2,3,),}\n",  // double quotes, trailing commas
            "  {'descr':'<f8','fortran_order':False,'shape':(2L, 3L)}   \n",        // Python 2 longs, spaces
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }" + String(repeating: " ", count: 200) + "\n",
        ] {
            #expect(try NPY.decode(npyBytes(header: header, data: data)) == expected, "\(header)")
        }
        // Fortran order (column-major data) in a hand-written header.
        let f = npyBytes(header: "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3)}", data: float64Bytes([1, 4, 2, 5, 3, 6]))
        #expect(try NPY.decode(f) == expected)
        // Byte-order markers: '=' and '|' and none mean native (little-endian here); '>' means big.
        for descr in ["=f8", "|f8", "f8"] {
            let h = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (2, 3)}"
            #expect(try NPY.decode(npyBytes(header: h, data: data)) == expected, "\(descr)")
        }
        let big = npyBytes(header: "{'descr': '>f8', 'fortran_order': False, 'shape': (1,)}", data: float64Bytes([1]).reversed())
        #expect(try NPY.decode(big) == NPYArray(vector: [1]))
        // Extra data after the array is ignored, as NumPy does.
        #expect(try NPY.decode(npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)}", data: data + [9, 9])) == expected)
    }

    @Test(arguments: [
        ("{'descr': '<f8', 'fortran_order': False}", "missing key 'shape'"),
        ("{'shape': (2,), 'fortran_order': False}", "missing key 'descr'"),
        ("{'descr': '<f8', 'shape': (2,)}", "missing key 'fortran_order'"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'extra': 1}", "unexpected key 'extra'"),
        ("{'descr': '<f8', 'fortran_order': 0, 'shape': (2,)}", "'fortran_order' is 0"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': [2]}", "'shape' is [2], not a tuple"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2)}", "'shape' is 2, not a tuple"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': ('2',)}", "'shape' holds '2'"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2.5,)}", "expected an integer"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999999,)}", "integer too large"),
        ("{'descr': '<f8', 'fortran_order': false, 'shape': (2,)}", "unexpected name 'false'"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)", "expected '}'"),
        ("{'descr': '<f8, 'fortran_order': False, 'shape': (2,)}", "expected '}' at byte 17"),
        ("{'descr' 1, 'fortran_order': False, 'shape': (2,)}", "expected ':'"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)} junk", "unexpected text after the dict"),
        ("('descr', '<f8')", "not a dict"),
        ("", "unexpected end"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': " + String(repeating: "(", count: 40), "nesting too deep"),
    ])
    func malformedHeaders(header: String, expectedDetail: String) throws {
        let e = arrayIOError { try NPY.decode(npyBytes(header: header, data: float64Bytes([1, 2]))) }
        #expect(e?.caseName == "malformedHeader")
        #expect(e?.description.contains(expectedDetail) == true, "\(String(describing: e))")
    }

    @Test func headerLengthBeyondTheFile() throws {
        var bytes = npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': ()}")
        bytes[8] = 0xFF; bytes[9] = 0xFF
        let e = arrayIOError { try NPY.decode(bytes) }
        #expect(e?.caseName == "malformedHeader")
        #expect(e?.description.contains("announces 65535 bytes") == true)
        // Version 2: a 4-byte length near 4 GiB.
        #expect(arrayIOError { try NPY.decode(NPY.magic + [2, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x7B]) }?.caseName == "malformedHeader")
        #expect(arrayIOError { try NPY.decode(NPY.magic + [1]) }?.caseName == "malformedHeader")
        #expect(arrayIOError { try NPY.decode(NPY.magic + [1, 0, 5]) }?.caseName == "malformedHeader")
    }

    @Test(arguments: ["<c16", "|O", "<f16", "<M8[ns]", "|S5", "<U3", "<f3", "<i16", "<q", "float64", "", "<", "<f+8", "<f 8"])
    func unsupportedDTypes(descr: String) throws {
        let header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (1,)}"
        let e = arrayIOError { try NPY.decode(npyBytes(header: header, data: [UInt8](repeating: 0, count: 32))) }
        #expect(e == .unsupportedDType(descr: descr))
    }

    @Test func structuredDTypeIsReportedByItsRepr() throws {
        let header = "{'descr': [('x', '<f8'), ('y', '<i4')], 'fortran_order': False, 'shape': (1,)}"
        let e = arrayIOError { try NPY.decode(npyBytes(header: header, data: [UInt8](repeating: 0, count: 12))) }
        #expect(e == .unsupportedDType(descr: "[('x', '<f8'), ('y', '<i4')]"))
    }

    @Test func truncatedData() throws {
        let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)}"
        let e = arrayIOError { try NPY.decode(npyBytes(header: header, data: float64Bytes([1, 2, 3, 4, 5]))) }
        #expect(e == .truncatedData(expectedBytes: 48, actualBytes: 40))
        #expect(e?.description == "truncated .npy data: the header announces 48 bytes of data, the file has 40")
        let f4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,)}"
        #expect(arrayIOError { try NPY.decode(npyBytes(header: f4, data: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])) }
            == .truncatedData(expectedBytes: 12, actualBytes: 11))
        // Every strict prefix of a valid file fails.
        let valid = NPY.encode(NPYArray(vector: [1, 2, 3]))
        for n in 0..<valid.count {
            #expect(throws: ArrayIOError.self) { try NPY.decode(Array(valid.prefix(n))) }
        }
    }

    @Test func negativeAndAbsurdShapes() throws {
        func decode(_ shape: String, descr: String = "<f8") -> ArrayIOError? {
            arrayIOError { try NPY.decode(npyBytes(header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape)}", data: float64Bytes([1, 2, 3]))) }
        }
        #expect(decode("(-1,)")?.caseName == "invalidShape")
        #expect(decode("(2, -3)")?.description.contains("negative dimension -3") == true)
        #expect(decode("(4294967296, 4294967296)")?.caseName == "invalidShape")                   // count overflows
        #expect(decode("(1152921504606846976,)")?.caseName == "invalidShape")                      // bytes overflow (2^60 × 8)
        #expect(decode("(9223372036854775807,)", descr: "|u1") == .truncatedData(expectedBytes: Int.max, actualBytes: 24))
        #expect(decode("(1000000,)") == .truncatedData(expectedBytes: 8_000_000, actualBytes: 24))
        // A zero dimension makes the array empty, whatever the others.
    }

    @Test func aZeroDimensionMakesAnEmptyArrayWhateverTheOthers() throws {
        let header = "{'descr': '<f8', 'fortran_order': True, 'shape': (0, 9223372036854775807, 9223372036854775807)}"
        let a = try NPY.decode(npyBytes(header: header))
        #expect(a.shape == [0, Int.max, Int.max])
        #expect(a.values.isEmpty)
    }

    @Test func readingFilesThatAreMissingOrNotFiles() throws {
        let missing = "/nonexistent/dir/m.npy"
        let e = arrayIOError { try NPY.read(contentsOf: missing) }
        #expect(e == .fileNotFound(path: missing))
        #expect(e?.description == "no such file: /nonexistent/dir/m.npy")
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        #expect(arrayIOError { try NPY.read(contentsOf: dir.path) }?.caseName == "unreadableFile")
        // Errors inside a file name it.
        let bad = dir.file("bad.npy")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: bad))
        let inside = arrayIOError { try NPY.read(contentsOf: bad) }
        #expect(inside == .inFile(path: bad, error: .badMagic(found: Array("hello".utf8))))
        #expect(inside?.path == bad)
        #expect(inside?.description.hasPrefix("\(bad): not a NumPy .npy file") == true)
        let rank1 = dir.file("v.npy")
        try NPY.write(NPYArray(vector: [1, 2]), to: rank1)
        #expect(arrayIOError { try NPY.readMatrix(contentsOf: rank1) }
            == .inFile(path: rank1, error: .wrongRank(expected: "a matrix (rank 2)", shape: [2])))
    }
}
