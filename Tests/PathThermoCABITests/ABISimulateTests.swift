import Foundation
import PathThermo
@testable import PathThermoCABI
import Testing

/// `pt_simulate_linear` / `pt_simulate_softmax` and the in-memory recorder behind them: the caller's buffer holds the
/// bits of the `.npy` route (``NPYStreamWriter``, what `paththermo simulate --out` writes) for every layout and both
/// dtypes, and malformed calls return their status.
@Suite("C ABI: simulate")
struct ABISimulateTests {
    static let rotation: [Double] = [-1, 2, -2, -1]
    static let drift3: [Double] = [-1.5, 0.3, 0.2, -0.4, -1, 0.7, 0.1, -0.6, -2]
    static let anisotropic: [Double] = [1, 0.2, 0, 0.2, 0.8, 0.1, 0, 0.1, 0.5]

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("abi-simulate-\(UUID().uuidString).npy").path
    }

    /// The `.npy` route: the engine recording through an NPYStreamWriter, read back.
    static func npyRoute<F: Drift>(_ drift: F, _ engine: EulerMaruyama, dtype: NPYDType) throws -> [Double] {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try NPYStreamWriter(path: path, rollouts: engine.rollouts, steps: engine.steps,
                                         dimension: drift.dimension, dtype: dtype)
        _ = try engine.run(drift, observer: StateMomentsObserver(dimension: drift.dimension, steps: engine.steps,
                                                                 allStates: false), recorder: writer)
        try writer.close()
        return try NPY.read(contentsOf: path).values
    }

    static func bitwiseEqual(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    @Test(arguments: [NPYDType.float64, .float32], [false, true])
    func bufferRecorderEqualsTheNPYRoute(dtype: NPYDType, fortran: Bool) throws {
        let drift = try LinearDrift(matrix: Matrix(rows: 3, columns: 3, rowMajor: Self.drift3))
        let diffusion = try Diffusion(matrix: Matrix(rows: 3, columns: 3, rowMajor: Self.anisotropic))
        let (b, t, d) = (13, 300, 3)   // 300 states: two tiles per rollout
        let engine = try EulerMaruyama(timeStep: 0.01, diffusion: diffusion, rollouts: b, steps: t, burnIn: 4, thin: 2,
                                       seed: 21, threads: 2, chunk: 4)
        let expected = try Self.npyRoute(drift, engine, dtype: dtype)
        let strides = fortran ? (1, b, b * t) : (t * d, d, 1)
        var values = [Double](repeating: .nan, count: b * t * d)
        if dtype == .float64 {
            try values.withUnsafeMutableBytes { p in
                let recorder = try StridedTrajectoryRecorder(base: p.baseAddress!, dtype: .float64, rollouts: b, steps: t,
                                                             dimension: d, strides: strides)
                _ = try engine.run(drift, observer: StateMomentsObserver(dimension: d, steps: t, allStates: false),
                                   recorder: recorder)
            }
        } else {
            var floats = [Float](repeating: .nan, count: b * t * d)
            try floats.withUnsafeMutableBytes { p in
                let recorder = try StridedTrajectoryRecorder(base: p.baseAddress!, dtype: .float32, rollouts: b, steps: t,
                                                             dimension: d, strides: strides)
                _ = try engine.run(drift, observer: StateMomentsObserver(dimension: d, steps: t, allStates: false),
                                   recorder: recorder)
            }
            values = floats.map(Double.init)
        }
        // Back to C order for the comparison.
        let cOrder = (0..<(b * t * d)).map { e -> Double in
            let (i, j, k) = (e / (t * d), (e / d) % t, e % d)
            return values[i * strides.0 + j * strides.1 + k * strides.2]
        }
        #expect(Self.bitwiseEqual(cOrder, expected))
    }

    @Test func linearABIEqualsTheNPYRouteAndReportsTheCLIKeys() throws {
        let drift = try LinearDrift(matrix: Matrix(rows: 2, columns: 2, rowMajor: Self.rotation))
        let engine = try EulerMaruyama(timeStep: 0.01, diffusion: 0.5, rollouts: 9, steps: 40, burnIn: 3, thin: 2, seed: 4)
        let expected = try Self.npyRoute(drift, engine, dtype: .float64)
        let diffusion: [Double] = [0.5, 0, 0, 0.5]
        var out = [Double](repeating: .nan, count: 9 * 40 * 2)
        var json: UnsafeMutablePointer<CChar>? = nil
        var message = [CChar](repeating: 0, count: 256)
        let status = Self.rotation.withUnsafeBytes { bp in diffusion.withUnsafeBytes { dp in out.withUnsafeMutableBytes { op in
            pt_simulate_linear(bp.baseAddress, 0, 2, 2, 2, 1, dp.baseAddress, 0, 2, 2, 2, 1,
                               0.01, 9, 40, 3, 2, 4, 2, 64, 0, op.baseAddress, 0, 9, 40, 2, 80, 2, 1, &json, &message, 256)
        } } }
        #expect(status == ABIStatus.ok, "\(String(cString: message))")
        #expect(Self.bitwiseEqual(out, expected))
        let text = String(cString: try #require(json))
        pt_free(json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let keys = Set(object.keys)
        #expect(keys == ["burn_in", "diffusion", "diffusion_matrix", "dimension", "drift", "dt", "final_covariance",
                         "final_mean", "particle_steps", "particle_steps_per_second", "rollouts", "seconds", "seed",
                         "steps", "thin"])
        #expect(object["drift"] as? String == "linear")
        #expect((object["particle_steps"] as? NSNumber)?.intValue == 9 * (3 + 39 * 2))
    }

    @Test func softmaxABIEqualsTheNPYRoute() throws {
        let w: [Double] = [0.5, 1, -1, 0.3], keys: [Double] = [1, 0, 0, 1, -1, 0.5], diffusion: [Double] = [0.3, 0, 0, 0.3]
        let drift = try SoftmaxAttentionDrift(scores: Matrix(rows: 2, columns: 2, rowMajor: w),
                                              keys: Matrix(rows: 3, columns: 2, rowMajor: keys), beta: 2, leak: 1.2)
        let engine = try EulerMaruyama(timeStep: 0.02, diffusion: 0.3, rollouts: 5, steps: 30, seed: 11)
        let expected = try Self.npyRoute(drift, engine, dtype: .float32)
        var out = [Float](repeating: .nan, count: 5 * 30 * 2)
        var json: UnsafeMutablePointer<CChar>? = nil
        var message = [CChar](repeating: 0, count: 256)
        let status = w.withUnsafeBytes { wp in keys.withUnsafeBytes { kp in diffusion.withUnsafeBytes { dp in
            out.withUnsafeMutableBytes { op in
                pt_simulate_softmax(wp.baseAddress, 0, 2, 2, 2, 1, kp.baseAddress, 0, 3, 2, 2, 1, 2, 1.2,
                                    dp.baseAddress, 0, 2, 2, 2, 1, 0.02, 5, 30, 0, 1, 11, 1, 64, 0,
                                    op.baseAddress, 1, 5, 30, 2, 60, 2, 1, &json, &message, 256)
            } } } }
        #expect(status == ABIStatus.ok, "\(String(cString: message))")
        pt_free(json)
        #expect(Self.bitwiseEqual(out.map(Double.init), expected))
    }

    @Test func malformedCallsReturnTheirStatus() {
        let diffusion: [Double] = [1, 0, 0, 1]
        var out = [Double](repeating: 0, count: 2 * 5 * 2)
        var json: UnsafeMutablePointer<CChar>? = nil
        var message = [CChar](repeating: 0, count: 256)
        func call(_ drift: [Double], rows: Int64, columns: Int64, rollouts: Int64 = 2, outShape: (Int64, Int64, Int64) = (2, 5, 2),
                  outDType: Int32 = 0, json jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
            drift.withUnsafeBytes { bp in diffusion.withUnsafeBytes { dp in out.withUnsafeMutableBytes { op in
                pt_simulate_linear(bp.baseAddress, 0, rows, columns, columns, 1, dp.baseAddress, 0, 2, 2, 2, 1,
                                   0.01, rollouts, 5, 0, 1, 1, 1, 64, 0, op.baseAddress, outDType, outShape.0, outShape.1,
                                   outShape.2, 10, 2, 1, jsonOut, &message, 256)
            } } }
        }
        #expect(call(Self.rotation, rows: 2, columns: 2, outShape: (2, 6, 2), json: &json) == ABIStatus.invalidArgument)
        #expect(String(cString: message).contains("shape"))
        #expect(call(Self.rotation, rows: 2, columns: 2, outDType: 7, json: &json) == ABIStatus.invalidArgument)
        #expect(call(Self.rotation, rows: 2, columns: 2, json: nil) == ABIStatus.invalidArgument)
        #expect(call([-1, 0, 0, 0, -1, 0], rows: 2, columns: 3, json: &json) == ABIStatus.libraryError)
        #expect(call([.nan, 0, 0, -1], rows: 2, columns: 2, json: &json) == ABIStatus.libraryError)
        #expect(call(Self.rotation, rows: 2, columns: 2, rollouts: 0, json: &json) == ABIStatus.libraryError)
        #expect(call(Self.rotation, rows: 2, columns: 2, rollouts: 1 << 41, json: &json) == ABIStatus.resourceLimit)
        #expect(json == nil)
        #expect(out.allSatisfy { $0 == 0 })
        #expect(call(Self.rotation, rows: 2, columns: 2, json: &json) == ABIStatus.ok)
        #expect(json != nil)
        pt_free(json)
    }
}
