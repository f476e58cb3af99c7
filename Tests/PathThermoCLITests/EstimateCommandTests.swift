import Foundation
import Testing

/// `paththermo estimate` end to end: files written here, the executable run as a user would.
@Suite("paththermo estimate")
struct EstimateCommandTests {
    /// Euler–Maruyama samples of dx = B x dt + √(2D) dW, B = −(I − αR90) in d = 2 (σ = 2α²), padded with
    /// extra independent OU coordinates (B = −I) up to `dimension`; row-major (B, T, d).
    static func samples(rollouts: Int, states: Int, dimension: Int = 2, alpha: Double = 1, seed: UInt64 = 1) -> [Double] {
        var state = seed
        func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11 | 1) * 0x1p-53
        }
        func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
        let dt = 0.01, noise = (2 * 0.5 * dt).squareRoot(), d = dimension
        var out = [Double](); out.reserveCapacity(rollouts * states * d)
        for _ in 0..<rollouts {
            var x = (0..<d).map { _ in 0.5.squareRoot() * normal() }
            for _ in 0..<200 { step(&x) }
            for _ in 0..<states { out += x; step(&x) }
        }
        func step(_ x: inout [Double]) {
            let f0 = -x[0] - alpha * x[1], f1 = alpha * x[0] - x[1]
            x[0] += dt * f0 + noise * normal()
            x[1] += dt * f1 + noise * normal()
            for j in 2..<max(2, d) { x[j] += -dt * x[j] + noise * normal() }
        }
        return out
    }

    /// A little-endian float64 C-order `.npy` (format 1.0).
    static func writeNPY(_ values: [Double], shape: [Int], to url: URL) throws {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(dims), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
        try Data(bytes).write(to: url)
    }

    static let specKeys = ["entropy_production_rate", "stderr", "bias", "debiased", "diffusion", "samples_used"]

    @Test func allMethodsOnAnNpyFile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("traj.npy")
        try Self.writeNPY(Self.samples(rollouts: 20, states: 5_000), shape: [20, 5_000, 2], to: url)
        let r = try runCLI(["estimate", "--trajectories", url.path, "--dt", "0.01", "--bins", "20", "--bounds", "2.83", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        for method in ["grid", "basis", "tur"] {
            let m = try #require(j[method] as? [String: Any], "missing \(method)")
            for key in Self.specKeys { #expect(m[key] is Double || m[key] is Int, "\(method) lacks \(key)") }
            // σ = 2α² = 2. N ≈ 10⁵ pairs, τ ≈ 1000: sampling sd ≈ sqrt(2σ/τ) ≈ 0.06, the EM Δt bias ≈ 1–2%:
            // debiased within 0.4 (20%, > 5 sd) and D̂ within 5% of 0.5.
            let debiased = try #require(m["debiased"] as? Double)
            #expect(abs(debiased - 2) < 0.4, "\(method): debiased \(debiased)")
            #expect(abs((m["diffusion"] as? Double ?? 0) - 0.5) < 0.025)
        }
        #expect((j["grid"] as? [String: Any])?["bins_used"] != nil)
        #expect((j["basis"] as? [String: Any])?["error_formula"] != nil)
    }

    @Test func singleMethodCSVAndTextOutput() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let v = Self.samples(rollouts: 4, states: 2_000, seed: 2)
        var csv = "rollout,x,y\n"
        for r in 0..<4 { for k in 0..<2_000 { csv += "\(r),\(v[(r * 2_000 + k) * 2]),\(v[(r * 2_000 + k) * 2 + 1])\n" } }
        csv += "4,nan,nan\n"
        let url = dir.appendingPathComponent("traj.csv")
        try Data(csv.utf8).write(to: url)
        let r = try runCLI(["estimate", "--trajectories", url.path, "--dt", "0.01", "--method", "basis", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        #expect(j["method"] as? String == "basis")
        for key in Self.specKeys { #expect(j[key] != nil, "missing \(key)") }
        #expect(j["samples_used"] as? Int == 4 * 1_999)
        let text = try runCLI(["estimate", "--trajectories", url.path, "--dt", "0.01", "--method", "tur"])
        #expect(text.status == 0 && text.stdout.contains("tur: σ̂ = "))
    }

    /// Grid-free methods are Δt-extrapolated by default (detail `time_step_bias`, folded into `bias`);
    /// `--no-dt-extrapolation` gives the plain estimator, whose raw rate is the same number.
    @Test func timeStepExtrapolationIsOnByDefaultAndCanBeTurnedOff() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("traj.npy")
        try Self.writeNPY(Self.samples(rollouts: 10, states: 3_000, seed: 3), shape: [10, 3_000, 2], to: url)
        let base = ["estimate", "--trajectories", url.path, "--dt", "0.01", "--method", "tur", "--blocks", "5", "--json"]
        let on = try #require(try runCLI(base).json)
        let off = try #require(try runCLI(base + ["--no-dt-extrapolation"]).json)
        let tsb = try #require(on["time_step_bias"] as? Double)
        #expect(off["time_step_bias"] == nil)
        #expect(on["entropy_production_rate"] as? Double == off["entropy_production_rate"] as? Double)
        let bias = try #require(on["bias"] as? Double), jk = try #require(on["jackknife_bias"] as? Double)
        #expect(abs(bias - (tsb + jk)) < 1e-9)
    }

    @Test func gridIsSkippedAboveThreeDimensions() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("d4.npy")
        try Self.writeNPY(Self.samples(rollouts: 2, states: 3_000, dimension: 4), shape: [2, 3_000, 4], to: url)
        let r = try runCLI(["estimate", "--trajectories", url.path, "--dt", "0.01", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        #expect((j["grid_skipped"] as? String)?.contains("d ≤ 3") == true)
        #expect(j["grid"] == nil && j["basis"] != nil && j["tur"] != nil)
        let g = try runCLI(["estimate", "--trajectories", url.path, "--dt", "0.01", "--method", "grid"])
        #expect(g.status != 0 && !g.crashed && g.stderr.contains("d ≤ 3"))
    }

    @Test func badInputGivesOneLineAndNonZeroExit() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.npy")
        try Self.writeNPY(Self.samples(rollouts: 1, states: 400), shape: [400, 2], to: good)
        let rank1 = dir.appendingPathComponent("rank1.npy")
        try Self.writeNPY([1, 2, 3, 4], shape: [4], to: rank1)
        let bad = dir.appendingPathComponent("bad.csv")
        try Data("x,y\n1,2\n3,oops\n".utf8).write(to: bad)
        let inf = dir.appendingPathComponent("inf.csv")
        try Data("1,2\n3,inf\n5,6\n".utf8).write(to: inf)
        let cases: [([String], String)] = [
            (["--trajectories", good.path, "--dt", "0"], "--dt"),
            (["--trajectories", good.path, "--dt", "-0.1"], "--dt"),
            (["--trajectories", good.path, "--dt", "0.01", "--bins", "2"], "--bins"),
            (["--trajectories", dir.appendingPathComponent("missing.npy").path, "--dt", "0.01"], "no such file"),
            (["--trajectories", rank1.path, "--dt", "0.01"], "shape"),
            (["--trajectories", bad.path, "--dt", "0.01"], "line 3"),
            (["--trajectories", inf.path, "--dt", "0.01"], "non-finite"),
            // 399 pairs over 80² bins: no bin reaches 10 samples.
            (["--trajectories", good.path, "--dt", "0.01", "--method", "grid", "--bins", "80"], "too few samples per bin"),
            (["--trajectories", good.path, "--dt", "0.01", "--method", "nope"], "method"),
            (["--trajectories", good.path, "--dt", "0.01", "--blocks", "1"], "--blocks"),
        ]
        for (args, needle) in cases {
            let r = try runCLI(["estimate"] + args)
            let lines = r.stderr.split(separator: "\n").filter { !$0.isEmpty }
            #expect(r.status != 0 && !r.crashed, "\(args)")
            #expect(r.stderr.contains(needle), "\(args): \(r.stderr)")
            // ArgumentParser appends a usage hint to validation errors; our own errors are one line.
            #expect(lines.count >= 1 && (lines.count == 1 || needle.hasPrefix("--") || needle == "method"), "\(args): \(r.stderr)")
        }
    }
}
