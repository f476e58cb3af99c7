/// Anderson acceleration (type II, undamped) for a fixed point z = g(z) of a map on N × D arrays (column-major,
/// row i = site i), shared by the mean-field solve and its adjoint (docs/theory/spin-fixed-points.md §2).
///
/// Algorithm (Anderson 1965; Walker & Ni 2011; the HEAD solver of the neqnn code): z₀ = init, z₁ = g(z₀); with the
/// last n ≤ m residuals r_k = g(z_k) − z_k and their Gram matrix G_kl = r_k·r_l, solve the bordered system
///
///     [ 0   1ᵀ                      ] [ μ ]   [ 1 ]
///     [ 1   G + λ·mean(diag G)·I    ] [ w ] = [ 0 ]
///
/// (weights Σ w_k = 1 minimising ‖Σ w_k r_k‖² with a relative ridge λ), and step to z = Σ w_k g(z_k). Before each
/// solve the worst-site residual max_i ‖r_i‖ is tested. The iterate with the smallest residual seen is returned
/// (the iterate, not its image). A singular bordered system falls back to the plain Picard step z = g(z).
///
/// Cost per iteration: one map evaluation plus O(m·N·D) for the new Gram row and the combination, both in a fixed
/// summation order (no threads), so the result has the same bits for any BLAS thread count as long as the map does.
/// Memory: (2m + 4)·N·D doubles, allocated once per solve (no allocation inside the loop).
final class AndersonAccelerator {
    let rows: Int
    let columns: Int
    let count: Int
    let window: Int
    let ridge: Double
    let maxIterations: Int

    private let z: UnsafeMutablePointer<Double>
    private let image: UnsafeMutablePointer<Double>
    private let best: UnsafeMutablePointer<Double>
    private let images: UnsafeMutablePointer<Double>
    private let residuals: UnsafeMutablePointer<Double>
    private let siteNorms: UnsafeMutablePointer<Double>
    private var gram: [Double]
    private var system: [Double]
    private var weights: [Double]

    struct Outcome {
        var iterate: [Double]
        var residual: Double
        var iterations: Int
        var converged: Bool
    }

    /// The doubles a solve of `rows × columns` with history `window` holds (for the memory check).
    static func workspaceCount(rows: Int, columns: Int, window: Int) -> Int? {
        let (count, o1) = rows.multipliedReportingOverflow(by: columns)
        let (total, o2) = count.multipliedReportingOverflow(by: 2 * window + 4)
        return o1 || o2 ? nil : total
    }

    init(rows: Int, columns: Int, options: FixedPointOptions) {
        self.rows = rows
        self.columns = columns
        self.count = rows * columns
        self.maxIterations = options.maxIterations
        self.window = max(1, min(options.window, options.maxIterations))
        self.ridge = options.ridge
        z = .allocate(capacity: count)
        image = .allocate(capacity: count)
        best = .allocate(capacity: count)
        images = .allocate(capacity: count * window)
        residuals = .allocate(capacity: count * window)
        siteNorms = .allocate(capacity: rows)
        gram = [Double](repeating: 0, count: window * window)
        system = [Double](repeating: 0, count: (window + 1) * (window + 1))
        weights = [Double](repeating: 0, count: window + 1)
    }

    deinit {
        z.deallocate(); image.deallocate(); best.deallocate()
        images.deallocate(); residuals.deallocate(); siteNorms.deallocate()
    }

