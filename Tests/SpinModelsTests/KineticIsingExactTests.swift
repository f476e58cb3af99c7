#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra
import ResourceLimits
import SpinModels
import Testing

/// Random kinetic Ising models for the tests: J = scale·G/√N (G standard normal from the counter-based generator,
/// seed `seed`), fields H_i = 0.3 cos(1.7 i + 0.3), β as given.
enum IsingFixture {
    static func fields(_ n: Int) -> [Double] { (0..<n).map { 0.3 * cos(1.7 * Double($0) + 0.3) } }

    static func asymmetric(sites n: Int, scale: Double, seed: UInt64 = 7, beta: Double = 1) throws -> KineticIsing {
        try KineticIsing(couplings: KineticIsing.gaussianCouplings(sites: n, scale: scale, seed: seed), fields: fields(n), beta: beta)
    }

    static func symmetric(sites n: Int, scale: Double, seed: UInt64 = 7, beta: Double = 1) throws -> KineticIsing {
        let g = try KineticIsing.gaussianCouplings(sites: n, scale: scale, seed: seed)
        var j = Matrix(rows: n, columns: n)
        for b in 0..<n { for a in 0..<n { j[a, b] = 0.5 * (g[a, b] + g[b, a]) } }
        return try KineticIsing(couplings: j, fields: fields(n), beta: beta)
    }

    /// W(s′|s) by its definition, state index k ↦ s_i = +1 where bit i is set.
    static func transition(_ model: KineticIsing, from k: Int, to kNext: Int) -> Double {
        let n = model.sites
        var w = 1.0
        for i in 0..<n {
            var h = model.fields[i]
            for j in 0..<n { h += model.couplings[i, j] * ((k >> j) & 1 == 1 ? 1 : -1) }
            h *= model.beta
            let si: Double = (kNext >> i) & 1 == 1 ? 1 : -1
            w *= exp(si * h) / (2 * cosh(h))
        }
        return w
    }
}

/// The exact enumeration: detailed balance and σ = 0 for symmetric J (Peretto's stationary law), the closed-form
/// σ against the literal double sum over (s, s′), dense against matrix-free storage, and one-line errors.
@Suite struct KineticIsingExactTests {
    /// Symmetric J at N = 10, β = 1, scale 0.8: the exact σ (both forms) is 0 to 1e-12, and p is Peretto's
    /// p(s) ∝ exp(βH·s) Π_i 2cosh h_i(s) to 1e-12 (detailed balance of the synchronous chain).
    @Test func symmetricCouplingsGiveZeroEntropyProduction() throws {
        let model = try IsingFixture.symmetric(sites: 10, scale: 0.8)
        let exact = try model.exactEntropyProduction()
        #expect(abs(exact.entropyProduction) <= 1e-12, "σ = \(exact.entropyProduction)")
        #expect(abs(exact.entropyProductionRelation) <= 1e-12, "relation σ = \(exact.entropyProductionRelation)")
        let n = model.sites
        var peretto = [Double](repeating: 0, count: 1 << n)
        for k in 0..<(1 << n) {
            var logp = 0.0
            for i in 0..<n {
                let si: Double = (k >> i) & 1 == 1 ? 1 : -1
                var h = model.fields[i]
                for j in 0..<n { h += model.couplings[i, j] * ((k >> j) & 1 == 1 ? 1 : -1) }
                logp += model.beta * model.fields[i] * si + log(2 * cosh(model.beta * h))
            }
            peretto[k] = exp(logp)
        }
        let z = peretto.reduce(0, +)
        let worst = zip(peretto, exact.stationaryDistribution).reduce(0.0) { r, pair in max(r, abs(pair.0 / z - pair.1)) }
        #expect(worst <= 1e-12, "max |p − p_Peretto| = \(worst)")
    }

    /// N = 5, asymmetric, scale 1.5: the closed-form σ equals Σ_{s,s′} p(s)W(s′|s) ln[W(s′|s)/W(s|s′)] summed
    /// literally over the 4^N pairs (to 1e-13), and the steady-state relation β Σ(J − Jᵀ)∘D (to 1e-12).
    @Test func closedFormMatchesLiteralDoubleSum() throws {
        let model = try IsingFixture.asymmetric(sites: 5, scale: 1.5)
        let exact = try model.exactEntropyProduction()
        let states = 1 << model.sites
        var literal = 0.0
        for k in 0..<states {
            for kNext in 0..<states {
                let forward = IsingFixture.transition(model, from: k, to: kNext)
                let backward = IsingFixture.transition(model, from: kNext, to: k)
                literal += exact.stationaryDistribution[k] * forward * log(forward / backward)
            }
        }
        #expect(exact.entropyProduction > 0.05)
        #expect(abs(exact.entropyProduction - literal) <= 1e-13, "closed form \(exact.entropyProduction), literal \(literal)")
        #expect(abs(exact.entropyProduction - exact.entropyProductionRelation) <= 1e-12)
        // p is stationary: Σ_s p(s) W(s′|s) = p(s′).
        for kNext in 0..<states {
            let image = (0..<states).reduce(0.0) { $0 + exact.stationaryDistribution[$1] * IsingFixture.transition(model, from: $1, to: kNext) }
            #expect(abs(image - exact.stationaryDistribution[kNext]) <= 1e-14)
        }
    }

    /// The matrix-free (factorized) operator gives the dense one's p and σ, at an odd N = 9 (unequal halves).
    @Test func denseAndFactorizedStorageAgree() throws {
        let model = try IsingFixture.asymmetric(sites: 9, scale: 1.0)
        let dense = try model.exactEntropyProduction(options: .init(storage: .dense))
        let free = try model.exactEntropyProduction(options: .init(storage: .factorized))
        #expect(dense.storage == .dense && free.storage == .factorized)
        let worst = zip(dense.stationaryDistribution, free.stationaryDistribution).reduce(0.0) { r, pair in max(r, abs(pair.0 - pair.1)) }
        #expect(worst <= 1e-14)
        #expect(abs(dense.entropyProduction - free.entropyProduction) <= 1e-12)
        #expect(abs(dense.entropyProduction - dense.entropyProductionRelation) <= 1e-12)
    }

    @Test func tooManySitesTooLittleMemoryAndNoConvergenceAreErrors() throws {
        let big = try IsingFixture.asymmetric(sites: 17, scale: 0.5)
        #expect(throws: SpinModelsError.self) { try big.exactEntropyProduction() }
        do {
            _ = try big.exactEntropyProduction()
        } catch let error {
            #expect(error.description.contains("N ≤ 16"))
        }
        let model = try IsingFixture.asymmetric(sites: 10, scale: 0.5)
        do {
            _ = try model.exactEntropyProduction(options: .init(budget: MemoryBudget(bytes: 1 << 16)))
            Issue.record("expected insufficientMemory")
        } catch let error {
            guard case .insufficientMemory = error else { Issue.record("got \(error)"); return }
        }
        do {
            _ = try model.exactEntropyProduction(options: .init(maximumIterations: 2))
            Issue.record("expected notConverged")
        } catch let error {
            guard case .notConverged = error else { Issue.record("got \(error)"); return }
        }
    }
}
