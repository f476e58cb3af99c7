import Foundation
import Testing

/// `paththermo fokker-planck`: the exact σ of a linear drift against its closed form, the JSON keys, the `.npy`
/// files under --out, and one-line errors for bad input.
@Suite("paththermo fokker-planck")
struct FokkerPlanckCommandTests {
    /// −(sI + αR90)x with s = 2, α = 1: σ = 2α²/s = 1 for any D (docs/theory/ou-exact.md).
    static let drift = "[[-2,1],[-1,-2]]"
    static let common = ["--drift", drift, "--diffusion", "0.5", "--grid", "48", "--box", "3"]

    /// σ within 0.5 % + the reported discretisation error of 2α²/s on a 48² grid, and the keys documented in
    /// docs/cli.md.
    @Test func linearDriftMatchesTwoAlphaSquaredOverS() throws {
        let r = try runCLI(["fokker-planck"] + Self.common + ["--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        for key in ["entropy_production_rate", "discretisation_error", "grid", "box", "probability_outside", "fine_rate",
                    "coarse_rate", "coarse_grid", "observed_order", "dimension", "drift", "center"] {
            #expect(j[key] != nil, "missing \(key)")
        }
        let sigma = try PathSpaceCommandTests.number(j, "entropy_production_rate")
        let error = try PathSpaceCommandTests.number(j, "discretisation_error")
        #expect(abs(sigma - 1) <= 0.005 + error, "σ = \(sigma) ± \(error)")
        #expect(error < 0.02)
        #expect(j["grid"] as? Int == 48 && j["coarse_grid"] as? Int == 24 && j["dimension"] as? Int == 2)
        #expect(j["box"] as? Double == 3 && j["drift"] as? String == "linear")
        // Stationary std √(D/s) = 0.5: the outer cells at ±6 std hold almost nothing.
        #expect(try PathSpaceCommandTests.number(j, "probability_outside") < 1e-6)
    }

    /// density.npy is n × n cell probabilities summing to 1, current.npy n × n × 2, fokker-planck.json the report;
    /// the text report names σ.
    @Test func writesDensityCurrentAndJSON() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runCLI(["fokker-planck"] + Self.common + ["--center", "[0.1,-0.1]", "--out", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("entropy production σ"))
        let (densityShape, density) = try PathSpaceCommandTests.readNPY(dir.appendingPathComponent("density.npy"))
        #expect(densityShape == [48, 48] && density.count == 48 * 48)
        #expect(abs(density.reduce(0, +) - 1) < 1e-10)
        #expect(density.allSatisfy { $0 >= 0 })
        let (currentShape, current) = try PathSpaceCommandTests.readNPY(dir.appendingPathComponent("current.npy"))
        #expect(currentShape == [48, 48, 2] && current.count == 48 * 48 * 2)
        // The flow −αR90 x circulates: J ≠ 0, and a cell on the positive x₁ axis carries J₂ < 0 (clockwise).
        let row = 30, column = 24  // x₁ ≈ 0.91, x₂ ≈ −0.04 (cell centres c − L + (k + ½)h, first axis slowest)
        #expect(current[(row * 48 + column) * 2 + 1] < 0)
        let data = try Data(contentsOf: dir.appendingPathComponent("fokker-planck.json"))
        let j = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(j["center"] as? [Double] == [0.1, -0.1])
        #expect(abs(try PathSpaceCommandTests.number(j, "entropy_production_rate") - 1) < 0.02)
    }

    @Test(arguments: [
        // A box that cuts off the density (std 0.5, box ±0.6).
        (["--drift", drift, "--diffusion", "0.5", "--grid", "32", "--box", "0.6"], "probab"),
        (["--drift", drift, "--diffusion", "0.5", "--grid", "4", "--box", "3"], "grid"),
        (["--drift", drift, "--diffusion", "0.5", "--grid", "100000", "--box", "3"], "memory"),
        (["--drift", drift, "--diffusion", "0.5", "--grid", "200", "--box", "3", "--max-memory", "1K"], "memory"),
        (["--drift", drift, "--diffusion", "[[1,0,0],[0,1,0],[0,0,1]]", "--grid", "32", "--box", "3"], "dimension"),
        (["--drift", drift, "--diffusion", "0.5", "--grid", "32", "--box", "3", "--center", "[0,0,0]"], "--center"),
        (["--drift", "[[-1]]", "--diffusion", "0.5", "--grid", "32", "--box", "3"], "dimension 1"),
        (["--drift", drift, "--diffusion", "0.5", "--grid", "32", "--box=-1"], "half-width"),
        (["--drift", drift, "--diffusion", "0.5", "--grid", "32", "--box", "3", "--threads=-1"], "threads"),
    ])
    func badInputIsOneLine(_ args: [String], _ mentions: String) throws {
        let r = try runCLI(["fokker-planck"] + args)
        PathSpaceCommandTests.expectOneLineError(r, mentions: mentions, "\(args)")
    }
}
