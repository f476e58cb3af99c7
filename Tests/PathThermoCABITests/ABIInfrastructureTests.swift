import Estimators
import Foundation
@testable import PathThermoCABI
import Testing

/// The shared pieces of the ABI: JSON results handed to the caller (pt_free) and 3-D strided trajectory views.
@Suite("C ABI infrastructure")
struct ABIInfrastructureTests {
    struct Sample: Encodable { let sigma: Double; let name: String; let bad: Double }

    @Test func jsonResultIsTheCLIDocumentAndIsFreed() throws {
        var out: UnsafeMutablePointer<CChar>? = nil
        try writeJSON(Sample(sigma: 0.1 + 0.2, name: "x", bad: .nan), to: &out)
        let text = String(cString: try #require(out))
        pt_free(out)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        // The shortest round-trip text, so a correct parser (Python's json) reads the same bits back. (Foundation's
        // JSONSerialization on Linux does not: it reads 0.30000000000000004 as 0.3000000000000001.)
        #expect(text.contains("\"sigma\" : 0.30000000000000004"))
        #expect(object["sigma"] is NSNumber)
        #expect(object["bad"] is NSNull)
        #expect((object["warnings"] as? [String])?.contains { $0.contains("bad") } == true)
        #expect(throws: ABIArgumentError.self) { try writeJSON("{}", to: nil) }
        pt_free(nil)  // a no-op
    }

    @Test func trajectoryViewReadsAndWritesEveryLayout() throws {
        // (2, 3, 2) in Fortran order as float32: element [b, t, k] at b + 2 t + 6 k. Read through `strided` (the
        // estimators' conversion) and written through `recorder()` (the engine's), both at the caller's addresses.
        var values = (0..<12).map { Float($0) }
        try values.withUnsafeMutableBytes { p in
            let view = try ABITrajectoryView(name: "x", data: p.baseAddress, dtype: 1, shape: (2, 3, 2), strides: (1, 2, 6))
            let strided = view.strided
            #expect(strided.element == .float32 && strided.base == UnsafeRawPointer(p.baseAddress!))
            #expect((strided.rollouts, strided.steps, strided.dimension) == (2, 3, 2))
            #expect(strided.strides == (rollout: 1, step: 2, coordinate: 6))
            try [0.25, 0.5].withUnsafeBufferPointer { try view.recorder().write(rollout: 1, firstStep: 2, states: $0) }
        }
        #expect(values[1 + 2 * 2] == 0.25 && values[1 + 2 * 2 + 6] == 0.5)
        try values.withUnsafeBytes { p in
            #expect(throws: ABIArgumentError.self) {
                _ = try ABITrajectoryView(name: "x", data: nil, dtype: 0, shape: (1, 1, 1), strides: (1, 1, 1))
            }
            #expect(throws: ABIArgumentError.self) {
                _ = try ABITrajectoryView(name: "x", data: p.baseAddress, dtype: 5, shape: (1, 1, 1), strides: (1, 1, 1))
            }
            #expect(throws: ABIArgumentError.self) {
                _ = try ABITrajectoryView(name: "x", data: p.baseAddress, dtype: 0, shape: (2, 0, 1), strides: (1, 1, 1))
            }
            #expect(throws: ABIArgumentError.self) {
                _ = try ABITrajectoryView(name: "x", data: p.baseAddress, dtype: 0, shape: (3, 3, 3), strides: (1 << 62, 1 << 62, 1))
            }
            #expect(throws: (any Error).self) {
                _ = try ABITrajectoryView(name: "x", data: p.baseAddress, dtype: 0, shape: (1 << 30, 1 << 30, 4), strides: (0, 0, 0))
            }
        }
    }
}
