#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra
import Stochastics

/// Wood's (1994) rejection sampler for the von Mises–Fisher law of a spin s = R u on the sphere of radius R in R^D,
/// p(s) ∝ exp(β h·s), i.e. u ~ vMF(μ = ĥ, κ = βR‖h‖) on S^{D−1} (docs/theory/spin-chain.md §1).
///
/// The cosine W = u·μ has density ∝ e^{κw}(1 − w²)^{(D−3)/2}; with d₁ = D − 1,
///
///     b = d₁ / (2κ + √(4κ² + d₁²)),   x₀ = (1 − b)/(1 + b),   c = κx₀ + d₁ ln(1 − x₀²)
///     Z ~ Beta(d₁/2, d₁/2),  W = (1 − (1 + b)Z)/(1 − (1 − b)Z),  accept if κW + d₁ ln(1 − x₀W) − c ≥ ln U,
///
/// then u = W μ + √(1 − W²) v with v uniform on the unit sphere orthogonal to μ. Implementation choices:
/// * v = g_⊥/‖g_⊥‖ from D standard normals g with their μ-component removed; ‖g_⊥‖² ~ χ²_{d₁} is independent of v
///   and is the first attempt's χ² in Z = X/(X + Y) (X, Y ~ χ²_{d₁}, i.e. 2·Gamma(d₁/2)); Y (and both on a retry) by
///   Marsaglia & Tsang's (2000) gamma sampler, whose first normal is the μ-component g·μ (independent of g_⊥).
/// * 1 − W = 2bZ/(1 − (1 − b)Z) and (1 − x₀W)/(1 − x₀²) = (1 + b)²Z/(2(1 − (1 − b)Z)) + (1 + b)W/2 are used instead
///   of the textbook forms, so nothing cancels when κ ≫ D (x₀, W → 1).
/// Acceptance is high for every (κ, D) (Wood 1994); cost O(D) + a few logarithms per draw.
/// Reference: A. T. A. Wood, "Simulation of the von Mises Fisher distribution", Commun. Stat. Simul. Comput. 23,
/// 157–164 (1994); G. Marsaglia & W. W. Tsang, ACM TOMS 26, 363–372 (2000).
public enum VonMisesFisherSampler {
    /// `count` independent draws of s = R u, u ~ vMF(ĥ, βR‖h‖), as the rows of a count × D matrix. Draw n uses
    /// stream n of the chain's two counter streams (``ChainSeeds``) at step 0, so it is a pure function of
    /// (seed, n).
    /// - Throws: ``SpinModelsError`` for a field of the wrong length or non-finite, β ≤ 0, a count < 1 or over the
    ///   memory budget.
    public static func sample(field: [Double], beta: Double, space: SpinSpace, count: Int, seed: UInt64)
        throws(SpinModelsError) -> Matrix {
        let d = space.dimension
        guard field.count == d else {
            throw .dimensionMismatch("the field has \(field.count) components, the spin dimension D is \(d)")
        }
        guard field.allSatisfy(\.isFinite) else { throw .nonFinite("field h") }
        try SpinSpace.checkBeta(beta)
        guard count >= 1 else { throw .invalidArgument("the number of draws must be ≥ 1, got \(count)") }
        guard count <= (1 << 40) / d else {
            throw .insufficientMemory("\(count) draws × D = \(d) values exceed the 2^40-value limit")
        }
        let seeds = ChainSeeds(seed: seed)
        var out = [Double](repeating: 0, count: count * d)
        var g = [Double](repeating: 0, count: d), s = g
        let betaRadius = beta * space.radius
        for n in 0..<count {
            do {
                try g.withUnsafeMutableBufferPointer { (buffer) throws(StochasticsError) in
                    try NoiseStream.fill(seed: seeds.directions, stream: UInt64(n), first: 0, into: buffer)
                }
            } catch { throw .invalidArgument("random stream: \(error)") }
            var scalars: ScalarDraws
            do { scalars = ScalarDraws(address: try CounterAddress(seed: seeds.scalars, stream: UInt64(n), step: 0)) }
            catch { throw .invalidArgument("random stream: \(error)") }
            try field.withUnsafeBufferPointer { (h) throws(SpinModelsError) in
                try g.withUnsafeMutableBufferPointer { (gp) throws(SpinModelsError) in
                    try s.withUnsafeMutableBufferPointer { (sp) throws(SpinModelsError) in
                        var hs = 0.0
                        _ = try draw(field: h.baseAddress!, normals: gp.baseAddress!, into: sp.baseAddress!, dimension: d,
                                     betaRadius: betaRadius, radius: space.radius, scalars: &scalars, fieldDotState: &hs)
                    }
                }
            }
            for k in 0..<d { out[n + k * count] = s[k] }
        }
        do { return try Matrix(rows: count, columns: d, columnMajor: out) }
        catch { throw .invalidArgument("\(error)") }
    }

