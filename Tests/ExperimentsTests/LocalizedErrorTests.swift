import Foundation
import Testing
import ArrayIO
import Autoregressive
import Dynamics
import Estimators
import Experiments
import LanguageModel
@testable import LinearAlgebra
import ResourceLimits
import Stochastics
import Thermodynamics
import WorldModel

/// Every module's error enum is a `LocalizedError` whose `localizedDescription` is its one-line `description`
/// (docs/api.md), not Foundation's "The operation could not be completed. (… error 3.)".
@Suite struct LocalizedErrorTests {
    /// (error, the exact message written out here).
    static let cases: [(any Error, String)] = [
        (LinearAlgebraError.notSquare(operation: "LU factorization", rows: 2, columns: 3),
         "LU factorization: matrix must be square, got 2×3"),
        (BatchError(index: 4, underlying: .nonFinite(operation: "Lyapunov")),
         "batch element 4: Lyapunov: input contains NaN or infinite entries"),
        (ArrayIOError.fileNotFound(path: "x.npy"), ArrayIOError.fileNotFound(path: "x.npy").description),
        (AutoregressiveError.dimensionMismatch("A is 2×2, C is 1×3"), "shape mismatch: A is 2×2, C is 1×3"),
        (DynamicsError.notSquare(name: "drift", rows: 2, columns: 1), "drift must be square, got 2×1"),
        (DynamicsError.invalidArgument(name: "dt", value: -1, requirement: "> 0 and finite"),
         "dt = -1.0 is invalid: it must be > 0 and finite"),
        (EstimatorError.invalidArgument("bins must be ≥ 2"), "invalid argument: bins must be ≥ 2"),
        (ExperimentError.invalidConfiguration("omega < 0"), "invalid experiment configuration: omega < 0"),
        (LanguageModelError.unsupported("bf16"), "unsupported: bf16"),
        (ResourceLimitError.invalidCount(name: "threads", value: -2, requirement: "≥ 0"),
         "threads = -2 is invalid: it must be ≥ 0"),
        (StochasticsError.negativeDimension(-3), "dimension -3 must be ≥ 0"),
        (ThermodynamicsError.unstableTransition(spectralRadius: 1.5),
         "transition matrix is not stable (spectral radius 1.5 ≥ 1): no stationary state exists"),
        (WorldModelError.notSquare(name: "W", rows: 3, columns: 2), "W must be square, got 3×2"),
        (WorldModelError.invalidCount(name: "slots", value: 0, requirement: "≥ 1"),
         "slots = 0 is invalid: it must be ≥ 1"),
    ]

    @Test func localizedDescriptionIsTheMessage() {
        for (error, message) in Self.cases {
            #expect(error.localizedDescription == message, "\(type(of: error))")
            #expect(String(describing: error) == message, "\(type(of: error))")
            #expect(!error.localizedDescription.contains("could not be completed"))
        }
    }

    /// The cases that DynamicsError and WorldModelError share read the same (one wording, written once).
    @Test func sharedCasesReadAlike() {
        #expect(WorldModelError.dimensionMismatch(detail: "keys 3 wide").description
                == DynamicsError.dimensionMismatch(detail: "keys 3 wide").description)
        #expect(WorldModelError.nonFinite(name: "beta").description == "beta holds a non-finite value (NaN or ±Infinity)")
        #expect(WorldModelError.zeroDimension.description == DynamicsError.zeroDimension.description)
        #expect(WorldModelError.invalidArgument(name: "leak", value: .nan, requirement: "finite").description
                == "leak = nan is invalid: it must be finite")
    }
}
