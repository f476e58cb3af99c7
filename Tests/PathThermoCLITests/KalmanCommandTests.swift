import Foundation
import Testing

@Suite("paththermo kalman")
struct KalmanCommandTests {
    @Test func jsonHasDocumentedKeysAndTheSpecTestVector() throws {
        let r = try runCLI(["kalman", "--a", "0.9", "--c", "1", "--q", "1", "--r", "1", "--horizon", "5",
                            "--monte-carlo", "400", "--seed", "3", "--decompose", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        for key in ["innovation_covariance", "gain", "entropy_production", "curve", "monte_carlo", "decomposition"] {
            #expect(j[key] != nil, "missing key \(key)")
        }
        // Test vector of docs/theory/autoregressive.md §6 (10 decimals): S, K and S_y(5).
        let s = try #require((j["innovation_covariance"] as? [[Double]])?.first?.first)
        #expect(abs(s - 2.4838999027) < 1e-9)
        #expect(abs((j["entropy_production"] as? Double ?? 0) - 0.2544193152) < 1e-9)
        let curve = try #require(j["curve"] as? [[Double]])
        #expect(curve.count == 5 && curve[1][0] == 2 && abs(curve[1][1] - 0.0417851635) < 1e-9)
        let mc = try #require(j["monte_carlo"] as? [String: Any])
        #expect(mc["mean"] is Double && mc["stderr"] is Double)
        let dec = try #require(j["decomposition"] as? [String: Any])
        for key in ["D", "L", "M", "bound"] { #expect((dec[key] as? [Double])?.count == 5, "decomposition.\(key)") }
    }

    @Test func innovationFormAndDenseMethodAgree() throws {
        let base = ["kalman", "--a", "[[0.7,-0.5],[0.5,0.7]]", "--c", "[[1,0],[0,1]]", "--k", "[[0.4,0.1],[0,0.3]]",
                    "--s", "[[1,0.2],[0.2,0.8]]", "--horizon", "12", "--json"]
        let lin = try runCLI(base)
        let den = try runCLI(base + ["--method", "dense"])
        #expect(lin.status == 0 && den.status == 0, "\(lin.stderr) \(den.stderr)")
        let a = lin.json?["entropy_production"] as? Double ?? .nan, b = den.json?["entropy_production"] as? Double ?? .nan
        // Both exact: agree to rounding (1e-9 relative is the tolerance).
        #expect(abs(a - b) < 1e-9 * abs(b))
    }

    @Test(arguments: [
        (["--a", "2", "--c", "0", "--q", "1", "--r", "1", "--horizon", "3"], "Riccati"),
        (["--a", "0.5", "--c", "1", "--k", "1", "--s=-1", "--horizon", "3"], "S is not positive definite"),
        (["--a", "[[0.5,0],[0,0.5]]", "--c", "[[1,0,0]]", "--q", "1", "--r", "1", "--horizon", "3"], "shape mismatch"),
        (["--a", "0.5", "--c", "1", "--q", "1", "--r", "1", "--horizon", "0"], "--horizon"),
        (["--a", "0.5", "--c", "1", "--q", "nan", "--r", "1", "--horizon", "2"], "--q"),
        (["--a", "0.5", "--c", "1", "--q", "1", "--horizon", "2"], "--q and --r"),
        (["--a", "0.5", "--c", "1", "--q", "1", "--r", "1", "--k", "1", "--s", "1", "--horizon", "2"], "either"),
        (["--a", "1.5", "--c", "1", "--k", "0.1", "--s", "1", "--horizon", "2", "--start", "stationary"], "unstable"),
    ])
    func badInputIsOneLine(_ args: [String], _ mentions: String) throws {
        let r = try runCLI(["kalman"] + args)
        #expect(r.status != 0 && !r.crashed)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(mentions), "stderr: \(r.stderr)")
    }
}
