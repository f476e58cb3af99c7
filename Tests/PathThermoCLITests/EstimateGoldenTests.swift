import Foundation
import Testing
import TestSupport

/// `paththermo estimate` prints the same bytes as before its logic moved into the library
/// (`TrajectoryData.estimateEntropyProduction`): golden outputs of commit fcc3377 on a small OU file, made by the
/// commands in `Tests/Fixtures/estimate/README.md`. Only the timing lines (`"seconds"`) are left out of the JSON.
@Suite("paththermo estimate: golden output")
struct EstimateGoldenTests {
    static let folder = fixturesDirectory.appendingPathComponent("estimate")
    static let model = ["--drift-matrix", "[[-1,0.5],[-0.5,-1]]", "--diffusion", "[[1,0.2],[0.2,0.5]]"]

    /// The output without its `"seconds" : …` lines (wall-clock time).
    /// The output without its timings and without the top-level `provenance` object (version, commit and command
    /// line, added after the golden files were made; its keys are checked by ProvenanceCommandTests).
    static func untimed(_ text: String) -> String {
        var lines: [Substring] = [], inProvenance = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "  \"provenance\" : {" { inProvenance = true; continue }
            if inProvenance { if line.hasPrefix("  }") { inProvenance = false }; continue }
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("\"seconds\" : ") { continue }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// The OpenBLAS kernel family of the golden files. Another family (e.g. Cooperlake's AVX-512 kernels on a Zen 4
    /// EPYC) sums BLAS products in another order and changes the last bits of the estimates, so the bytes are
    /// compared under the family that made them (Prescott: SSE3, runs on every x86-64). Elsewhere, no override.
    static var goldenKernels: [String: String] {
        #if arch(x86_64)
        return ["OPENBLAS_CORETYPE": "Prescott"]
        #else
        return [:]
        #endif
    }

    @Test(arguments: [
        (["--bins", "10"] + model + ["--json"], "all.json"),
        (["--bins", "10"] + model, "all.txt"),
        (["--method", "tur", "--no-dt-extrapolation", "--json"], "tur-plain.json"),
    ])
    func sameBytesAsBefore(arguments: [String], golden: String) throws {
        let r = try runCLI(["estimate", "--trajectories", "ou2d.npy", "--dt", "0.01"] + arguments,
                           environment: Self.goldenKernels, directory: Self.folder)
        #expect(r.status == 0, "\(r.stderr)")
        let expected = try String(contentsOf: Self.folder.appendingPathComponent(golden), encoding: .utf8)
        #expect(Self.untimed(r.stdout) == expected, "\(golden)")
    }
}
