import ArrayIO
import Testing

/// Deterministic pseudo-random inputs: decoding must throw (or, for inputs that happen to be
/// valid, return a consistent array), never trap. A trap would crash the test process.
@Suite("Robustness against garbage input")
struct RobustnessTests {
    static func randomBytes(_ count: Int, _ rng: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// A decoded array must satisfy its invariant.
    static func checkConsistent(_ a: NPYArray) {
        #expect(a.values.count == a.shape.reduce(1) { $0 &* $1 })
    }

    @Test func randomBytesAlwaysThrow() throws {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<400 {
            let bytes = Self.randomBytes(Int.random(in: 0...300, using: &rng), &rng)
            #expect(throws: ArrayIOError.self) { try NPY.decode(bytes) }
        }
    }

    @Test func validMagicThenRandomBytesAlwaysThrow() throws {
        var rng = SplitMix64(seed: 2)
        for _ in 0..<400 {
            let version = [UInt8.random(in: 1...3, using: &rng), 0]
            let bytes = NPY.magic + version + Self.randomBytes(Int.random(in: 0...300, using: &rng), &rng)
            #expect(throws: ArrayIOError.self) { try NPY.decode(bytes) }
        }
    }

    /// Headers built from the tokens a real header uses, in random order: many nearly valid.
    @Test func tokenSoupHeadersNeverTrap() throws {
        let tokens = ["{", "}", "(", ")", "[", "]", ",", ":", " ", "\n", "'descr'", "'fortran_order'", "'shape'",
                      "'<f8'", "'>f4'", "'|b1'", "'<c16'", "True", "False", "None", "0", "3", "-1", "2L",
                      "99999999999999999999", "'", "\"", "\\", "1.5", "\u{93}", "é"]
        var rng = SplitMix64(seed: 3)
        var decoded = 0
        for _ in 0..<600 {
            let n = Int.random(in: 0...24, using: &rng)
            let header = (0..<n).map { _ in tokens.randomElement(using: &rng)! }.joined()
            let data = Self.randomBytes(Int.random(in: 0...64, using: &rng), &rng)
            for major: UInt8 in [1, 3] {
                do {
                    Self.checkConsistent(try NPY.decode(npyBytes(header: header, major: major, data: data)))
                    decoded += 1
                } catch is ArrayIOError {
                } catch {
                    Issue.record("unexpected error type \(error)")
                }
            }
        }
        #expect(decoded < 1200)
    }

    /// Near-valid headers: a valid dict with one random shape and dtype, and random data sizes.
    @Test func randomShapesAndDTypesNeverTrap() throws {
        let descrs = ["<f8", ">f8", "<f4", ">f4", "<f2", "<i8", ">i4", "<i2", "|i1", "<u8", "|u1", "|b1", "<c8"]
        let dims = [0, 1, 2, 3, 7, -1, 1 << 31, 1 << 62, Int.max]
        var rng = SplitMix64(seed: 4)
        var decoded = 0
        for _ in 0..<500 {
            let rank = Int.random(in: 0...4, using: &rng)
            let shape = (0..<rank).map { _ in dims.randomElement(using: &rng)! }
            let tuple = rank == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
            let header = "{'descr': '\(descrs.randomElement(using: &rng)!)', 'fortran_order': \(Bool.random(using: &rng) ? "True" : "False"), 'shape': \(tuple)}"
            let data = Self.randomBytes(Int.random(in: 0...200, using: &rng), &rng)
            do {
                let a = try NPY.decode(npyBytes(header: header, data: data))
                Self.checkConsistent(a)
                #expect(a.shape == shape)
                decoded += 1
            } catch is ArrayIOError {
            } catch {
                Issue.record("unexpected error type \(error)")
            }
        }
        #expect(decoded > 0)  // the generator does reach valid files
    }

    /// Every byte of valid files replaced by a few values: either a consistent array or an error.
    @Test func mutatedValidFilesNeverTrap() throws {
        let files = [
            NPY.encode(try NPYArray(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]), fortranOrder: true),
            NPY.encode(NPYArray(vector: [1, 2]), dtype: .float32),
            NPY.encode(NPYArray(scalar: 1)),
        ]
        var rng = SplitMix64(seed: 5)
        for file in files {
            for position in file.indices {
                for replacement in [0, 0xFF, file[position] ^ 0x01, UInt8.random(in: 0...255, using: &rng)] {
                    var bytes = file
                    bytes[position] = replacement
                    do { Self.checkConsistent(try NPY.decode(bytes)) } catch is ArrayIOError {}
                }
            }
        }
    }

    @Test func randomJSONNeverTraps() throws {
        let alphabet = Array("[[[]]],,,  0123456789.-+eE\"nulltruefalseNaNInfinity{}:x\n\t")
        var rng = SplitMix64(seed: 6)
        var parsed = 0
        for _ in 0..<1500 {
            let text = String((0..<Int.random(in: 0...30, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            do {
                Self.checkConsistent(try JSONMatrix.parseArray(text))
                parsed += 1
            } catch is ArrayIOError {
            } catch {
                Issue.record("unexpected error type \(error)")
            }
        }
        #expect(parsed > 0)
        // Pure random bytes (most are not even UTF-8).
        for _ in 0..<300 {
            let bytes = Self.randomBytes(Int.random(in: 0...60, using: &rng), &rng)
            do { Self.checkConsistent(try JSONMatrix.parseArray(utf8: bytes)) } catch is ArrayIOError {} catch {
                Issue.record("unexpected error type \(error)")
            }
        }
    }
}
