@testable import ArrayIO
import LinearAlgebra
import Testing

@Suite("NPYArray")
struct NPYArrayTests {
    @Test func shapeAndCountAreChecked() throws {
        let a = try NPYArray(shape: [2, 3], values: [0, 1, 2, 3, 4, 5])
        #expect(a.count == 6)
        #expect(a.rank == 2)
        #expect(try NPYArray(shape: [], values: [7]).count == 1)
        #expect(try NPYArray(shape: [0, 5], values: []).count == 0)

        #expect(arrayIOError { try NPYArray(shape: [2, 3], values: [1, 2]) }?.caseName == "invalidShape")
        #expect(arrayIOError { try NPYArray(shape: [], values: []) }?.caseName == "invalidShape")
        #expect(arrayIOError { try NPYArray(shape: [-1, 3], values: []) }?.caseName == "invalidShape")
        #expect(arrayIOError { try NPYArray(shape: [1 << 40, 1 << 40], values: []) }?.caseName == "invalidShape")
    }

    @Test func matrixConversionKeepsElementPositions() throws {
        let m = try Matrix([[1, 2, 3], [4, 5, 6]])
        let a = NPYArray(m)
        #expect(a.shape == [2, 3])
        #expect(a.values == [1, 2, 3, 4, 5, 6])  // C order, not the column-major storage
        #expect(try a.toMatrix() == m)
        #expect(try NPYArray(shape: [0, 4], values: []).toMatrix() == Matrix(rows: 0, columns: 4))
    }

    @Test func onlyRankTwoConvertsToAMatrix() throws {
        let vector = arrayIOError { try NPYArray(vector: [1, 2, 3]).toMatrix() }
        #expect(vector == .wrongRank(expected: "a matrix (rank 2)", shape: [3]))
        #expect(vector?.description == "expected a matrix (rank 2), got an array of shape (3,)")
        #expect(arrayIOError { try NPYArray(scalar: 1).toMatrix() } == .wrongRank(expected: "a matrix (rank 2)", shape: []))
        let cube = try NPYArray(shape: [2, 2, 2], values: Array(repeating: 0, count: 8))
        #expect(arrayIOError { try cube.toMatrix() }?.description == "expected a matrix (rank 2), got an array of shape (2, 2, 2)")
    }

    @Test func numericValueFromArraysOfRankAtMostTwo() throws {
        #expect(try JSONNumericValue(NPYArray(scalar: 2.5)) == .scalar(2.5))
        #expect(try JSONNumericValue(NPYArray(vector: [1, 2])) == .vector([1, 2]))
        let m = try Matrix([[1, 2], [3, 4]])
        #expect(try JSONNumericValue(NPYArray(m)) == .matrix(m))
        #expect(JSONNumericValue.matrix(m).array == NPYArray(m))
        #expect(JSONNumericValue.vector([1, 2]).shape == [2])
        let cube = try NPYArray(shape: [1, 1, 2], values: [1, 2])
        #expect(arrayIOError { try JSONNumericValue(cube) }?.caseName == "wrongRank")
    }

    @Test func fortranOrderMapsEveryIndexForRankThree() throws {
        // C offset 12i + 4j + k holds the value 12i + 4j + k; its Fortran offset is i + 2j + 6k.
        let c = (0..<24).map(Double.init)
        let f = ArrayLayout.cToFortran(c, shape: [2, 3, 4])
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 {
            #expect(f[i + 2 * j + 6 * k] == Double(12 * i + 4 * j + k))
        } } }
        #expect(ArrayLayout.fortranToC(f, shape: [2, 3, 4]) == c)
    }

    @Test func layoutConversionsAreInverseForManyShapes() throws {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<60 {
            let rank = Int.random(in: 0...5, using: &rng)
            let shape = (0..<rank).map { _ in Int.random(in: 0...4, using: &rng) }
            let count = shape.reduce(1, *)
            let c = (0..<count).map { _ in Double(Int.random(in: -1000...1000, using: &rng)) }
            let f = ArrayLayout.cToFortran(c, shape: shape)
            #expect(f.count == count)
            #expect(ArrayLayout.fortranToC(f, shape: shape) == c, "shape \(shape)")
            // Fortran order of a shape is C order of the reversed shape, transposed: spot-check
            // the first and last elements, which sit at offset 0 and count-1 in both orders.
            if count > 0 { #expect(f.first == c.first && f.last == c.last) }
        }
    }
}
