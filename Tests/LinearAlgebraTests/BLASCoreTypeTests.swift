import LinearAlgebra
import Testing

/// ``BLAS/suggestedCoreType(coreName:cpuFlags:)``: a better kernel family only where OpenBLAS fell back to a generic
/// one on a CPU that runs AVX2 or AVX-512 kernels.
@Suite("OpenBLAS kernel family")
struct BLASCoreTypeTests {
    static let avx512: Set<String> = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]

    @Test func fallbackOnAnAVX512MachineGetsSkylakeX() {
        #expect(BLAS.suggestedCoreType(coreName: "Prescott", cpuFlags: Self.avx512) == "SkylakeX")
        #expect(BLAS.suggestedCoreType(coreName: "CORE2", cpuFlags: Self.avx512) == "SkylakeX")
    }

    @Test func fallbackOnAnAVX2MachineGetsHaswell() {
        #expect(BLAS.suggestedCoreType(coreName: "Prescott", cpuFlags: ["avx", "avx2", "fma"]) == "Haswell")
        // AVX-512 F alone (without BW, DQ, VL) does not run the SkylakeX kernels.
        #expect(BLAS.suggestedCoreType(coreName: "Nehalem", cpuFlags: ["avx2", "fma", "avx512f"]) == "Haswell")
        #expect(BLAS.suggestedCoreType(coreName: "Sandybridge", cpuFlags: ["avx", "avx2", "fma"]) == "Haswell")
    }

    @Test func recognisedFamiliesAndOldCPUsAreKept() {
        for name in ["Haswell", "SkylakeX", "Zen", "CooperLake", "SapphireRapids"] {
            #expect(BLAS.suggestedCoreType(coreName: name, cpuFlags: Self.avx512) == nil, "\(name)")
        }
        #expect(BLAS.suggestedCoreType(coreName: "Prescott", cpuFlags: ["sse3", "avx"]) == nil)
        #expect(BLAS.suggestedCoreType(coreName: "Prescott", cpuFlags: []) == nil)
        #expect(BLAS.suggestedCoreType(coreName: "Prescott", cpuFlags: ["avx2"]) == nil)
    }

    @Test func thisProcessReportsItsFamilyAndFlags() {
        #expect(!BLAS.coreName.isEmpty && BLAS.coreName != "unknown")
        #if os(Linux) && arch(x86_64)
        #expect(BLAS.cpuFlags.contains("sse2"), "x86-64 always has SSE2 in /proc/cpuinfo")
        #endif
    }
}
