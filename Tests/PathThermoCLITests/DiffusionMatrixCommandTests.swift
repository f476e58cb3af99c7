import Foundation
import Testing

/// `simulate --diffusion` and `estimate` with a full diffusion matrix, end to end.
@Suite("paththermo simulate/estimate with a diffusion matrix")
struct DiffusionMatrixCommandTests {
    static let equilibrium = ["simulate", "--drift", "linear", "--matrix", "[[-1,-0.3],[-0.3,-0.4]]",
                              "--diffusion", "[[1,0.3],[0.3,0.4]]", "--dt", "0.01", "--seed", "4"]

    @Test func simulateReportsTheMatrix() throws {
        let r = try runCLI(Self.equilibrium + ["--rollouts", "20", "--steps", "10", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        #expect(j["diffusion_matrix"] as? [[Double]] == [[1, 0.3], [0.3, 0.4]])
        #expect(abs((j["diffusion"] as? Double ?? 0) - 0.7) < 1e-15)
        // A scalar still means s·I, reported as a matrix too.
        let s = try runCLI(["simulate", "--drift", "linear", "--matrix", "[[-1,0],[0,-1]]", "--diffusion", "0.5",
                            "--dt", "0.01", "--seed", "1", "--rollouts", "2", "--steps", "3", "--json"])
        #expect(s.status == 0, "\(s.stderr)")
        let js = try #require(s.json)
        #expect(js["diffusion_matrix"] as? [[Double]] == [[0.5, 0], [0, 0.5]] && js["diffusion"] as? Double == 0.5)
        // A matrix that is exactly s·I gives the same trajectories as the scalar s (the isotropic kernels).
        let m = try runCLI(["simulate", "--drift", "linear", "--matrix", "[[-1,0],[0,-1]]", "--diffusion", "[[0.5,0],[0,0.5]]",
                            "--dt", "0.01", "--seed", "1", "--rollouts", "2", "--steps", "3", "--json"])
        #expect(m.json?["final_covariance"] as? [[Double]] == js["final_covariance"] as? [[Double]])
        #expect(m.json?["final_mean"] as? [Double] == js["final_mean"] as? [Double])
    }

    /// 3-D data: the grid defaults to n_b = 12 and the corrected recipe (details `smoothing_correction`,
    /// `smoothing_floor`); `--grid-recipe paper` restores the paper's recipe, `--bins` still overrides n_b.
    @Test func gridRecipeAndBinsIn3D() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("ou3.npy")
        let sim = try runCLI(["simulate", "--drift", "linear", "--matrix", "[[-1,1,0],[-1,-1,0.5],[0,-0.5,-1]]",
                              "--diffusion", "[[1,0,0],[0,0.2,0],[0,0,0.5]]", "--dt", "0.01", "--seed", "5",
                              "--rollouts", "20", "--steps", "2000", "--burn-in", "200", "--out", out.path])
        #expect(sim.status == 0, "\(sim.stderr)")
        let base = ["estimate", "--trajectories", out.path, "--dt", "0.01", "--method", "grid", "--json"]
        let corrected = try runCLI(base)
        #expect(corrected.status == 0, "\(corrected.stderr)")
        #expect(corrected.json?["bins_per_axis"] as? Double == 12)
        let term = try #require(corrected.json?["smoothing_correction"] as? Double)
        let floor = try #require(corrected.json?["smoothing_floor"] as? Double)
        #expect(term > 0 && floor > 0)
        let paper = try runCLI(base + ["--grid-recipe", "paper", "--bins", "10"])
        #expect(paper.status == 0, "\(paper.stderr)")
        #expect(paper.json?["bins_per_axis"] as? Double == 10)
        #expect(paper.json?["smoothing_correction"] == nil && paper.json?["smoothing_floor"] == nil)
        let bad = try runCLI(base + ["--grid-recipe", "median"])
        #expect(bad.status != 0 && bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
    }

    /// Equilibrium OU (B = −D, full D) simulated by the CLI, then estimated: every method's
    /// `diffusion_matrix` within 3 % of D (N ≈ 10⁵ pairs: entry sd ≈ 0.5 %; the Euler–Maruyama
    /// Cov Δx = 2DΔt + O(Δt²) adds < 1 %), and every debiased σ̂ within 4 stderr of 0.
    @Test func estimateRecoversTheMatrixAndZero() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("eq.npy")
        let sim = try runCLI(Self.equilibrium + ["--rollouts", "20", "--steps", "5000", "--burn-in", "500", "--out", out.path])
        #expect(sim.status == 0, "\(sim.stderr)")
        let r = try runCLI(["estimate", "--trajectories", out.path, "--dt", "0.01", "--bins", "20", "--bounds", "4",
                            "--drift-matrix", "[[-1,-0.3],[-0.3,-0.4]]", "--diffusion", "[[1,0.3],[0.3,0.4]]", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        let d = [[1.0, 0.3], [0.3, 0.4]]
        for method in ["grid", "basis", "tur", "pathwise"] {
            let m = try #require(j[method] as? [String: Any], "missing \(method)")
            let dHat = try #require(m["diffusion_matrix"] as? [[Double]], "\(method) lacks diffusion_matrix")
            for i in 0..<2 { for k in 0..<2 {
                #expect(abs(dHat[i][k] - d[i][k]) <= 0.03 * (d[i][i] * d[k][k]).squareRoot(), "\(method): D̂ = \(dHat)")
            } }
            let debiased = try #require(m["debiased"] as? Double), se = try #require(m["stderr"] as? Double)
            #expect(abs(debiased) < 4 * se, "\(method): debiased \(debiased) ± \(se)")
        }
        #expect((j["pathwise"] as? [String: Any])?["diffusion_matrix"] as? [[Double]] == d)
        // The local grid option runs and says so.
        let local = try runCLI(["estimate", "--trajectories", out.path, "--dt", "0.01", "--bins", "20", "--bounds", "4",
                                "--method", "grid", "--grid-diffusion", "local", "--json"])
        #expect(local.status == 0, "\(local.stderr)")
        #expect(local.json?["local_diffusion"] as? Int == 1 && local.json?["divergence_floor"] is Double)
        let text = try runCLI(["estimate", "--trajectories", out.path, "--dt", "0.01", "--method", "basis"])
        #expect(text.status == 0 && text.stdout.contains("D̂ = [["), "\(text.stdout)")
    }

    @Test(arguments: [
        (["--diffusion", "[[1,2],[2,1]]"], "positive definite"),
        (["--diffusion", "[[1,0.5],[0,1]]"], "symmetric"),
        (["--diffusion", "[[1,0,0],[0,1,0],[0,0,1]]"], "3×3"),
        (["--diffusion", "[1,2]"], "1-D"),
        (["--diffusion", "[[1,NaN],[NaN,1]]"], "--diffusion"),
        (["--diffusion", "0"], "diffusion"),
    ])
    func simulateRefusesBadMatrices(extra: [String], mentions: String) throws {
        let r = try runCLI(["simulate", "--drift", "linear", "--matrix", "[[-1,0],[0,-1]]", "--dt", "0.01", "--seed", "1",
                            "--rollouts", "2", "--steps", "2"] + extra)
        #expect(!r.crashed && r.status != 0)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(mentions), "stderr: \(r.stderr)")
    }

    @Test func estimateRefusesBadPathwiseMatricesAndDegenerateData() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("traj.npy")
        let v = EstimateCommandTests.samples(rollouts: 4, states: 2_000)
        try EstimateCommandTests.writeNPY(v, shape: [4, 2_000, 2], to: url)
        for (bad, mentions) in [("[[1,2],[2,1]]", "positive definite"), ("[[1,0,0],[0,1,0],[0,0,1]]", "3 × 3")] {
            let r = try runCLI(["estimate", "--trajectories", url.path, "--dt", "0.01", "--method", "pathwise",
                                "--drift-matrix", "[[-1,-1],[1,-1]]", "--diffusion", bad])
            #expect(!r.crashed && r.status != 0)
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(mentions), "stderr: \(r.stderr)")
        }
        // A time column as the second coordinate: the input check refuses it by default (a monotone column);
        // kept with --allow-monotone, D̂ is singular: one line and non-zero exit for each method.
        var timed = [Double]()
        for r in 0..<4 { for k in 0..<2_000 { timed += [v[(r * 2_000 + k) * 2], Double(k) * 0.01] } }
        let tURL = dir.appendingPathComponent("timed.npy")
        try EstimateCommandTests.writeNPY(timed, shape: [4, 2_000, 2], to: tURL)
        for method in ["grid", "basis", "tur"] {
            let r = try runCLI(["estimate", "--trajectories", tURL.path, "--dt", "0.01", "--method", method, "--bins", "5",
                                "--allow-monotone"])
            #expect(!r.crashed && r.status != 0, "\(method): \(r.stdout)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("degenerate diffusion"), "\(method): \(r.stderr)")
        }
    }

    @Test func driftMatrixWithoutDiffusionIsRefused() throws {
        // The pathwise estimator once assumed D = 1 when --method all had --drift-matrix but no --diffusion.
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("traj.npy")
        try EstimateCommandTests.writeNPY(EstimateCommandTests.samples(rollouts: 4, states: 2_000), shape: [4, 2_000, 2], to: url)
        for extra in [["--drift-matrix", "[[-1,-1],[1,-1]]"], ["--diffusion", "0.5"]] {
            let r = try runCLI(["estimate", "--trajectories", url.path, "--dt", "0.01", "--method", "all"] + extra)
            #expect(!r.crashed && r.status != 0 && r.stdout.isEmpty, "\(extra): \(r.stdout)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("go together"), "\(extra): \(r.stderr)")
        }
    }
}
