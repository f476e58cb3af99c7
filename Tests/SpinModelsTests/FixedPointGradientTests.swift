import LinearAlgebra
import SpinModels
import Testing

/// The implicit adjoint gradient against central finite differences of re-solved fixed points and against
/// backpropagation through unrolled Picard steps; the Hebbian and housekeeping EP gradients against finite
/// differences.
@Suite struct FixedPointGradientTests {
    static let tight = FixedPointOptions(maxIterations: 200, tolerance: 1e-14)

    /// L(m*) = Σ c∘m* with random c: ∂L/∂x and ∂L/∂J by the adjoint agree with central differences (step 1e-4,
    /// every entry, fixed points re-solved to 1e-14) to 1e-7 absolute (gradients are O(1)).
    @Test(arguments: [SpinResponse.largeDimension, .exact])
    func implicitGradientMatchesFiniteDifferences(response: SpinResponse) throws {
        let mf = try FixedPointSystems.system(sites: 5, dimension: 4, scale: 1.2, u: 1, beta: 1.5, seed: 8, response: response)
        let c = try Matrix(rows: 5, columns: 4, columnMajor: FixedPointSystems.normals(20, seed: 4))
        let solution = try mf.fixedPoint(options: Self.tight)
        let gradient = try mf.implicitGradient(at: solution, upstream: c, options: FixedPointOptions(tolerance: 1e-13))
        #expect(gradient.converged)
        func loss(_ j: Matrix, _ x: Matrix) throws -> Double {
            let other = try NaiveMeanField(couplings: j, inputs: x, beta: mf.beta, space: mf.space, response: response)
            let m = try other.fixedPoint(options: Self.tight)
            #expect(m.converged)
            return zip(c.storage, m.magnetizations.storage).map(*).reduce(0, +)
        }
        let h = 1e-4
        var worst = 0.0
        for i in 0..<5 {
            for k in 0..<4 {
                var xp = mf.inputs, xm = mf.inputs
                xp[i, k] += h; xm[i, k] -= h
                let fd = (try loss(mf.couplings, xp) - loss(mf.couplings, xm)) / (2 * h)
                worst = max(worst, abs(fd - gradient.inputs[i, k]))
            }
            for k in 0..<5 {
                var jp = mf.couplings, jm = mf.couplings
                jp[i, k] += h; jm[i, k] -= h
                let fd = (try loss(jp, mf.inputs) - loss(jm, mf.inputs)) / (2 * h)
                worst = max(worst, abs(fd - gradient.couplings[i, k]))
            }
        }
        #expect(worst < 1e-7)
    }

    /// Backpropagation through K = 300 Picard steps from 0 converges to the implicit gradient (the transient
    /// contributions decay as ρ^K): agreement to 1e-10 for x and J.
    @Test func implicitGradientMatchesUnrolledPicard() throws {
        let mf = try FixedPointSystems.system(sites: 16, dimension: 8, scale: 1, u: 0.75, beta: 1, seed: 17)
        let c = try Matrix(rows: 16, columns: 8, columnMajor: FixedPointSystems.normals(128, seed: 6))
        let solution = try mf.fixedPoint(options: Self.tight)
        let implicit = try mf.implicitGradient(at: solution, upstream: c, options: FixedPointOptions(maxIterations: 100, tolerance: 1e-14))
        #expect(implicit.converged)
        let unrolled = try mf.unrolledGradient(steps: 300, upstream: c)
        #expect(implicit.inputs.maxAbsDifference(unrolled.inputs) < 1e-10)
        #expect(implicit.couplings.maxAbsDifference(unrolled.couplings) < 1e-10)
        #expect(unrolled.start.maxAbsEntry < 1e-10)
        // The adjoint satisfies a = u + a·∂g/∂m.
        let back = try mf.vectorJacobianProduct(at: solution.state, implicit.adjoint)
        #expect((c + back).maxAbsDifference(implicit.adjoint) < 1e-12)
    }

