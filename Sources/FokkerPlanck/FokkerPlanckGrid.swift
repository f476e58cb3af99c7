import Dynamics
import LinearAlgebra

/// The whitened grid (docs/theory/fokker-planck.md §1): with D = L Lᵀ (Cholesky; L = √s I for D = s I) the
/// coordinates y = L⁻¹ x turn dx = f dt + √(2D) dW into dy = g(y) dt + √2 dW, g(y) = L⁻¹ f(L y), with unit
/// diffusion; EP is invariant under the change of coordinates, so σ of the y-process is σ of the x-process.
///
/// The y-box is the bounding box of the image of the x-box [c − L_box, c + L_box]^d under L⁻¹: centre L⁻¹c,
/// half-width along axis a `L_box · Σ_j |(L⁻¹)_aj|`. It contains the whole x-box (for D = s I it is exactly its
/// image, a cube), so the density is cut off no closer to the mass than the user asked. Each y-axis holds n cells
/// of width h_a = 2·halfWidth_a / n. Cells are numbered in C order (the first axis slowest), stride_a = n^(d−1−a).
struct FokkerPlanckGrid: Sendable {
    let dimension: Int
    let cellsPerAxis: Int
    let cellCount: Int
    /// L, row-major d × d (D = L Lᵀ).
    let lower: [Double]
    /// L⁻¹, row-major d × d.
    let lowerInverse: [Double]
    /// det L = √det D.
    let lowerDeterminant: Double
    let center: [Double]
    let halfWidths: [Double]
    let spacing: [Double]
    let strides: [Int]

    init(dimension d: Int, cellsPerAxis n: Int, halfWidth: Double, center c: [Double], diffusion: Diffusion) {
        dimension = d
        cellsPerAxis = n
        var count = 1
        for _ in 0..<d { count *= n }
        cellCount = count
        var l = [Double](repeating: 0, count: d * d)
        if let lm = diffusion.lower {
            for i in 0..<d { for j in 0...i { l[i * d + j] = lm[i, j] } }
        } else {
            let r = diffusion.scale.squareRoot()
            for i in 0..<d { l[i * d + i] = r }
        }
        lower = l
        // L⁻¹ by forward substitution, column by column (L lower triangular with a positive diagonal).
        var inv = [Double](repeating: 0, count: d * d)
        for col in 0..<d {
            for i in col..<d {
                var s = i == col ? 1.0 : 0.0
                for k in col..<i { s -= l[i * d + k] * inv[k * d + col] }
                inv[i * d + col] = s / l[i * d + i]
            }
        }
        lowerInverse = inv
        var det = 1.0
        for i in 0..<d { det *= l[i * d + i] }
        lowerDeterminant = det
        var yc = [Double](repeating: 0, count: d), hw = yc, h = yc
        for a in 0..<d {
            var s = 0.0, w = 0.0
            for j in 0..<d { s += inv[a * d + j] * c[j]; w += abs(inv[a * d + j]) }
            yc[a] = s
            hw[a] = halfWidth * w
            h[a] = 2 * hw[a] / Double(n)
        }
        center = yc
        halfWidths = hw
        spacing = h
        var st = [Int](repeating: 1, count: d)
        for a in stride(from: d - 2, through: 0, by: -1) { st[a] = st[a + 1] * n }
        strides = st
    }

    /// The index k_a of `cell` along axis a.
    @inline(__always) func coordinate(_ cell: Int, axis a: Int) -> Int { (cell / strides[a]) % cellsPerAxis }

    /// The y-coordinate k + `faceOffset` cells from the lower wall along axis a: the centre of cell k for the
    /// default ½, the face between cells k and k + 1 for 1.
    @inline(__always) func position(_ k: Int, axis a: Int, faceOffset: Double = 0.5) -> Double {
        center[a] - halfWidths[a] + (Double(k) + faceOffset) * spacing[a]
    }

    /// The y-volume of one cell, Π h_a.
    var cellVolumeY: Double { spacing.reduce(1, *) }

    /// The x-volume of one cell (a parallelepiped), det L · Π h_a.
    var cellVolumeX: Double { cellVolumeY * lowerDeterminant }

    /// Whether `cell` lies in the outer layer (some k_a = 0 or n − 1).
    func isOuter(_ cell: Int) -> Bool {
        for a in 0..<dimension {
            let k = coordinate(cell, axis: a)
            if k == 0 || k == cellsPerAxis - 1 { return true }
        }
        return false
    }
}
