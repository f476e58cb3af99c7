import ArrayIO
import LinearAlgebra
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What `paththermo` does before it parses its arguments.
enum StartUp {
    /// Restarts with better BLAS kernels where OpenBLAS misdetected the CPU (``restartWithBetterBLASKernels()``), then
    /// installs ArrayIO's signal handlers: SIGINT, SIGTERM and SIGHUP remove the temporary files of unfinished
    /// outputs (every output is written under a temporary name and renamed when complete), stop a running
    /// matplotlib, print `paththermo: error: interrupted (SIGINT)` and exit 130 (143, 129); SIGXFSZ is ignored,
    /// so `ulimit -f` turns into a one-line write error.
    static func prepare() {
        restartWithBetterBLASKernels()
        InterruptCleanup.installHandlers(programName: "paththermo")
    }

    /// The environment variable that marks the restart (so it happens at most once).
    static let restartMarker = "PATHTHERMO_BLAS_RESTARTED"

    /// When OpenBLAS fell back to generic kernels on a CPU that runs AVX2 or AVX-512 ones
    /// (``LinearAlgebra/BLAS/suggestedCoreType(coreName:cpuFlags:)``), replaces this process by itself (same
    /// PID, arguments and descriptors; `execv` of the path `/proc/self/exe` names) with `OPENBLAS_CORETYPE` set, which OpenBLAS reads
    /// only when it loads. Nothing happens when `OPENBLAS_CORETYPE` is already set (by the user: any value, even
    /// empty, is kept), after one restart, or when the exec fails (the run goes on with OpenBLAS's own kernels).
    /// The chosen family is recorded in every JSON result (`provenance.blas_core`).
    static func restartWithBetterBLASKernels() {
        guard getenv("OPENBLAS_CORETYPE") == nil, getenv(restartMarker) == nil,
              let core = BLAS.suggestedCoreType(coreName: BLAS.coreName, cpuFlags: BLAS.cpuFlags) else { return }
        // The executable's own path (not /proc/self/exe itself, which would rename the process "exe" in ps and top).
        var path = [CChar](repeating: 0, count: 4097)
        let length = readlink("/proc/self/exe", &path, 4096)
        guard length > 0, length < 4096 else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv(restartMarker, "1", 1)
        execv(path, CommandLine.unsafeArgv)
        unsetenv("OPENBLAS_CORETYPE")  // the exec failed: keep the environment as it was
        unsetenv(restartMarker)
    }
}