    /// An unconverged fixed point is refused; a too-small adjoint budget is flagged (or thrown with
    /// requireConvergence); a zero upstream gives zero gradients.
    @Test func adjointEdgeCases() throws {
        let mf = ReferenceSystem.meanField
        let u = Matrix(rows: 3, columns: 8, repeating: 1)
        let rough = try mf.fixedPoint(options: FixedPointOptions(maxIterations: 2, tolerance: 1e-12))
        #expect(throws: SpinModelsError.self) { try mf.implicitGradient(at: rough, upstream: u) }
        let solution = try mf.fixedPoint(options: Self.tight)
        let short = try mf.implicitGradient(at: solution, upstream: u, options: FixedPointOptions(maxIterations: 1, tolerance: 1e-14))
        #expect(!short.converged)
        #expect(throws: SpinModelsError.self) {
            try mf.implicitGradient(at: solution, upstream: u, options: FixedPointOptions(maxIterations: 1, tolerance: 1e-14, requireConvergence: true))
        }
        let zero = try mf.implicitGradient(at: solution, upstream: Matrix(rows: 3, columns: 8))
        #expect(zero.couplings.maxAbsEntry == 0 && zero.inputs.maxAbsEntry == 0)
    }

    /// Stop-gradient EP σ(J) = β Σ (J − Jᵀ)∘D with D held: central differences equal the Hebbian rule β(D − Dᵀ) to
    /// 1e-7; housekeeping σ_hk(J) with C* held: central differences equal β²(J − Jᵀ)∘(C* + C*ᵀ) = 2β²(J − Jᵀ)∘C*
    /// (C* symmetric at the fixed point) to 1e-7, which is twice the Hebbian rule applied to D = βJ∘C*.
    /// Reference system of §9 at β = 1 and a random N = 6 one at β = 0.7.
    @Test(arguments: [0, 1])
    func hebbianAndHousekeepingGradients(which: Int) throws {
        let mf = which == 0 ? ReferenceSystem.meanField
            : try FixedPointSystems.system(sites: 6, dimension: 12, scale: 1, u: 1, beta: 0.7, seed: 31)
        let beta = mf.beta, n = mf.sites, j = mf.couplings
        let star = try mf.fixedPoint(options: Self.tight).state
        let cStar = try mf.space.traceProduct(current: star, previous: star)
        let d = try SpinEntropyProduction.delayedCorrelation(couplings: j, traceProduct: cStar, beta: beta)
        let hebbian = try SpinEntropyProduction.hebbianUpdate(delayedCorrelation: d, beta: beta)
        let housekeeping = try SpinEntropyProduction.housekeepingGradient(couplings: j, traceProduct: cStar, beta: beta)
        let h = 1e-5
        var worstSigma = 0.0, worstHK = 0.0
        for a in 0..<n {
            for b in 0..<n {
                var jp = j, jm = j
                jp[a, b] += h; jm[a, b] -= h
                let fdSigma = (try SpinEntropyProduction.steadyStateRelation(couplings: jp, delayedCorrelation: d, beta: beta)
                    - SpinEntropyProduction.steadyStateRelation(couplings: jm, delayedCorrelation: d, beta: beta)) / (2 * h)
                worstSigma = max(worstSigma, abs(fdSigma - hebbian[a, b]))
                let fdHK = (try SpinEntropyProduction.housekeeping(couplings: jp, traceProduct: cStar, beta: beta)
                    - SpinEntropyProduction.housekeeping(couplings: jm, traceProduct: cStar, beta: beta)) / (2 * h)
                worstHK = max(worstHK, abs(fdHK - housekeeping[a, b]))
                let symmetricForm = 2 * beta * beta * (j[a, b] - j[b, a]) * cStar[a, b]
                #expect(abs(housekeeping[a, b] - symmetricForm) < 1e-12)
                #expect(abs(housekeeping[a, b] - 2 * hebbian[a, b]) < 1e-12)
            }
        }
        #expect(worstSigma < 1e-7)
        #expect(worstHK < 1e-7)
    }
}
