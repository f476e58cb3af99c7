/// Inner loops of the vMF chain over the D components of one spin: sums split over eight partial accumulators (two
/// four-lane vectors, combined in a fixed order), so a sum of D products is not one chain of D dependent additions.
/// The order is a function of D alone: the same bits on every call, thread and unit.
enum ChainKernels {
    /// Σ_k a_k b_k over k < n.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var acc0 = SIMD4<Double>(), acc1 = SIMD4<Double>()
        var k = 0
        while k + 8 <= n {
            acc0 += ra.loadUnaligned(fromByteOffset: 8 * k, as: SIMD4<Double>.self)
                * rb.loadUnaligned(fromByteOffset: 8 * k, as: SIMD4<Double>.self)
            acc1 += ra.loadUnaligned(fromByteOffset: 8 * (k + 4), as: SIMD4<Double>.self)
                * rb.loadUnaligned(fromByteOffset: 8 * (k + 4), as: SIMD4<Double>.self)
            k += 8
        }
        let t = acc0 + acc1
        var s = (t[0] + t[1]) + (t[2] + t[3])
        while k < n { s += a[k] * b[k]; k += 1 }
        return s
    }

    /// g ← g − c·h over k < n, returning Σ_k (g_k − c h_k)², the squared norm of the result.
    @inline(__always)
    static func subtractScaled(_ g: UnsafeMutablePointer<Double>, _ c: Double, _ h: UnsafePointer<Double>, _ n: Int)
        -> Double {
        let rg = UnsafeMutableRawPointer(g), rh = UnsafeRawPointer(h)
        let cv = SIMD4<Double>(repeating: c)
        var acc0 = SIMD4<Double>(), acc1 = SIMD4<Double>()
        var k = 0
        while k + 8 <= n {
            let t0 = rg.loadUnaligned(fromByteOffset: 8 * k, as: SIMD4<Double>.self)
                - cv * rh.loadUnaligned(fromByteOffset: 8 * k, as: SIMD4<Double>.self)
            let t1 = rg.loadUnaligned(fromByteOffset: 8 * (k + 4), as: SIMD4<Double>.self)
                - cv * rh.loadUnaligned(fromByteOffset: 8 * (k + 4), as: SIMD4<Double>.self)
            rg.storeBytes(of: t0, toByteOffset: 8 * k, as: SIMD4<Double>.self)
            rg.storeBytes(of: t1, toByteOffset: 8 * (k + 4), as: SIMD4<Double>.self)
            acc0 += t0 * t0
            acc1 += t1 * t1
            k += 8
        }
        let t = acc0 + acc1
        var s = (t[0] + t[1]) + (t[2] + t[3])
        while k < n { let v = g[k] - c * h[k]; g[k] = v; s += v * v; k += 1 }
        return s
    }

    /// (h·h, g·h, g·g) over k < n in one pass (four-lane partial sums, combined in a fixed order).
    @inline(__always)
    static func dots3(_ h: UnsafePointer<Double>, _ g: UnsafePointer<Double>, _ n: Int) -> (Double, Double, Double) {
        let rh = UnsafeRawPointer(h), rg = UnsafeRawPointer(g)
        var hh = SIMD4<Double>(), gh = SIMD4<Double>(), gg = SIMD4<Double>()
        var k = 0
        while k + 4 <= n {
            let hv = rh.loadUnaligned(fromByteOffset: 8 * k, as: SIMD4<Double>.self)
            let gv = rg.loadUnaligned(fromByteOffset: 8 * k, as: SIMD4<Double>.self)
            hh += hv * hv
            gh += gv * hv
            gg += gv * gv
            k += 4
        }
        var a = (hh[0] + hh[1]) + (hh[2] + hh[3]), b = (gh[0] + gh[1]) + (gh[2] + gh[3])
        var c = (gg[0] + gg[1]) + (gg[2] + gg[3])
        while k < n { a += h[k] * h[k]; b += g[k] * h[k]; c += g[k] * g[k]; k += 1 }
        return (a, b, c)
    }

    /// s ← α h + γ g over k < n, and (when `sum` is given) sum ← sum + s.
    @inline(__always)
    static func combine(into s: UnsafeMutablePointer<Double>, _ alpha: Double, _ h: UnsafePointer<Double>,
                        _ gamma: Double, _ g: UnsafePointer<Double>, _ n: Int, sum: UnsafeMutablePointer<Double>?) {
        if let sum {
            for k in 0..<n { let v = alpha * h[k] + gamma * g[k]; s[k] = v; sum[k] += v }
        } else {
            for k in 0..<n { s[k] = alpha * h[k] + gamma * g[k] }
        }
    }
}