    /// One draw s = R u, u ~ vMF(ĥ, κ = βR‖h‖): reads the field h (D values), overwrites the D standard normals g
    /// (scratch), writes s. Returns the number of Wood attempts (≥ 1). A zero field gives a uniform direction.
    ///
    /// Two passes over the D components where possible: (h·h, g·h, g·g) together, then s = (R w/‖h‖ − t c) h + t g
    /// with c = g·h/h·h and t = R √(1 − w²)/‖g_⊥‖, ‖g_⊥‖² = g·g − (g·h)²/h·h. Where that difference would lose more
    /// than two bits (g within 30° of h: ‖g_⊥‖² < g·g/4) g_⊥ is formed explicitly first, as before.
    /// - Parameters:
    ///   - sum: when given, s is also added to it (the chain's running Σ_t s_t).
    ///   - fieldDotState: receives h·s = R w ‖h‖ (exact: the tangent part is orthogonal to h), the forward term of the
    ///     path log-ratio.
    @inline(__always)
    static func draw(field h: UnsafePointer<Double>, normals g: UnsafeMutablePointer<Double>,
                     into s: UnsafeMutablePointer<Double>, dimension d: Int, betaRadius: Double, radius: Double,
                     scalars: inout ScalarDraws, sum: UnsafeMutablePointer<Double>? = nil,
                     fieldDotState: inout Double) throws(SpinModelsError) -> Int {
        let (hh, gh, gg0) = ChainKernels.dots3(h, g, d)
        let hn = hh.squareRoot()
        let kappa = betaRadius * hn
        guard kappa > 0 else {
            var gg = gg0
            while !(gg > 0) {
                gg = 0
                for k in 0..<d { g[k] = try scalars.normal(); gg += g[k] * g[k] }
            }
            let scale = radius / gg.squareRoot()
            ChainKernels.combine(into: s, 0, h, scale, g, d, sum: sum)
            fieldDotState = 0
            return 1
        }
        let inv = 1 / hn
        // Split g into its μ-component (a normal, reused by the gamma sampler) and g_⊥ (the tangent direction).
        let along = gh * inv
        var c0 = along * inv
        var x = gg0 - along * along
        if !(x >= 0.25 * gg0) {
            x = ChainKernels.subtractScaled(g, c0, h, d)  // g ← g_⊥ explicitly
            c0 = 0
        }
        while !(x > 0) {  // g_⊥ = 0 has probability 0; redraw from the scalar stream if the float normals hit it
            for k in 0..<d { g[k] = try scalars.normal() }
            x = ChainKernels.subtractScaled(g, ChainKernels.dot(g, h, d) * inv * inv, h, d)
            c0 = 0
        }
        let d1 = Double(d - 1)
        let shape = 0.5 * d1
        let b = d1 / (2 * kappa + (4 * kappa * kappa + d1 * d1).squareRoot())
        let oneMinusX0 = 2 * b / (1 + b)
        let onePlusB = 1 + b
        var chiX = x
        var chiY = 2 * (try gamma(shape: shape, firstNormal: along, scalars: &scalars))
        var attempts = 1
        var oneMinusW = 0.0, w = 0.0
        while true {
            let z = chiX / (chiX + chiY)
            let den = 1 - (1 - b) * z
            oneMinusW = 2 * b * z / den
            w = 1 - oneMinusW
            let ratio = onePlusB * onePlusB * z / (2 * den) + onePlusB * w / 2
            let lhs = kappa * (oneMinusX0 - oneMinusW) + d1 * log(ratio)
            let u = try scalars.uniform()
            if lhs >= log(u) { break }
            attempts += 1
            chiX = 2 * (try gamma(shape: shape, firstNormal: nil, scalars: &scalars))
            chiY = 2 * (try gamma(shape: shape, firstNormal: nil, scalars: &scalars))
        }
        let radial = radius * w * inv
        let tangential = radius * (oneMinusW * (2 - oneMinusW)).squareRoot() / x.squareRoot()
        ChainKernels.combine(into: s, radial - tangential * c0, h, tangential, g, d, sum: sum)
        fieldDotState = radius * w * hn
        return attempts
    }

    /// Gamma(a, 1) for a ≥ 1 by Marsaglia & Tsang (2000): d = a − 1/3, c = 1/√(9d); x normal, v = (1 + cx)³ > 0,
    /// accept d·v if u < 1 − 0.0331x⁴ or ln u < x²/2 + d(1 − v + ln v). `firstNormal` (if given) is the first x.
    @inline(__always)
    static func gamma(shape a: Double, firstNormal: Double?, scalars: inout ScalarDraws) throws(SpinModelsError) -> Double {
        let dd = a - 1.0 / 3.0
        let cc = 1 / (9 * dd).squareRoot()
        var next = firstNormal
        while true {
            let xn: Double
            if let f = next { xn = f; next = nil } else { xn = try scalars.normal() }
            var v = 1 + cc * xn
            guard v > 0 else { continue }
            v = v * v * v
            let u = try scalars.uniform()
            let x2 = xn * xn
            if u < 1 - 0.0331 * x2 * x2 { return dd * v }
            if log(u) < 0.5 * x2 + dd * (1 - v + log(v)) { return dd * v }
        }
    }
}
