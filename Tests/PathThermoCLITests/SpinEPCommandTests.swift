import Foundation
import Testing

/// `paththermo spin-ep`: every reference number of the spin-transformer reference system (D = 8, N = 3, β = 1;
/// docs/theory/spin-transformers.md §7) out of the CLI to 1e-9, and one-line errors for bad input.
@Suite("paththermo spin-ep")
struct SpinEPCommandTests {
    static let couplings = "[[0.5,0.3,0.2],[0.1,0.6,0.3],[0.4,0.4,0.2]]"
    static let inputs = "[[1,0,0,0,0,0,0,0],[0,1,0,0,0,0,0,0],[0.6,0,0.8,0,0,0,0,0]]"
    static let common = ["spin-ep", "--couplings", couplings, "--inputs", inputs, "--dim", "8", "--beta", "1"]

    static func matrix(_ j: [String: Any], _ key: String) throws -> [[Double]] {
        try #require(j[key] as? [[Double]], "missing \(key)")
    }

    /// Post variant from v0.0.1's first-call θ_prev = ones: γ₁, m₁[0], D_post and σ = 0.0743667732, with the named
    /// warning; an explicit --previous of ones gives the same σ without it.
    @Test func postStepReferenceNumbers() throws {
        let r = try runCLI(Self.common + ["--variant", "post", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        for key in ["magnetizations", "gamma", "delayed_correlation", "entropy_production", "housekeeping_entropy_production",
                    "fixed_point_residual"] { #expect(j[key] != nil, "missing \(key)") }
        #expect(abs(try PathSpaceCommandTests.number(j, "entropy_production") - 0.0743667732) < 1e-9)
        let gamma = try #require(j["gamma"] as? [Double])
        for (g, want) in zip(gamma, [1.3696372606, 1.3696372606, 1.4026373898]) { #expect(abs(g - want) < 1e-9) }
        let m = try Self.matrix(j, "magnetizations")
        #expect(abs(m[0][0] - 0.5667830909) < 1e-9)
        for c in 1..<8 { #expect(abs(m[0][c] - 0.1447775727) < 1e-9) }
        let d = try Self.matrix(j, "delayed_correlation")
        let want = [[0.4210221962, 0.2526133177, 0.1684088785], [0.0842044392, 0.5052266355, 0.2526133177],
                    [0.3320936831, 0.3320936831, 0.1660468415]]
        for a in 0..<3 { for b in 0..<3 { #expect(abs(d[a][b] - want[a][b]) < 1e-9) } }
        let warnings = j["warnings"] as? [String] ?? []
        #expect(warnings.contains { $0.hasPrefix("first_call_previous_state") })
        #expect(try PathSpaceCommandTests.number(j, "fixed_point_residual") > 1e-3)

        let ones = "[" + Array(repeating: "[1,1,1,1,1,1,1,1]", count: 3).joined(separator: ",") + "]"
        let explicit = try runCLI(Self.common + ["--variant", "post", "--previous", ones, "--json"])
        let e = try #require(explicit.json)
        #expect(try PathSpaceCommandTests.number(e, "entropy_production") == PathSpaceCommandTests.number(j, "entropy_production"))
        #expect((e["warnings"] as? [String] ?? []).isEmpty)
    }

    /// HEAD's Σ βJC* on the post's pair of states, 0.0938382028: the head variant with m_{K−1} = J⁻¹(1 − x), so that
    /// h_prev = x + J m_{K−1} = ones and h = x + J φ(ones) = θ₁.
    @Test func headPairReferenceNumber() throws {
        let j = [[0.5, 0.3, 0.2], [0.1, 0.6, 0.3], [0.4, 0.4, 0.2]]
        let x: [[Double]] = [[1, 0, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0, 0], [0.6, 0, 0.8, 0, 0, 0, 0, 0]]
        // J⁻¹ by cofactors.
        let det = j[0][0] * (j[1][1] * j[2][2] - j[1][2] * j[2][1]) - j[0][1] * (j[1][0] * j[2][2] - j[1][2] * j[2][0])
            + j[0][2] * (j[1][0] * j[2][1] - j[1][1] * j[2][0])
        var inv = [[Double]](repeating: [0, 0, 0], count: 3)
        for a in 0..<3 {
            for b in 0..<3 {
                let r = [0, 1, 2].filter { $0 != b }, c = [0, 1, 2].filter { $0 != a }
                let minor = j[r[0]][c[0]] * j[r[1]][c[1]] - j[r[0]][c[1]] * j[r[1]][c[0]]
                inv[a][b] = ((a + b) % 2 == 0 ? 1 : -1) * minor / det
            }
        }
        var p = [[Double]](repeating: [Double](repeating: 0, count: 8), count: 3)
        for i in 0..<3 { for c in 0..<8 { for k in 0..<3 { p[i][c] += inv[i][k] * (1 - x[k][c]) } } }
        let previous = "[" + p.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ",") + "]"
        let r = try runCLI(Self.common + ["--variant", "head", "--previous", previous, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(r.json)
        #expect(abs(try PathSpaceCommandTests.number(json, "entropy_production") - 0.0938382028) < 1e-9)
        // The head output m_K = φ(ones) = 0.3430703308 per component.
        let m = try Self.matrix(json, "magnetizations")
        #expect(m.allSatisfy { $0.allSatisfy { abs($0 - 0.3430703308) < 1e-9 } })
    }

    /// At the fixed point (head variant, Anderson from zeros): m*, C* = D/(βJ), σ_hk = 0.1284852356 = σ, residual
    /// below the tolerance, ρ < 1; the post variant's fixed point has the same magnetizations.
    @Test func fixedPointReferenceNumbers() throws {
        let r = try runCLI(Self.common + ["--variant", "head", "--fixed-point", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        let want: [[Double]] = [[0.6189747135, 0.1180864016, 0.0578310271], [0.1115414697, 0.6175024689, 0.0753880611],
                                [0.4284167719, 0.1412850585, 0.4097288521]]
        let m = try Self.matrix(j, "magnetizations")
        for i in 0..<3 {
            for c in 0..<3 { #expect(abs(m[i][c] - want[i][c]) < 1e-9) }
            for c in 3..<8 { #expect(abs(m[i][c]) < 1e-12) }
        }
        let hk = try PathSpaceCommandTests.number(j, "housekeeping_entropy_production")
        #expect(abs(hk - 0.1284852356) < 1e-9)
        #expect(abs(try PathSpaceCommandTests.number(j, "entropy_production") - hk) < 1e-14)
        #expect(try PathSpaceCommandTests.number(j, "fixed_point_residual") < 1e-10)
        #expect(try PathSpaceCommandTests.number(j, "local_contraction") < 1)
        let couplings = [[0.5, 0.3, 0.2], [0.1, 0.6, 0.3], [0.4, 0.4, 0.2]]
        let wantC = [[1.42373, 1.41534, 1.43818], [1.41534, 1.42496, 1.43446], [1.43818, 1.43446, 1.46022]]
        let d = try Self.matrix(j, "delayed_correlation")
        for a in 0..<3 { for b in 0..<3 { #expect(abs(d[a][b] / couplings[a][b] - wantC[a][b]) < 5e-6) } }

        let post = try #require(try runCLI(Self.common + ["--variant", "post", "--fixed-point", "--json"]).json)
        let mPost = try Self.matrix(post, "magnetizations")
        for i in 0..<3 { for c in 0..<3 { #expect(abs(mPost[i][c] - want[i][c]) < 1e-9) } }
    }

    /// The text report names σ; the exact response runs.
    @Test func textReportAndExactResponse() throws {
        let r = try runCLI(Self.common + ["--fixed-point", "--response", "exact"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("entropy production σ") && r.stdout.contains("local contraction ρ"))
    }

    @Test(arguments: [
        (["--couplings", "[[0.5,0.5,0],[0,1,0]]", "--inputs", inputs, "--dim", "8"], "square"),
        (["--couplings", couplings, "--inputs", "[[1,0],[0,1],[1,1]]", "--dim", "2"], "D must be > 2"),
        (["--couplings", couplings, "--inputs", inputs, "--dim", "8", "--beta", "0"], "β"),
        (["--couplings", couplings, "--inputs", inputs, "--dim", "8", "--beta=-1"], "β"),
        (["--couplings", couplings, "--inputs", inputs, "--dim", "6"], "dimension D is 6"),
        (["--couplings", couplings, "--inputs", inputs, "--dim", "8", "--fixed-point", "--max-iterations", "2"], "did not converge"),
        (["--couplings", couplings, "--inputs", inputs, "--dim", "8", "--previous", "[[1,1],[1,1],[1,1]]"], "previous"),
        (["--couplings", couplings, "--inputs", inputs, "--dim", "8", "--max-iterations", "0"], "--max-iterations"),
        (["--couplings", "[[1,NaN],[0,1]]", "--inputs", "[[1,0,0],[0,1,0]]", "--dim", "3"], "couplings"),
    ])
    func badInputIsOneLine(_ args: [String], _ mentions: String) throws {
        let r = try runCLI(["spin-ep"] + args)
        PathSpaceCommandTests.expectOneLineError(r, mentions: mentions, "\(args)")
    }
}
