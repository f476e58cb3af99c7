import Foundation
import Testing

/// `paththermo cycle-work` and `paththermo jacobian` end to end: the odd linear drift's 2απ with its documented
/// sign, a polygon from a JSON literal, the softmax toy's Jacobian residual and the W → W_S intervention, and the
/// one-line errors.
@Suite("paththermo cycle-work, jacobian")
struct CycleWorkCommandTests {
    static let alpha = 0.7
    /// B = −(I + αR90), R90 = [[0, −1], [1, 0]].
    static let odd = "[[-1,0.7],[-0.7,-1]]"
    static let toyW = "[[1,-1],[1,1]]"  // W = I + R90 (α = 1)
    static let toyKeys: String = {
        let rows = (0..<8).map { m -> String in
            let a = 2 * Double.pi * Double(m) / 8
            return "[\(2 * cos(a)),\(2 * sin(a))]"
        }
        return "[" + rows.joined(separator: ",") + "]"
    }()

    static func oneLineError(_ r: CLIRun, containing text: String) -> Bool {
        r.status != 0 && !r.crashed && r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(text)
    }

    @Test("unit circle: clockwise W = +2απ, counter-clockwise −2απ (1e-10); entropy W/D; 𝒜 antisymmetric")
    func unitCircle() throws {
        for (flags, sign) in [([] as [String], -1.0), (["--clockwise"], 1.0)] {
            let r = try runCLI(["cycle-work", "--drift", Self.odd, "--diffusion", "0.5", "--circle", "0,0,1",
                                "--points", "64", "--json"] + flags)
            #expect(r.status == 0, "\(r.stderr)")
            let j = try #require(r.json)
            let w = try #require(j["work"] as? Double)
            #expect(abs(w - sign * 2 * Self.alpha * Double.pi) <= 1e-10)
            #expect(abs(try #require(j["entropy_per_cycle"] as? Double) - w / 0.5) <= 1e-12)
            let a = try #require(j["signed_areas"] as? [[Double]])
            #expect(abs(a[0][1] + sign * Double.pi) <= 1e-12 && a[1][0] == -a[0][1] && a[0][0] == 0)
            #expect(j["orientation"] as? String == (sign > 0 ? "clockwise" : "counter-clockwise"))
            #expect(j["points"] as? Int == 64 && j["quadrature_nodes"] as? Int == 64)
        }
    }

    @Test("polygon (JSON literal, unit square): W = −2α·1 counter-clockwise; matrix D accepted")
    func polygon() throws {
        let square = "[[0,0],[1,0],[1,1],[0,1],[0,0]]"
        let r = try runCLI(["cycle-work", "--drift", Self.odd, "--diffusion", "[[0.5,0.1],[0.1,0.3]]", "--loop", square,
                            "--points", "4", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        #expect(abs(try #require(j["work"] as? Double) + 2 * Self.alpha) <= 1e-12)
        #expect(j["orientation"] as? String == "counter-clockwise" && j["vertices"] as? Int == 4)
        #expect(j["entropy_per_cycle"] as? Double != nil && j["diffusion_matrix"] != nil)
    }

    @Test("one-line errors: open loop, bad plane, too few points, both loops, --clockwise with --loop, wrong d")
    func errors() throws {
        let base = ["cycle-work", "--drift", Self.odd, "--diffusion", "0.5"]
        #expect(Self.oneLineError(try runCLI(base + ["--loop", "[[0,0],[1,0],[1,1],[0,1],[0,0.5]]"]), containing: "loop does not close"))
        #expect(Self.oneLineError(try runCLI(base + ["--circle", "0,0,1", "--plane", "0,0"]), containing: "plane"))
        #expect(Self.oneLineError(try runCLI(base + ["--circle", "0,0,1", "--plane", "0,2"]), containing: "plane"))
        #expect(Self.oneLineError(try runCLI(base + ["--circle", "0,0,1", "--points", "2"]), containing: "points"))
        #expect(Self.oneLineError(try runCLI(base + ["--circle", "0,0,0,1"]), containing: "--circle"))
        #expect(Self.oneLineError(try runCLI(base + ["--circle", "0,0,1", "--loop", "[[0,0]]"]), containing: "exactly one loop"))
        #expect(Self.oneLineError(try runCLI(base + ["--loop", "[[0,0],[1,0],[1,1],[0,0]]", "--clockwise"]), containing: "--clockwise"))
        #expect(Self.oneLineError(try runCLI(base + ["--loop", "[[0,0,0],[1,0,0],[1,1,0],[0,0,0]]"]), containing: "columns"))
    }

    @Test("jacobian on the softmax toy: residual ≤ 1e-12, split residual ≤ 1e-14, divergence = tr F; --symmetrize zeroes the anticommutator")
    func jacobianSoftmax() throws {
        let base = ["jacobian", "--family", "softmax", "--w", Self.toyW, "--keys", Self.toyKeys, "--beta", "2", "--at", "0.3,-0.2", "--json"]
        for symmetrize in [false, true] {
            let r = try runCLI(base + (symmetrize ? ["--symmetrize"] : []))
            #expect(r.status == 0, "\(r.stderr)")
            let j = try #require(r.json)
            #expect(try #require(j["residual"] as? Double) <= 1e-12)
            #expect(try #require(j["split_residual"] as? Double) <= 1e-14)
            #expect(abs(try #require(j["divergence"] as? Double) - (try #require(j["trace"] as? Double))) <= 1e-12)
            let anti = try #require(j["anticommutator_term"] as? [[Double]])
            let ja = try #require(j["antisymmetric"] as? [[Double]])
            if symmetrize {
                #expect(anti.allSatisfy { $0.allSatisfy { $0 == 0 } })
                #expect(j["symmetrized"] as? Bool == true)
            } else {
                #expect(abs(ja[0][1]) > 0.1 && abs(anti[0][1] - ja[0][1]) <= 1e-14)  // W_S = I: J_A is all anticommutator
            }
            for key in ["jacobian", "commutator_term", "key_covariance", "point"] { #expect(j[key] != nil, "missing \(key)") }
        }
    }

    @Test("jacobian of a linear drift: the terms are null with a note; bad --at is one line")
    func jacobianLinear() throws {
        let r = try runCLI(["jacobian", "--drift", Self.odd, "--at", "-0.5,2", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        #expect(j["commutator_term"] is NSNull && j["anticommutator_term"] is NSNull && j["note"] is String)
        #expect(abs(try #require(j["divergence"] as? Double) + 2) <= 1e-15)
        #expect(try #require(j["residual"] as? Double) <= 1e-12)
        #expect(Self.oneLineError(try runCLI(["jacobian", "--drift", Self.odd, "--at", "1,2,3"]), containing: "--at"))
        #expect(Self.oneLineError(try runCLI(["jacobian", "--drift", Self.odd, "--at", "1,x"]), containing: "--at"))
    }
}
