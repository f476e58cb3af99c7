import Autoregressive
import Experiments
import LinearAlgebra

/// `pt_kalman`: entropy production S_y(T) = KL(P→ ‖ P←) of the linear-Gaussian autoregressive (Kalman innovation)
/// model, as `paththermo kalman --json` reports it (``KalmanInnovationModel/report(_:budget:)``, shared with the
/// CLI; docs/theory/autoregressive.md §5). The model is the signal model (A, C, Q, R, through the DARE) when q and r
/// are given, the innovation model (A, C, K, S) when k and s are: an absent matrix has a NULL data pointer (its
/// other five arguments are ignored). `method` "dense" or "linear", `start` "zero" or "stationary";
/// `monteCarlo` 0 for none, else ≥ 2 trajectories from `seed`; `decompose` ≠ 0 adds the retrospective
/// decomposition. The JSON document is the CLI's, `seconds` measured by the library (the exact computation only).
/// Every buffer is checked against the memory budget before allocation. Cost: dense O((T n_y)³), linear O(T n³),
/// plus O(N T n²) for the Monte Carlo and O((T n_y)³) for the decomposition.
@_cdecl("pt_kalman")
public func pt_kalman(
    _ a: UnsafeRawPointer?, _ aDType: Int32, _ aRows: Int64, _ aColumns: Int64, _ aRowStride: Int64, _ aColumnStride: Int64,
    _ c: UnsafeRawPointer?, _ cDType: Int32, _ cRows: Int64, _ cColumns: Int64, _ cRowStride: Int64, _ cColumnStride: Int64,
    _ q: UnsafeRawPointer?, _ qDType: Int32, _ qRows: Int64, _ qColumns: Int64, _ qRowStride: Int64, _ qColumnStride: Int64,
    _ r: UnsafeRawPointer?, _ rDType: Int32, _ rRows: Int64, _ rColumns: Int64, _ rRowStride: Int64, _ rColumnStride: Int64,
    _ k: UnsafeRawPointer?, _ kDType: Int32, _ kRows: Int64, _ kColumns: Int64, _ kRowStride: Int64, _ kColumnStride: Int64,
    _ s: UnsafeRawPointer?, _ sDType: Int32, _ sRows: Int64, _ sColumns: Int64, _ sRowStride: Int64, _ sColumnStride: Int64,
    _ horizon: Int64, _ method: UnsafePointer<CChar>?, _ start: UnsafePointer<CChar>?,
    _ monteCarlo: Int64, _ seed: UInt64, _ decompose: Int32,
    _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ message: UnsafeMutablePointer<CChar>?, _ messageCapacity: Int64
) -> Int32 {
    abiCall(message: message, capacity: messageCapacity) {
        guard jsonOut != nil else { throw ABIArgumentError("json_out: null output pointer") }
        let methodName = try abiUTF8String(method, "method"), startName = try abiUTF8String(start, "start")
        guard let methodValue = KalmanEPMethod(rawValue: methodName) else {
            throw ABIArgumentError("unknown method '\(methodName)' (use dense or linear)")
        }
        guard let startValue = KalmanStart(rawValue: startName) else {
            throw ABIArgumentError("unknown start '\(startName)' (use zero or stationary)")
        }
        let options = KalmanReportOptions(horizon: Int(horizon), method: methodValue, start: startValue,
                                          monteCarloSamples: monteCarlo == 0 ? nil : Int(monteCarlo), seed: seed,
                                          decompose: decompose != 0)
        try KalmanInnovationModel.checkInputs(q: q != nil, r: r != nil, k: k != nil, s: s != nil)
        try options.validate()
        let am = try abiMatrix("a", a, aDType, aRows, aColumns, aRowStride, aColumnStride)
        let cm = try abiMatrix("c", c, cDType, cRows, cColumns, cRowStride, cColumnStride)
        // The DARE (or the model checks) hold a few n × n matrices: checked before the solver allocates them.
        try checkSquareWorkspace("kalman", dimension: max(am.rows, cm.rows), matrices: 16)
        let model = try KalmanInnovationModel(
            a: am, c: cm,
            q: try abiOptionalMatrix("q", q, qDType, qRows, qColumns, qRowStride, qColumnStride),
            r: try abiOptionalMatrix("r", r, rDType, rRows, rColumns, rRowStride, rColumnStride),
            k: try abiOptionalMatrix("k", k, kDType, kRows, kColumns, kRowStride, kColumnStride),
            s: try abiOptionalMatrix("s", s, sDType, sRows, sColumns, sRowStride, sColumnStride))
        try writeJSON(try model.report(options), to: jsonOut)
    }
}
