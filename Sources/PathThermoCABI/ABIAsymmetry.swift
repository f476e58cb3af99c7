import LinearAlgebra
import Thermodynamics

/// `pt_asymmetry`: the attention query–key asymmetry index η(W) = ‖W_A‖_F / ‖W‖_F, W_A = (W − Wᵀ)/2
/// (paper Eq. 30; ``attentionAsymmetryIndex(_:)``, as `paththermo asymmetry`). Cost O(n²).
@_cdecl("pt_asymmetry")
public func pt_asymmetry(
    _ w: UnsafeRawPointer?, _ dtype: Int32, _ rows: Int64, _ columns: Int64, _ rowStride: Int64, _ columnStride: Int64,
    _ indexOut: UnsafeMutablePointer<Double>?,
    _ message: UnsafeMutablePointer<CChar>?, _ messageCapacity: Int64
) -> Int32 {
    abiCall(message: message, capacity: messageCapacity) {
        guard let indexOut else { throw ABIArgumentError("index_out: null output pointer") }
        let wm = try abiMatrix("w", w, dtype, rows, columns, rowStride, columnStride)
        indexOut.pointee = try attentionAsymmetryIndex(wm)
    }
}
