import Foundation
import LinearAlgebra
import TestSupport
import Autoregressive

/// Whether the tests were compiled with optimization (`-c release`): larger cases run only there.
let isOptimizedBuild: Bool = {
    #if DEBUG
    false
    #else
    true
    #endif
}()

/// The JSON fixtures written by `scripts/kalman_reference.py` (NumPy/SciPy).
enum KalmanFixtures {
    struct System {
        let a, c, q, r, p, s, k: Matrix
        let ep: [Int: Double]
    }

    struct MannWhitneyCase {
        let x, y: [Double]
        let method: String
        let u, p: Double
    }

    static func load(_ name: String) throws -> [String: Any] {
        let url = fixturesDirectory.appendingPathComponent("kalman").appendingPathComponent(name)
        let data = try Data(contentsOf: url)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    static func matrix(_ any: Any?) throws -> Matrix {
        let rows = (any as? [[Any]] ?? []).map { $0.map { ($0 as? NSNumber)?.doubleValue ?? .nan } }
        return try Matrix(rows)
    }

    static func systems() throws -> [System] {
        let list = try load("dare.json")["systems"] as? [[String: Any]] ?? []
        return try list.map { d in
            let eps = (d["ep"] as? [String: Any] ?? [:]).reduce(into: [Int: Double]()) { acc, kv in
                acc[Int(kv.key) ?? 0] = (kv.value as? NSNumber)?.doubleValue
            }
            return System(a: try matrix(d["A"]), c: try matrix(d["C"]), q: try matrix(d["Q"]), r: try matrix(d["R"]),
                          p: try matrix(d["P"]), s: try matrix(d["S"]), k: try matrix(d["K"]), ep: eps)
        }
    }

    static func mannWhitney() throws -> [MannWhitneyCase] {
        let list = try load("mannwhitney.json")["cases"] as? [[String: Any]] ?? []
        return list.map { d in
            MannWhitneyCase(x: (d["x"] as? [NSNumber] ?? []).map(\.doubleValue),
                            y: (d["y"] as? [NSNumber] ?? []).map(\.doubleValue),
                            method: d["method"] as? String ?? "",
                            u: (d["U"] as? NSNumber)?.doubleValue ?? .nan,
                            p: (d["p"] as? NSNumber)?.doubleValue ?? .nan)
        }
    }
}

/// The scalar test system of docs/theory/autoregressive.md §6, A = 0.9, C = Q = R = 1.
func scalarTestModel() throws -> KalmanInnovationModel {
    try KalmanInnovationModel(a: Matrix([[0.9]]), c: Matrix([[1]]), q: Matrix([[1]]), r: Matrix([[1]]))
}
