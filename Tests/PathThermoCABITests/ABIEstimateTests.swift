import Foundation
import LinearAlgebra
import PathThermo
@testable import PathThermoCABI
import Testing

/// `pt_estimate` against the library's `.npy` route (``TrajectoryFile/data(from:options:)`` of an ``NPYArray``,
/// ``TrajectoryData/estimateEntropyProduction(_:)``, ``EntropyProductionReport/json(single:)``): the same
/// trajectories and the same JSON document, every number bit for bit (the `seconds` timings dropped), in C order,
/// Fortran order and float32; the `.npy` route's errors.
@Suite("C ABI estimate")
struct ABIEstimateTests {
    /// A rotating 2-D OU path (Euler–Maruyama, B = [[-1, -1.5], [1.5, -1]], D = 0.5 I) from a SplitMix64 stream and
    /// Box–Muller normals: `rollouts × steps × 2` values in C order.
    static func trajectories(rollouts: Int, steps: Int, dt: Double) -> [Double] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return (Double((z ^ (z >> 31)) >> 11) + 0.5) / 9_007_199_254_740_992
        }
        var out: [Double] = []
        out.reserveCapacity(rollouts * steps * 2)
        for _ in 0..<rollouts {
            var (x, y) = (0.0, 0.0)
            for _ in 0..<steps {
                out += [x, y]
                let r = (-2 * log(uniform())).squareRoot(), a = 2 * Double.pi * uniform()
                let s = (2 * 0.5 * dt).squareRoot()
                (x, y) = (x + dt * (-x - 1.5 * y) + s * r * cos(a), y + dt * (1.5 * x - y) + s * r * sin(a))
            }
        }
        return out
    }

    /// Calls pt_estimate on a float64/float32 buffer with the given strides; returns (status, JSON text, message).
    static func call<T>(_ values: [T], dtype: Int32, shape: (Int64, Int64, Int64), strides: (Int64, Int64, Int64),
                        dt: Double, method: String? = nil, drift: [Double]? = nil, diffusion: [Double]? = nil)
        -> (Int32, String?, String) {
        var message = [CChar](repeating: 0, count: 512)
        var json: UnsafeMutablePointer<CChar>? = nil
        let status: Int32 = values.withUnsafeBytes { p in
            (drift ?? []).withUnsafeBytes { b in
                (diffusion ?? []).withUnsafeBytes { d in
                    let model = drift != nil
                    let n = Int64(drift.map { Int(Double($0.count).squareRoot()) } ?? 0)
                    return withOptionalCString(method) { m in
                        pt_estimate(p.baseAddress, dtype, shape.0, shape.1, shape.2, strides.0, strides.1, strides.2,
                                    dt, m, 0, .nan, 10, 1, nil, nil, 1, 10, 0, 0,
                                    model ? b.baseAddress : nil, 0, n, n, n, 1,
                                    model ? d.baseAddress : nil, 0, n, n, n, 1,
                                    &json, &message, 512)
                    }
                }
            }
        }
        let text = json.map { String(cString: $0) }
        pt_free(json)
        return (status, text, String(cString: message))
    }

    static func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
        guard let s else { return body(nil) }
        return s.withCString { body($0) }
    }

    /// The JSON text parsed, without the `seconds` details (timings).
    static func document(_ text: String?) throws -> NSDictionary {
        let text = try #require(text)
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let object = try #require(parsed as? [String: Any])
        var out = object
        for (key, value) in object {
            if var e = value as? [String: Any], e["entropy_production_rate"] != nil {
                #expect((e["seconds"] as? Double ?? 0) > 0)
                e["seconds"] = nil
                out[key] = e
            }
        }
        if out["entropy_production_rate"] != nil { out["seconds"] = nil }
        return out as NSDictionary
    }

    /// The library's own document for the same data read as a `.npy` of that shape.
    static func libraryDocument(_ values: [Double], shape: [Int], dt: Double, method: EntropyProductionRequest.Method?,
                                model: EntropyProductionRequest.LinearModel? = nil) throws -> NSDictionary {
        let data = try TrajectoryFile.data(from: try NPYArray(shape: shape, values: values))
        var request = EntropyProductionRequest(timeStep: dt, method: method)
        request.bins = EntropyProductionRequest.defaultBins(forDimension: data.dimension)
        request.pathwiseModel = model
        let report = try data.estimateEntropyProduction(request)
        return try document(try ResultJSON(report.json(single: method != nil)).text)
    }

    @Test func allMethodsEqualTheNPYRouteInEveryLayout() throws {
        let (b, t, dt) = (6, 800, 0.02)
        let c = Self.trajectories(rollouts: b, steps: t, dt: dt)
        let expected = try Self.libraryDocument(c, shape: [b, t, 2], dt: dt, method: nil)
        #expect(expected["grid"] != nil && expected["basis"] != nil && expected["tur"] != nil)
        let (s1, s2, s3) = (Int64(b), Int64(t), Int64(2))
        let cOrder = Self.call(c, dtype: 0, shape: (s1, s2, s3), strides: (Int64(t * 2), 2, 1), dt: dt)
        #expect(cOrder.0 == ABIStatus.ok && cOrder.2.isEmpty)
        #expect(try Self.document(cOrder.1) == expected)
        // Fortran order: element [r, k, j] at r + b k + b t j.
        var fortran = [Double](repeating: 0, count: c.count)
        for r in 0..<b { for k in 0..<t { for j in 0..<2 { fortran[r + b * k + b * t * j] = c[(r * t + k) * 2 + j] } } }
        let f = Self.call(fortran, dtype: 0, shape: (s1, s2, s3), strides: (1, s1, s1 * s2), dt: dt)
        #expect(try Self.document(f.1) == expected)
        // float32: the same as a float32 .npy (read as the nearest float, then widened).
        let c32 = c.map { Float($0) }
        let expected32 = try Self.libraryDocument(c32.map { Double($0) }, shape: [b, t, 2], dt: dt, method: .basis)
        let f32 = Self.call(c32, dtype: 1, shape: (s1, s2, s3), strides: (Int64(t * 2), 2, 1), dt: dt, method: "basis")
        #expect(try Self.document(f32.1) == expected32)
    }

    @Test func stridedConversionKeepsTheNPYRoutesSegments() throws {
        var c = Self.trajectories(rollouts: 3, steps: 50, dt: 0.05)
        c[(0 * 50 + 20) * 2 + 1] = .nan        // splits rollout 0
        c[(1 * 50 + 1) * 2] = .nan             // leaves a lone state
        let npy = try TrajectoryFile.data(from: try NPYArray(shape: [3, 50, 2], values: c))
        // Reversed steps in a float64 buffer: step k of the view is step 49 − k of `reversed`.
        var reversed = [Double](repeating: 0, count: c.count)
        for r in 0..<3 { for k in 0..<50 { for j in 0..<2 { reversed[(r * 50 + 49 - k) * 2 + j] = c[(r * 50 + k) * 2 + j] } } }
        try reversed.withUnsafeBytes { p in
            let start = p.baseAddress! + 49 * 2 * MemoryLayout<Double>.size
            let view = StridedTrajectories(base: start, element: .float64, rollouts: 3, steps: 50, dimension: 2,
                                           strides: (100, -2, 1))
            let data = try TrajectoryFile.data(from: view)
            // (The segments' `start` indexes each one's own storage: the .npy route keeps its rows in place.)
            #expect(data.values == npy.values && data.segments.map(\.count) == npy.segments.map(\.count))
            #expect(data.segments.map(\.rollout) == npy.segments.map(\.rollout)
                    && data.segments.map(\.firstStep) == npy.segments.map(\.firstStep))
            #expect(data.discardedStates == npy.discardedStates && data.rollouts == 3)
        }
    }

    @Test func pathwiseWithAMatrixDiffusion() throws {
        let c = Self.trajectories(rollouts: 4, steps: 600, dt: 0.02)
        let b: [Double] = [-1, -1.5, 1.5, -1], d: [Double] = [0.5, 0.05, 0.05, 0.4]
        let model = EntropyProductionRequest.LinearModel(drift: try Matrix(rows: 2, columns: 2, columnMajor: [-1, 1.5, -1.5, -1]),
                                                         diffusion: try Matrix([[0.5, 0.05], [0.05, 0.4]]))
        let expected = try Self.libraryDocument(c, shape: [4, 600, 2], dt: 0.02, method: .pathwise, model: model)
        let result = Self.call(c, dtype: 0, shape: (4, 600, 2), strides: (1200, 2, 1), dt: 0.02, method: "pathwise",
                               drift: b, diffusion: d)
        #expect(result.0 == ABIStatus.ok)
        #expect(try Self.document(result.1) == expected)
        let notSPD = Self.call(c, dtype: 0, shape: (4, 600, 2), strides: (1200, 2, 1), dt: 0.02, method: "pathwise",
                               drift: b, diffusion: [1, 0, 0, -1])
        #expect(notSPD.0 == ABIStatus.libraryError && notSPD.2.hasPrefix("pathwise: diffusion:") && notSPD.1 == nil)
    }

    @Test func theNPYRoutesErrors() {
        let dt = 0.1
        let constant = [Double](repeating: 1, count: 3 * 20 * 2)
        let r1 = Self.call(constant, dtype: 0, shape: (3, 20, 2), strides: (40, 2, 1), dt: dt)
        #expect(r1.0 == ABIStatus.libraryError && r1.2.hasPrefix("trajectories: degenerate trajectories:"))
        var clock = Self.trajectories(rollouts: 2, steps: 50, dt: dt)
        for r in 0..<2 { for k in 0..<50 { clock[(r * 50 + k) * 2] = Double(k) } }
        let r2 = Self.call(clock, dtype: 0, shape: (2, 50, 2), strides: (100, 2, 1), dt: dt)
        #expect(r2.0 == ABIStatus.libraryError && r2.2.contains("allow_monotone"))
        let nan = [Double](repeating: .nan, count: 40)
        #expect(Self.call(nan, dtype: 0, shape: (2, 10, 2), strides: (20, 2, 1), dt: dt).2.contains("too few samples"))
        let wide = Self.trajectories(rollouts: 2, steps: 200, dt: dt)
        let r3 = Self.call(wide, dtype: 0, shape: (2, 100, 4), strides: (400, 4, 1), dt: dt, method: "grid")
        #expect(r3.0 == ABIStatus.libraryError && r3.2.contains("grid"))
        let r4 = Self.call(wide, dtype: 0, shape: (2, 200, 2), strides: (400, 2, 1), dt: -1)
        #expect(r4.0 == ABIStatus.invalidArgument)
        let r5 = Self.call(wide, dtype: 0, shape: (2, 200, 2), strides: (400, 2, 1), dt: dt, method: "kde")
        #expect(r5.0 == ABIStatus.invalidArgument && r5.2.contains("method"))
        let r6 = Self.call(wide, dtype: 0, shape: (1 << 30, 1 << 30, 2), strides: (0, 0, 1), dt: dt)
        #expect(r6.0 == ABIStatus.resourceLimit)
    }
}
