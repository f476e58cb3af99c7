import Foundation
import Testing

/// `paththermo ising-ep`: a two-site rotor with a closed-form exact σ, the chain within 4 stderr and thread
/// invariant, the text report, and one-line errors.
@Suite("paththermo ising-ep")
struct IsingEPCommandTests {
    /// J = [[0, a], [−a, 0]], H = 0: W is doubly stochastic, so p is uniform and the exact σ = 4βa tanh(βa); the
    /// mean field sits at m = 0 with σ_MF = 4β²a². With a = 0.5, β = 2: σ = 4 tanh 1, σ_MF = 4 (to 1e-12).
    static let rotor = ["--couplings", "[[0,0.5],[-0.5,0]]", "--fields", "0", "--beta", "2"]

    @Test func rotorMatchesClosedForm() throws {
        let r = try runCLI(["ising-ep"] + Self.rotor + ["--exact", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        let exact = try PathSpaceCommandTests.number(j, "entropy_production_exact")
        #expect(abs(exact - 4 * tanh(1.0)) <= 1e-12, "σ = \(exact)")
        #expect(abs(try PathSpaceCommandTests.number(j, "entropy_production_exact_relation") - 4 * tanh(1.0)) <= 1e-12)
        #expect(abs(try PathSpaceCommandTests.number(j, "entropy_production_mean_field") - 4) <= 1e-12)
        #expect(abs(try PathSpaceCommandTests.number(j, "housekeeping_entropy_production_mean_field") - 4) <= 1e-12)
        #expect(j["magnetizations"] as? [Double] == [0, 0])
        let exactM = try #require(j["magnetizations_exact"] as? [Double])
        #expect(exactM.allSatisfy { abs($0) <= 1e-14 })
        #expect(j["sites"] as? Int == 2 && j["transition_storage"] as? String == "dense")
        #expect(j["entropy_production_chain"] == nil)
    }

    /// 16 chains × 4000 steps: σ̂ within 4 stderr of 4 tanh 1, and the same numbers (bits) for --threads 1 and 3.
    @Test func chainAgreesAndIsThreadInvariant() throws {
        let args = ["ising-ep"] + Self.rotor + ["--chains", "16", "--steps", "4000", "--seed", "5", "--json"]
        let one = try runCLI(args + ["--threads", "1"])
        let three = try runCLI(args + ["--threads", "3"])
        #expect(one.status == 0 && three.status == 0, "\(one.stderr) \(three.stderr)")
        let j = try #require(one.json)
        let k = try #require(three.json)
        for key in ["entropy_production_chain", "entropy_production_chain_stderr", "entropy_production_mean_field"] {
            #expect(j[key] as? Double == k[key] as? Double, "\(key)")
        }
        let sigma = try PathSpaceCommandTests.number(j, "entropy_production_chain")
        let se = try PathSpaceCommandTests.number(j, "entropy_production_chain_stderr")
        #expect(se > 0 && abs(sigma - 4 * tanh(1.0)) <= 4 * se, "σ̂ = \(sigma) ± \(se)")
        #expect(j["entropy_production_exact"] == nil)
    }

    @Test func textReport() throws {
        let r = try runCLI(["ising-ep"] + Self.rotor + ["--exact"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("mean field σ") && r.stdout.contains("exact σ"))
    }

    /// An n × n zero matrix as a JSON literal.
    static func zeros(_ n: Int) -> String {
        "[" + Array(repeating: "[" + Array(repeating: "0", count: n).joined(separator: ",") + "]", count: n).joined(separator: ",") + "]"
    }
    static let seventeen = zeros(17)
    static let eight = zeros(8)

    @Test(arguments: [
        (["--couplings", "[[0,1,2],[1,0,2]]", "--fields", "0"], "square"),
        (["--couplings", "[[0,1],[1,0]]", "--fields", "[0,0,0]"], "--fields"),
        (["--couplings", "[[0,1],[1,0]]", "--fields", "0", "--beta", "0"], "β"),
        (["--couplings", "[[0,1],[1,0]]", "--fields", "0", "--beta=-1"], "β"),
        (["--couplings", seventeen, "--fields", "0", "--exact"], "N ≤ 16"),
        (["--couplings", "[[0,1],[1,0]]", "--fields", "0", "--chains", "1"], "--chains"),
        (["--couplings", "[[0,1],[1,0]]", "--fields", "0", "--chains", "4", "--steps", "0"], "--steps"),
        (["--couplings", "[[0,1],[1,0]]", "--fields", "0", "--chains", "4", "--threads=-1"], "--threads"),
        (["--couplings", "[[0,5],[-5,0]]", "--fields", "[0.1,0]"], "converge"),
        (["--couplings", eight, "--fields", "0", "--exact", "--max-memory", "1K"], "memory budget"),
        (["--couplings", eight, "--fields", "0", "--chains", "100", "--max-memory", "1K"], "memory budget"),
    ])
    func badInputIsOneLine(_ args: [String], _ mentions: String) throws {
        let r = try runCLI(["ising-ep"] + args)
        PathSpaceCommandTests.expectOneLineError(r, mentions: mentions, "\(args)")
    }
}