    /// Runs the iteration from `initial` (count entries) until the worst-site residual is ≤ `tolerance` or
    /// `maxIterations` map evaluations are spent. `map(z, out)` writes g(z) into `out`.
    /// - Throws: ``SpinModelsError/nonFinite(_:)`` if a residual is not finite (named by `operation`), or what
    ///   `map` throws.
    func solve(initial: UnsafeBufferPointer<Double>, tolerance: Double, operation: String,
               map: (UnsafePointer<Double>, UnsafeMutablePointer<Double>) throws(SpinModelsError) -> Void)
        throws(SpinModelsError) -> Outcome {
        z.update(from: initial.baseAddress!, count: count)
        var bestResidual = Double.infinity
        var stored = 0
        var used = 0
        var converged = false
        for iteration in 1...maxIterations {
            used = iteration
            try map(UnsafePointer(z), image)
            let slot = stored % window
            let g = images + slot * count, r = residuals + slot * count
            for k in 0..<count { g[k] = image[k]; r[k] = image[k] - z[k] }
            stored += 1
            let residual = worstSiteNorm(r)
            guard residual.isFinite else { throw .nonFinite("\(operation): residual at iteration \(iteration)") }
            if residual < bestResidual {
                bestResidual = residual
                best.update(from: z, count: count)
            }
            if residual <= tolerance { converged = true; break }
            if iteration == maxIterations { break }
            let n = min(stored, window)
            updateGram(slot: slot, filled: n)
            if n == 1 || !solveWeights(filled: n) {
                z.update(from: image, count: count)
                continue
            }
            for k in 0..<count { z[k] = 0 }
            for l in 0..<n {
                let w = weights[l], gl = images + l * count
                for k in 0..<count { z[k] += w * gl[k] }
            }
        }
        return Outcome(iterate: Array(UnsafeBufferPointer(start: best, count: count)), residual: bestResidual,
                       iterations: used, converged: converged)
    }

    /// max_i ‖v_i‖ over the sites (rows) of a column-major rows × columns array.
    func worstSiteNorm(_ v: UnsafePointer<Double>) -> Double {
        for i in 0..<rows { siteNorms[i] = 0 }
        for j in 0..<columns {
            let col = v + j * rows
            for i in 0..<rows { siteNorms[i] += col[i] * col[i] }
        }
        var worst = 0.0
        for i in 0..<rows {
            let s = siteNorms[i]
            if !(s <= worst) { worst = s }   // propagates NaN
        }
        return worst.squareRoot()
    }

    /// Gram row and column of the residual just stored in `slot` against the `filled` stored ones.
    private func updateGram(slot: Int, filled: Int) {
        let r = residuals + slot * count
        for l in 0..<filled {
            let other = residuals + l * count
            var s = 0.0
            for k in 0..<count { s += r[k] * other[k] }
            gram[slot * window + l] = s
            gram[l * window + slot] = s
        }
    }

    /// Solves the bordered least-squares system for the weights over the `filled` slots (Gaussian elimination with
    /// partial pivoting on the (n + 1) × (n + 1) system). False if it is singular or the weights are not finite.
    private func solveWeights(filled n: Int) -> Bool {
        let size = n + 1
        var meanDiagonal = 0.0
        for l in 0..<n { meanDiagonal += gram[l * window + l] }
        meanDiagonal /= Double(n)
        let shift = ridge * meanDiagonal
        // Row-major system, right-hand side in `weights`.
        for a in 0..<size {
            for b in 0..<size {
                let v: Double
                if a == 0 && b == 0 { v = 0 }
                else if a == 0 || b == 0 { v = 1 }
                else { v = gram[(a - 1) * window + (b - 1)] + (a == b ? shift : 0) }
                system[a * size + b] = v
            }
            weights[a] = a == 0 ? 1 : 0
        }
        for col in 0..<size {
            var pivot = col, largest = abs(system[col * size + col])
            for row in (col + 1)..<max(size, col + 1) where abs(system[row * size + col]) > largest {
                largest = abs(system[row * size + col]); pivot = row
            }
            guard largest > 0, largest.isFinite else { return false }
            if pivot != col {
                for b in 0..<size { system.swapAt(col * size + b, pivot * size + b) }
                weights.swapAt(col, pivot)
            }
            let p = system[col * size + col]
            for row in (col + 1)..<max(size, col + 1) {
                let f = system[row * size + col] / p
                if f == 0 { continue }
                for b in col..<size { system[row * size + b] -= f * system[col * size + b] }
                weights[row] -= f * weights[col]
            }
        }
        for row in stride(from: size - 1, through: 0, by: -1) {
            var s = weights[row]
            for b in (row + 1)..<max(size, row + 1) { s -= system[row * size + b] * weights[b] }
            weights[row] = s / system[row * size + row]
        }
        // weights[0] is the multiplier μ; shift the weights down to slots 0..<n.
        for l in 0..<n { weights[l] = weights[l + 1] }
        for l in 0..<n where !weights[l].isFinite { return false }
        return true
    }
}
