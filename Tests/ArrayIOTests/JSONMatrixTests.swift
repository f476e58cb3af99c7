import ArrayIO
import LinearAlgebra
import Testing

@Suite("JSON matrices")
struct JSONMatrixTests {
    @Test func matricesVectorsAndScalars() throws {
        #expect(try JSONMatrix.parse("[[-1,2],[-2,-1]]") == .matrix(try Matrix([[-1, 2], [-2, -1]])))
        #expect(try JSONMatrix.parse(" [ [ 1.5 , -2e-3 ] ,\n\t[ 3E2, 0 ] ] ") == .matrix(try Matrix([[1.5, -0.002], [300, 0]])))
        #expect(try JSONMatrix.parse("[[1, 2, 3]]") == .matrix(try Matrix([[1, 2, 3]])))
        #expect(try JSONMatrix.parse("[[1], [2]]") == .matrix(try Matrix([[1], [2]])))
        #expect(try JSONMatrix.parse("0.5") == .scalar(0.5))
        #expect(try JSONMatrix.parse("-3e-2") == .scalar(-0.03))
        #expect(try JSONMatrix.parse(".5") == .scalar(0.5))   // lenient forms a person types
        #expect(try JSONMatrix.parse("+1") == .scalar(1))
        #expect(try JSONMatrix.parse("[1, 2]") == .vector([1, 2]))
        #expect(try JSONMatrix.parse("[]") == .vector([]))
        #expect(try JSONMatrix.parse("[[]]") == .matrix(Matrix(rows: 1, columns: 0)))
        #expect(try JSONMatrix.parseMatrix("[[1,2],[3,4]]") == Matrix([[1, 2], [3, 4]]))
        #expect(try JSONMatrix.parse("\u{FEFF}[1]") == .vector([1]))  // byte-order mark
    }

    @Test func higherRanksParseAsArraysButAreNotMatrices() throws {
        let a = try JSONMatrix.parseArray("[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]")
        #expect(a == (try NPYArray(shape: [2, 2, 2], values: [1, 2, 3, 4, 5, 6, 7, 8])))
        let e = arrayIOError { try JSONMatrix.parse("[[[1]]]") }
        #expect(e == .wrongRank(expected: "a scalar, vector or matrix (rank ≤ 2)", shape: [1, 1, 1]))
        #expect(arrayIOError { try JSONMatrix.parseMatrix("[1, 2]") } == .wrongRank(expected: "a matrix (rank 2)", shape: [2]))
        #expect(arrayIOError { try JSONMatrix.parseMatrix("7") }?.caseName == "wrongRank")
        let deep = String(repeating: "[", count: 65) + "1" + String(repeating: "]", count: 65)
        #expect(arrayIOError { try JSONMatrix.parseArray(deep) }?.caseName == "malformedJSON")
        let ok = String(repeating: "[", count: 64) + "1" + String(repeating: "]", count: 64)
        #expect(try JSONMatrix.parseArray(ok).rank == 64)
        // Deep nesting cannot exhaust the stack.
        #expect(arrayIOError { try JSONMatrix.parseArray(String(repeating: "[", count: 100_000)) }?.caseName == "malformedJSON")
    }

    @Test func nonFiniteTokensParseSoThatCallersCanRejectThem() throws {
        let value = try JSONMatrix.parse("[[NaN, Infinity], [-Infinity, 1]]")
        guard case let .matrix(m) = value else { Issue.record("not a matrix: \(value)"); return }
        #expect(m[0, 0].isNaN && m[0, 1] == .infinity && m[1, 0] == -.infinity && m[1, 1] == 1)
        #expect(!value.isFinite)
        let e = arrayIOError { try value.requireFinite("--drift") }
        #expect(e == .nonFinite(detail: "--drift: entry [0][0] is NaN"))
        #expect(e?.description == "non-finite value (NaN or ±Infinity) not allowed: --drift: entry [0][0] is NaN")
        #expect(arrayIOError { try JSONMatrix.parse("[1, 2, -Infinity]").requireFinite() } == .nonFinite(detail: "entry [2] is -Infinity"))
        #expect(arrayIOError { try JSONMatrix.parse("Infinity").requireFinite() } == .nonFinite(detail: "the value is Infinity"))
        try JSONMatrix.parse("[[1, 2], [3, 4]]").requireFinite("x")
        #expect(try JSONMatrix.parse("1e400") == .scalar(.infinity))  // overflow, also caught by requireFinite
    }

