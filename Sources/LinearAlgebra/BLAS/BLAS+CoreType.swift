import CLAPACK
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// OpenBLAS's kernel family ("core type") and the correction of a known misdetection.
///
/// OpenBLAS built with `DYNAMIC_ARCH` (Debian's `libopenblas0-pthread`) chooses its kernels once, when the library is
/// loaded, from the CPU's vendor, family and model. A CPU model newer than the library falls back to the generic
/// SSE3 kernels ("Prescott"): OpenBLAS 0.3.21 on an Intel family 6 model 0xCF (Emerald Rapids, AVX-512) does, and
/// its `dgemm` then runs at 6–10 GFLOP/s on one core where the AVX-512 kernels ("SkylakeX") reach 40–56 and the AVX2
/// ones ("Haswell") 20–30 (`python3 scripts/bench_blas_core.py`; docs/benchmarks.md, "OpenBLAS kernels").
/// The variable `OPENBLAS_CORETYPE` overrides the choice, but only when it is set before the library loads — for a
/// program linked against OpenBLAS, before the process starts. `paththermo` therefore restarts itself once with the
/// variable set when ``suggestedCoreType(coreName:cpuFlags:)`` names a better family (PathThermoCLI's `StartUp`);
/// a value the user sets is always kept.
///
/// The kernel family changes the rounding of BLAS results in the last bits (never the reproducibility across thread
/// counts, seeds or shards, which holds within one family): every JSON result records it in `provenance.blas_core`.
extension BLAS {
    /// The kernel family OpenBLAS chose in this process (`openblas_get_corename`), e.g. `Prescott`, `Haswell`,
    /// `SkylakeX`.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The generic, pre-AVX2 kernel families OpenBLAS falls back to for a CPU it does not recognise.
    public static let fallbackCoreNames: Set<String> = [
        "prescott", "katmai", "coppermine", "northwood", "banias", "core2", "penryn", "dunnington", "nehalem",
        "atom", "sandybridge",
    ]

    /// The kernel family to request through `OPENBLAS_CORETYPE`, or `nil` to keep OpenBLAS's own choice.
    ///
    /// A family is suggested only when OpenBLAS chose one of ``fallbackCoreNames`` although the CPU offers more:
    /// `SkylakeX` when it has AVX-512 F, CD, BW, DQ and VL (the instructions those kernels use), else `Haswell` when it
    /// has AVX2 and FMA. A CPU without AVX2 and FMA, or a recognised family, gets `nil`.
    ///
    /// - Parameters:
    ///   - coreName: OpenBLAS's choice (``coreName``).
    ///   - cpuFlags: the CPU's feature flags as `/proc/cpuinfo` spells them (``cpuFlags``); evaluated only when
    ///     `coreName` is a fallback family (the CLI calls this at every start-up).
    public static func suggestedCoreType(coreName: String, cpuFlags: @autoclosure () -> Set<String>) -> String? {
        guard fallbackCoreNames.contains(coreName.lowercased()) else { return nil }
        let flags = cpuFlags()
        if ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) { return "SkylakeX" }
        if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
        return nil
    }

    /// The feature flags of the first processor in `/proc/cpuinfo` (Linux; empty where the file is absent or has no
    /// `flags` line).
    public static var cpuFlags: Set<String> {
        guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>? = nil, capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            guard text.hasPrefix("flags") else { continue }
            guard let colon = text.firstIndex(of: ":") else { return [] }
            return Set(text[text.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
                .map(String.init))
        }
        return []
    }
}
