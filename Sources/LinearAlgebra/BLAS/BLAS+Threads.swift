import CLAPACK

/// OpenBLAS's thread controls.
extension BLAS {
    /// The number of threads OpenBLAS splits one call over (`openblas_get_num_threads`). Process-wide; its
    /// start value comes from `OPENBLAS_NUM_THREADS` (else every processor OpenBLAS sees).
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// The number of processors OpenBLAS sees (`openblas_get_num_procs`).
    public static var processorCount: Int { Int(openblas_get_num_procs()) }

    /// Sets ``threadCount`` (`openblas_set_num_threads`), process-wide: `count < 1` selects
    /// ``processorCount``, a count above BLAS's integer range is clamped to it (OpenBLAS caps it further at
    /// its compiled maximum). Speed only for the blocked routines; the project's thread-invariant results
    /// do not rely on it (see `Dynamics`' row-blocked products).
    public static func setThreadCount(_ count: Int) {
        let wanted = count < 1 ? processorCount : count
        openblas_set_num_threads(Int32(clamping: wanted))
    }
}
