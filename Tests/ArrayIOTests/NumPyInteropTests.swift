import ArrayIO
import Foundation
import LinearAlgebra
import Testing

/// Both directions against the real NumPy, when `python3` with numpy is installed.
@Suite("NumPy interoperability", .enabled(if: Python.numpyAvailable, "python3 with numpy is not available"))
struct NumPyInteropTests {
    /// We write; NumPy reads and prints dtype, shape, Fortran flag and the values in C order.
    @Test func numpyReadsWhatWeWrite() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let matrix = try Matrix([[1, -2.5, 3], [0.1, 1e-300, -7e20]])
        let cube = try NPYArray(shape: [2, 3, 4], values: (0..<24).map { Double($0) / 8 - 1 })
        let cases: [(name: String, descr: String, fortran: Bool, shape: [Int], values: [Double])] = [
            ("matrix.npy", "<f8", true, [2, 3], NPYArray(matrix).values),
            ("cube_c.npy", "<f8", false, cube.shape, cube.values),
            ("cube_f.npy", "<f8", true, cube.shape, cube.values),
            ("cube_f32.npy", "<f4", true, cube.shape, cube.values),
            ("scalar.npy", "<f8", false, [], [-0.75]),
            ("vector.npy", "<f4", false, [3], [0.1, 2, -3].map { Double(Float($0)) }),
            ("special.npy", "<f8", false, [3], [.infinity, -.infinity, -0.0]),
        ]
        try NPY.write(matrix, to: dir.file("matrix.npy"))
        try NPY.write(cube, to: dir.file("cube_c.npy"))
        try NPY.write(cube, to: dir.file("cube_f.npy"), fortranOrder: true)
        try NPY.write(cube, to: dir.file("cube_f32.npy"), dtype: .float32, fortranOrder: true)
        try NPY.write(NPYArray(scalar: -0.75), to: dir.file("scalar.npy"))
        try NPY.write(NPYArray(vector: [0.1, 2, -3]), to: dir.file("vector.npy"), dtype: .float32)
        try NPY.write(NPYArray(vector: [.infinity, -.infinity, -0.0]), to: dir.file("special.npy"))

        let script = """
            import sys, numpy as np
            for name in sys.argv[2:]:
                a = np.load(sys.argv[1] + '/' + name)
                print(name, a.dtype.str, int(np.isfortran(a) and a.ndim > 1), ','.join(map(str, a.shape)))
                print(' '.join(repr(float(x)) for x in a.ravel(order='C')))
            """
        let run = try #require(Python.run(["-c", script, dir.path] + cases.map(\.name)))
        #expect(run.status == 0, "\(run.output)")
        let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines.count >= 2 * cases.count, "\(run.output)")
        for (k, c) in cases.enumerated() {
            let head = lines[2 * k].split(separator: " ").map(String.init)
            #expect(head.count >= 3 && head[0] == c.name && head[1] == c.descr && head[2] == (c.fortran ? "1" : "0"), "\(lines[2 * k])")
            let shape = head.count > 3 ? head[3].split(separator: ",").compactMap { Int($0) } : []
            #expect(shape == c.shape, "\(c.name)")
            let values = lines[2 * k + 1].split(separator: " ").compactMap { Double(String($0)) }
            let expected = c.descr == "<f4" ? c.values.map { Double(Float($0)) } : c.values
            #expect(bitwiseEqual(values, expected), "\(c.name): \(lines[2 * k + 1])")
        }
    }

    /// NumPy writes random arrays (shapes, dtypes, orders, versions) and their values as JSON
    /// lists; we read both and compare.
    @Test func weReadWhatNumPyWrites() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let script = """
            import sys, json, numpy as np
            rng = np.random.default_rng(2024)
            dtypes = ['<f8', '>f8', '<f4', '>f4', '<f2', '<i8', '>i4', '<i2', '|i1', '<u4', '|u1', '|b1']
            for k in range(40):
                rank = int(rng.integers(0, 5))
                shape = tuple(int(d) for d in rng.integers(1, 4, size=rank))
                dt = np.dtype(dtypes[k % len(dtypes)])
                a = (rng.standard_normal(shape) * 100).astype(dt) if dt.kind != 'b' else rng.random(shape) < 0.5
                if k % 3 == 0: a = np.asfortranarray(a)
                path = f'{sys.argv[1]}/a{k}'
                with open(path + '.npy', 'wb') as f:
                    np.lib.format.write_array(f, a, version=[(1, 0), (2, 0), (3, 0)][k % 3])
                with open(path + '.json', 'w') as f:
                    json.dump(a.astype(np.float64).tolist(), f)
            print('ok')
            """
        let run = try #require(Python.run(["-c", script, dir.path]))
        #expect(run.status == 0 && run.output.contains("ok"), "\(run.output)")
        for k in 0..<40 {
            let npy = try NPY.read(contentsOf: dir.file("a\(k).npy"))
            let json = try JSONMatrix.parseArray(utf8: [UInt8](Data(contentsOf: URL(fileURLWithPath: dir.file("a\(k).json")))))
            #expect(npy == json, "a\(k)")
        }
    }
}