    @Test func raggedLists() throws {
        let e = arrayIOError { try JSONMatrix.parse("[[1, 2], [3]]") }
        #expect(e == .raggedJSON(detail: "row 1 has 1 entries, row 0 has 2"))
        #expect(arrayIOError { try JSONMatrix.parse("[[1, 2], 3]") }?.caseName == "raggedJSON")
        #expect(arrayIOError { try JSONMatrix.parse("[1, [2]]") }?.caseName == "raggedJSON")
        #expect(arrayIOError { try JSONMatrix.parse("[[], [1]]") }?.caseName == "raggedJSON")
        #expect(arrayIOError { try JSONMatrix.parseArray("[[[1], [2]], [[3], [4, 5]]]") }?.caseName == "raggedJSON")
    }

    @Test func nonNumericEntries() throws {
        for (text, detail) in [("[\"1\", 2]", "a string at offset 1"), ("[[1, null]]", "null at offset 5"),
                               ("[true]", "true at offset 1"), ("false", "false at offset 0"),
                               ("[{\"a\": 1}]", "an object at offset 1")] {
            #expect(arrayIOError { try JSONMatrix.parse(text) } == .nonNumericJSON(detail: detail), "\(text)")
        }
    }

    @Test(arguments: ["", "   \n", "[", "[1,", "[1 2]", "[1,]", "[,1]", "]", "1 2", "[1] x", "1.2.3", "--1", "0x10",
                      "1e", "nan", "inf", "-Inf", "NaNa", "[1]]", "1abc", "@", "\u{0}", "[1\u{0}]"])
    func malformedText(text: String) throws {
        #expect(arrayIOError { try JSONMatrix.parse(text) }?.caseName == "malformedJSON", "\(text)")
    }

    @Test func emptyInputSaysSo() throws {
        #expect(arrayIOError { try JSONMatrix.parse(" ") } == .malformedJSON(detail: "empty input"))
    }

    @Test func encodeWritesRowsThatParseBackExactly() throws {
        let m = try Matrix([[1, 2], [3, 4]])
        #expect(JSONMatrix.encode(m) == "[[1.0, 2.0], [3.0, 4.0]]")
        #expect(JSONMatrix.encode([0.5, -0.0]) == "[0.5, -0.0]")
        #expect(JSONMatrix.encode(.scalar(.nan)) == "NaN")
        #expect(JSONMatrix.encode(.vector([.infinity, -.infinity])) == "[Infinity, -Infinity]")
        var rng = SplitMix64(seed: 7)
        for _ in 0..<20 {
            let rows = Int.random(in: 1...4, using: &rng), columns = Int.random(in: 1...4, using: &rng)
            let values = (0..<(rows * columns)).map { _ in
                Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng))
            }.map { $0.isFinite ? $0 : 0.1 }
            let r = try Matrix(rows: rows, columns: columns, rowMajor: values)
            #expect(try JSONMatrix.parseMatrix(JSONMatrix.encode(r)) == r)
        }
        let special = try Matrix([[.nan, .infinity], [-.infinity, .leastNonzeroMagnitude]])
        let back = try JSONMatrix.parseMatrix(JSONMatrix.encode(special))
        #expect(bitwiseEqual(back.storage, special.storage))
        // A 1×0 matrix encodes as "[[]]" and parses back to the same shape.
        #expect(try JSONMatrix.parseMatrix(JSONMatrix.encode(Matrix(rows: 1, columns: 0))) == Matrix(rows: 1, columns: 0))
    }
}
