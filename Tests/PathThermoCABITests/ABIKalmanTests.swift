import Autoregressive
import Experiments
import Foundation
import LinearAlgebra
@testable import PathThermoCABI
import Testing

/// `pt_kalman`: the CLI's report (the library's ``KalmanInnovationModel/report(_:budget:)``) through the C ABI,
/// statuses for malformed calls and rejected models. (python/tests/test_kalman.py compares with the CLI's JSON.)
@Suite("C ABI: Kalman")
struct ABIKalmanTests {
    /// Row-major storage of a matrix literal.
    static func rowMajor(_ rows: [[Double]]) -> [Double] { rows.flatMap { $0 } }

    /// Calls pt_kalman with row-major matrices (nil: absent) and returns (status, message, JSON object).
    static func call(_ a: [[Double]], _ c: [[Double]], q: [[Double]]? = nil, r: [[Double]]? = nil, k: [[Double]]? = nil,
                     s: [[Double]]? = nil, horizon: Int64, method: String = "linear", start: String = "zero",
                     monteCarlo: Int64 = 0, seed: UInt64 = 1, decompose: Int32 = 0) -> (Int32, String, [String: Any]?) {
        let matrices = [a, c, q, r, k, s]
        let storages = matrices.map { $0.map(rowMajor) ?? [] }
        var message = [CChar](repeating: 0, count: 512)
        var json: UnsafeMutablePointer<CChar>? = nil
        // Every buffer stays alive for the call: the storages are copied into one allocation each.
        let buffers = storages.map { values -> UnsafeMutablePointer<Double>? in
            guard !values.isEmpty else { return nil }
            let p = UnsafeMutablePointer<Double>.allocate(capacity: values.count)
            p.initialize(from: values, count: values.count)
            return p
        }
        defer { buffers.forEach { $0?.deallocate() } }
        func shape(_ i: Int) -> (Int64, Int64) {
            guard let m = matrices[i], let first = m.first else { return (0, 0) }
            return (Int64(m.count), Int64(first.count))
        }
        let (sa, sc, sq, sr, sk, ss) = (shape(0), shape(1), shape(2), shape(3), shape(4), shape(5))
        let status = pt_kalman(
            buffers[0], 0, sa.0, sa.1, sa.1, 1, buffers[1], 0, sc.0, sc.1, sc.1, 1,
            buffers[2], 0, sq.0, sq.1, sq.1, 1, buffers[3], 0, sr.0, sr.1, sr.1, 1,
            buffers[4], 0, sk.0, sk.1, sk.1, 1, buffers[5], 0, ss.0, ss.1, ss.1, 1,
            horizon, method, start, monteCarlo, seed, decompose, &json, &message, 512)
        defer { pt_free(json) }
        let object = json.flatMap { try? JSONSerialization.jsonObject(with: Data(String(cString: $0).utf8)) as? [String: Any] }
        return (status, String(cString: message), object)
    }

    static let a: [[Double]] = [[0.6, 0.2], [-0.1, 0.5]]
    static let c: [[Double]] = [[1, 0.5]]
    static let q: [[Double]] = [[0.3, 0.05], [0.05, 0.2]]
    static let r: [[Double]] = [[0.4]]

    @Test func signalModelEqualsTheLibrary() throws {
        let model = try KalmanInnovationModel(a: try Matrix(Self.a), c: try Matrix(Self.c), q: try Matrix(Self.q), r: try Matrix(Self.r))
        for method in ["dense", "linear"] {
            let (status, message, object) = Self.call(Self.a, Self.c, q: Self.q, r: Self.r, horizon: 10, method: method)
            #expect(status == ABIStatus.ok && message.isEmpty)
            let ep = try model.entropyProduction(horizon: 10, method: KalmanEPMethod(rawValue: method) ?? .linear)
            let value = try #require(object?["entropy_production"] as? Double)
            // JSONSerialization on Linux may misread the last digit (ABIInfrastructureTests): 1e-15 relative.
            #expect(abs(value - ep.entropyProduction) <= 1e-15 * abs(ep.entropyProduction))
            #expect((object?["curve"] as? [[Double]])?.count == 10)
            #expect(object?["method"] as? String == method && object?["seconds"] is Double)
        }
    }

    @Test func innovationModelMonteCarloAndDecomposition() throws {
        let k: [[Double]] = [[0.5], [0.2]], s: [[Double]] = [[1.3]]
        let (status, _, object) = Self.call(Self.a, Self.c, k: k, s: s, horizon: 5, monteCarlo: 64, seed: 3, decompose: 1)
        #expect(status == ABIStatus.ok)
        let mc = try #require(object?["monte_carlo"] as? [String: Any])
        #expect(mc["samples"] as? Int == 64 && mc["seed"] as? Int == 3)
        let dec = try #require(object?["decomposition"] as? [String: Any])
        let d = try #require(dec["D"] as? [Double])
        let ep = try #require(object?["entropy_production"] as? Double)
        #expect(abs(d.reduce(0, +) - ep) <= 1e-9 * max(1, abs(ep)))    // Σ D_t = S_y(T) (docs/theory §6)
    }

    @Test func rejectedCallsReturnStatuses() {
        let ok = ABIStatus.ok
        _ = ok
        #expect(Self.call(Self.a, Self.c, q: Self.q, horizon: 3).0 == ABIStatus.libraryError)            // q without r
        #expect(Self.call(Self.a, Self.c, q: Self.q, r: Self.r, horizon: 0).0 == ABIStatus.libraryError)  // T = 0
        #expect(Self.call([[1, 2, 3]], Self.c, q: Self.q, r: Self.r, horizon: 3).0 == ABIStatus.libraryError)
        #expect(Self.call(Self.a, Self.c, k: [[0.5], [0.2]], s: [[-1]], horizon: 3).1.contains("positive definite"))
        #expect(Self.call(Self.a, Self.c, q: Self.q, r: Self.r, horizon: 3, method: "fast").0 == ABIStatus.invalidArgument)
        #expect(Self.call(Self.a, Self.c, q: Self.q, r: Self.r, horizon: 3, start: "x").0 == ABIStatus.invalidArgument)
        #expect(Self.call(Self.a, Self.c, q: Self.q, r: Self.r, horizon: 1 << 40).0 == ABIStatus.resourceLimit)
        var message = [CChar](repeating: 0, count: 64)
        let nullJSON = pt_kalman(nil, 0, 1, 1, 1, 1, nil, 0, 1, 1, 1, 1, nil, 0, 0, 0, 0, 0, nil, 0, 0, 0, 0, 0,
                                 nil, 0, 0, 0, 0, 0, nil, 0, 0, 0, 0, 0, 3, "linear", "zero", 0, 1, 0, nil, &message, 64)
        #expect(nullJSON == ABIStatus.invalidArgument)
    }
}
