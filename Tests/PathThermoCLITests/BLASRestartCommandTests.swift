import Foundation
import LinearAlgebra
import Testing

/// `paththermo` restarts itself with `OPENBLAS_CORETYPE` set when OpenBLAS fell back to generic kernels on a CPU that
/// runs better ones (`StartUp.restartWithBetterBLASKernels`), keeps a value the user set, and records the family in
/// `provenance.blas_core`.
@Suite("paththermo: OpenBLAS kernel family")
struct BLASRestartCommandTests {
    /// `ou` on the closed-form case (σ = 2ω²/γ = 8) with `environment` as the whole environment.
    static func ou(environment: [String: String]) throws -> (status: Int32, sigma: Double?, core: String?, stderr: String) {
        let r = try runCLI(["ou", "--drift", "[[-1,2],[-2,-1]]", "--diffusion", "0.5", "--json"], wholeEnvironment: environment)
        let core = (r.json?["provenance"] as? [String: Any])?["blas_core"] as? String
        return (r.status, r.json?["entropy_production_rate"] as? Double, core, r.stderr)
    }

    static var environmentWithoutChoice: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = nil
        environment["PATHTHERMO_BLAS_RESTARTED"] = nil
        return environment
    }

    @Test func withoutAChoiceTheBetterFamilyIsUsed() throws {
        let r = try Self.ou(environment: Self.environmentWithoutChoice)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(abs((r.sigma ?? .nan) - 8) <= 1e-12)
        // What this process's OpenBLAS chose is the CLI's own detection too, unless the test runs under a user's
        // OPENBLAS_CORETYPE (then the CLI's native detection is unknown here).
        if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil {
            let expected = BLAS.suggestedCoreType(coreName: BLAS.coreName, cpuFlags: BLAS.cpuFlags) ?? BLAS.coreName
            #expect(r.core?.lowercased() == expected.lowercased(), "\(r.core ?? "nil") vs \(expected)")
        } else {
            #expect(!(r.core ?? "").isEmpty)
        }
    }

    @Test func aUserChoiceIsKept() throws {
        var environment = Self.environmentWithoutChoice
        environment["OPENBLAS_CORETYPE"] = "Prescott"
        let r = try Self.ou(environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.core == "Prescott")
        #expect(abs((r.sigma ?? .nan) - 8) <= 1e-12)
    }
}
