import Foundation
import Testing

/// `paththermo action`, `instanton`, `plan` and `path-covariance` end to end, against closed forms computed here:
/// for a linear drift f = Bx and the Euler discretisation (Eq. 18 of arXiv:2606.28751) the action of a path is a
/// finite sum, the instanton is the Euler rollout x_{k+1} = (I + ΔtB)x_k, the 1-D plan solves the discrete
/// Euler–Lagrange recursion exactly (x_k = P a^k + Q a^{−k}, a = 1 − γΔt), and the covariance about the instanton is
/// the covariance of the Euler–Maruyama chain, Σ_k = 2DΔt Σ_{j<k} A^j A^{jᵀ}, A = I + ΔtB.
@Suite("paththermo action, instanton, plan, path-covariance")
struct PathSpaceCommandTests {
    static let b = [[-1.0, 2.0], [-2.0, -0.5]]
    static let bText = "[[-1,2],[-2,-0.5]]"
    static let dMatrix = [[0.5, 0.1], [0.1, 0.3]]
    static let dText = "[[0.5,0.1],[0.1,0.3]]"

    static func apply(_ m: [[Double]], _ x: [Double]) -> [Double] { m.map { row in zip(row, x).reduce(0) { $0 + $1.0 * $1.1 } } }

    static func inverse2(_ m: [[Double]]) -> [[Double]] {
        let det = m[0][0] * m[1][1] - m[0][1] * m[1][0]
        return [[m[1][1] / det, -m[0][1] / det], [-m[1][0] / det, m[0][0] / det]]
    }

    /// The Euler action of a 2-D path under f = Bx and diffusion D: (total, kinetic, divergence).
    static func eulerAction(_ x: [[Double]], dt: Double) -> (Double, Double, Double) {
        let dInv = inverse2(dMatrix)
        var kinetic = 0.0
        for k in 0..<(x.count - 1) {
            let f = apply(b, x[k])
            let r = (0..<2).map { x[k + 1][$0] - x[k][$0] - dt * f[$0] }
            kinetic += zip(r, apply(dInv, r)).reduce(0) { $0 + $1.0 * $1.1 } / (4 * dt)
        }
        let divergence = Double(x.count - 1) * dt / 2 * (b[0][0] + b[1][1])
        return (kinetic + divergence, kinetic, divergence)
    }

    static func number(_ j: [String: Any], _ key: String) throws -> Double { try #require(j[key] as? Double, "missing \(key)") }

    static func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-300) }

    /// A float64 `.npy` of C order written by the CLI: (shape, values).
    static func readNPY(_ url: URL) throws -> ([Int], [Double]) {
        let bytes = [UInt8](try Data(contentsOf: url))
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.contains("'<f8'") && header.contains("'fortran_order': False"))
        let inner = try #require(header.range(of: #"\(([0-9, ]*)\)"#, options: .regularExpression))
        let shape = header[inner].dropFirst().dropLast().split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        var values: [Double] = []
        var i = 10 + headerLength
        while i + 8 <= bytes.count {
            var bits: UInt64 = 0
            for j in 0..<8 { bits |= UInt64(bytes[i + j]) << (8 * j) }
            values.append(Double(bitPattern: bits))
            i += 8
        }
        return (shape, values)
    }

    /// One line on stderr starting `paththermo: error:`, a non-zero status, no signal, nothing on stdout.
    static func expectOneLineError(_ r: CLIRun, mentions: String, _ context: String) {
        #expect(!r.crashed && r.status != 0, "\(context): status \(r.status)")
        #expect(r.stdout.isEmpty, "\(context): stdout \(r.stdout)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && r.stderr.hasPrefix("paththermo: error:") && r.stderr.contains(mentions),
                "\(context): stderr \(r.stderr)")
    }

    // MARK: action

    /// A hand-made 2-D path (6 states, Δt = 0.1): the Euler action, its parts and Σ = S[x̃] − S[x] as the finite
    /// sums (1e-12 relative); with the midpoint rule, S_odd = −½ Σ_k f(x̄_k)ᵀD⁻¹Δx_k exactly (linear f).
    @Test func actionOfAPathIsTheFiniteSum() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let x: [[Double]] = [[1, 0], [0.9, -0.2], [0.7, -0.3], [0.4, -0.35], [0.2, -0.2], [0.05, -0.1]]
        let url = dir.appendingPathComponent("path.npy")
        try EstimateCommandTests.writeNPY(x.flatMap { $0 }, shape: [6, 2], to: url)
        let dt = 0.1
        let r = try runCLI(["action", "--drift", Self.bText, "--diffusion", Self.dText, "--dt", "0.1", "--path", url.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        let (total, kinetic, divergence) = Self.eulerAction(x, dt: dt)
        let reversed = Self.eulerAction(x.reversed(), dt: dt).0
        #expect(Self.relative(try Self.number(j, "action"), total) < 1e-12)
        #expect(Self.relative(try Self.number(j, "kinetic_action"), kinetic) < 1e-12)
        #expect(Self.relative(try Self.number(j, "divergence_action"), divergence) < 1e-12)
        #expect(Self.relative(try Self.number(j, "entropy_production"), reversed - total) < 1e-12)
        #expect(abs(try Self.number(j, "action_even") + Self.number(j, "action_odd") - total) < 1e-12 * abs(total))
        #expect(j["steps"] as? Int == 5 && j["dimension"] as? Int == 2 && j["provenance"] is [String: Any])
        for key in ["action", "action_even", "action_odd", "entropy_production"] { #expect(j[key] != nil, "missing \(key)") }

        // Midpoint: S_odd = −½ Σ f(x̄)ᵀ D⁻¹ Δx, and the same path as a JSON literal reads the same.
        let literal = "[" + x.map { "[\($0[0]),\($0[1])]" }.joined(separator: ",") + "]"
        let m = try runCLI(["action", "--drift", Self.bText, "--diffusion", Self.dText, "--dt", "0.1", "--path", literal,
                            "--discretisation", "midpoint", "--json"])
        #expect(m.status == 0, "\(m.stderr)")
        let jm = try #require(m.json)
        let dInv = Self.inverse2(Self.dMatrix)
        var odd = 0.0
        for k in 0..<5 {
            let mid = (0..<2).map { (x[k][$0] + x[k + 1][$0]) / 2 }
            let dx = (0..<2).map { x[k + 1][$0] - x[k][$0] }
            odd -= 0.5 * zip(Self.apply(Self.b, mid), Self.apply(dInv, dx)).reduce(0) { $0 + $1.0 * $1.1 }
        }
        #expect(Self.relative(try Self.number(jm, "action_odd"), odd) < 1e-12)
        #expect(Self.relative(try Self.number(jm, "entropy_production"), -2 * odd) < 1e-12)

        // The same path stored as float32: the action of the float32-rounded states.
        let f32 = dir.appendingPathComponent("path32.npy")
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (6, 2), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8)
        for v in x.flatMap({ $0 }) { withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { bytes += $0 } }
        try Data(bytes).write(to: f32)
        let r32 = try runCLI(["action", "--drift", Self.bText, "--diffusion", Self.dText, "--dt", "0.1", "--path", f32.path, "--json"])
        #expect(r32.status == 0, "\(r32.stderr)")
        let x32 = x.map { $0.map { Double(Float($0)) } }
        #expect(Self.relative(try Self.number(try #require(r32.json), "action"), Self.eulerAction(x32, dt: dt).0) < 1e-12)

        // The report for a person names the numbers.
        let text = try runCLI(["action", "--drift", Self.bText, "--diffusion", Self.dText, "--dt", "0.1", "--path", url.path])
        #expect(text.status == 0 && text.stdout.contains("entropy production"), "\(text.stdout)\(text.stderr)")
    }

    // MARK: instanton

    /// Linear drift, anisotropic D: the instanton is the Euler rollout (≤ 1e-8), its kinetic action vanishes, and
    /// --out holds the same path as the JSON.
    @Test func instantonOfALinearDriftIsTheRollout() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("x.npy")
        let n = 200, dt = 1.5 / 200
        let r = try runCLI(["instanton", "--drift", Self.bText, "--diffusion", Self.dText, "--x0", "[1,-0.5]",
                            "--horizon", "1.5", "--steps", "\(n)", "--out", out.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        let path = try #require(j["path"] as? [[Double]])
        #expect(path.count == n + 1 && path.allSatisfy { $0.count == 2 })
        var x = [1.0, -0.5], deviation = 0.0
        for k in 0...n {
            deviation = max(deviation, abs(path[k][0] - x[0]), abs(path[k][1] - x[1]))
            let f = Self.apply(Self.b, x)
            x = [x[0] + dt * f[0], x[1] + dt * f[1]]
        }
        #expect(deviation <= 1e-8, "max |x* − rollout| = \(deviation)")
        #expect(try Self.number(j, "rollout_deviation") <= 1e-8)
        #expect(abs(try Self.number(j, "kinetic_action")) <= 1e-12)
        #expect(Self.relative(try Self.number(j, "action"), Double(n) * dt / 2 * (Self.b[0][0] + Self.b[1][1])) < 1e-10)
        for key in ["energy_drift", "gyroscopic_power", "residual"] { #expect((try Self.number(j, key)).isFinite, "\(key)") }
        #expect((j["iterations"] as? Int).map { $0 >= 0 } == true)
        // The .npy holds the exact doubles; Foundation's JSON reader on Linux may round the printed decimals in the
        // last bit, hence one unit of 1e-15 on the O(1) states.
        let (shape, values) = try Self.readNPY(out)
        #expect(shape == [n + 1, 2] && zip(values, path.flatMap { $0 }).allSatisfy { abs($0 - $1) <= 1e-15 })
        #expect(try Self.readNPY(out).1.count == 2 * (n + 1))
        // --x0 from a .npy vector (shape (2,)) is the same point.
        let x0File = dir.appendingPathComponent("x0.npy")
        try EstimateCommandTests.writeNPY([1, -0.5], shape: [2], to: x0File)
        let fromFile = try runCLI(["instanton", "--drift", Self.bText, "--diffusion", Self.dText, "--x0", x0File.path,
                                   "--horizon", "1.5", "--steps", "\(n)", "--json"])
        #expect(fromFile.status == 0 && fromFile.json?["path"] as? [[Double]] == path, "\(fromFile.stderr)")
        let text = try runCLI(["instanton", "--drift", Self.bText, "--diffusion", Self.dText, "--x0", "[1,-0.5]",
                               "--horizon", "1.5", "--steps", "\(n)"])
        #expect(text.status == 0 && text.stdout.contains("rollout deviation"), "\(text.stdout)\(text.stderr)")
    }

    // MARK: plan

    /// The discrete plan of f = −γx (Euler): x_k = P a^k + Q a^{−k}, a = 1 − γΔt, exactly (1e-9); its kinetic
    /// action Σ (x_{k+1} − a x_k)²/(4DΔt); ln det(M/M₀) = ln[(1 − a^{2n}) / ((1 − a²) n)] (the Dirichlet tridiagonal
    /// determinants); F = S + ½ ln det. Against the continuum: the kinetic action tends to ½ d²/Σ_T, its error halving
    /// with Δt.
    @Test func planOfAOneDimensionalOUIsTheDiscreteBridge() throws {
        let gamma = 0.8, diffusion = 0.5, horizon = 1.5, x0 = 1.0, x1 = -0.5
        var kineticErrors: [Double] = []
        for n in [400, 800] {
            let r = try runCLI(["plan", "--drift", "[[-0.8]]", "--diffusion", "0.5", "--x0", "[1]", "--x1", "-0.5",
                                "--horizon", "1.5", "--steps", "\(n)", "--json"])
            #expect(r.status == 0, "\(r.stderr)")
            let j = try #require(r.json)
            let path = try #require(j["path"] as? [[Double]]).map { $0[0] }
            let dt = horizon / Double(n), a = 1 - gamma * dt, an = pow(a, Double(n))
            let q = (x1 - x0 * an) / (1 / an - an), p = x0 - q
            let exact = (0...n).map { p * pow(a, Double($0)) + q * pow(a, -Double($0)) }
            #expect(zip(path, exact).map { abs($0 - $1) }.max()! <= 1e-9)
            var kinetic = 0.0
            for k in 0..<n { kinetic += pow(exact[k + 1] - a * exact[k], 2) / (4 * diffusion * dt) }
            #expect(Self.relative(try Self.number(j, "kinetic_action"), kinetic) < 1e-9)
            let logDet = log((1 - an * an) / ((1 - a * a) * Double(n)))
            #expect(abs(try Self.number(j, "log_det") - logDet) < 1e-9, "ln det \(j["log_det"] ?? "nil") vs \(logDet)")
            #expect(abs(try Self.number(j, "free_energy") - (Self.number(j, "action") + 0.5 * Self.number(j, "log_det"))) < 1e-12)
            let sigmaT = diffusion / gamma * (1 - exp(-2 * gamma * horizon))
            let d = x1 - exp(-gamma * horizon) * x0
            kineticErrors.append(abs(try Self.number(j, "kinetic_action") - 0.5 * d * d / sigmaT))
        }
        // O(Δt): halving Δt halves the error (ratio within 10 % of 2).
        #expect(abs(kineticErrors[0] / kineticErrors[1] - 2) < 0.2, "errors \(kineticErrors)")
    }

    /// With --terminal-weight w the end is free: the kinetic action of a path ending at y is (y − aⁿx₀)²/(2Σ_n)
    /// (Σ_n = 2DΔt (1 − a^{2n})/(1 − a²), the chain's variance), so the plan ends at
    /// y* = (aⁿx₀/Σ_n + w x₁)/(1/Σ_n + w) and Φ = ½ w (y* − x₁)² (1e-9).
    @Test func planWithATerminalCostEndsAtTheWeightedMean() throws {
        let n = 300, dt = 1.0 / 300, a = 1 - 0.8 * dt, an = pow(a, Double(n)), w = 4.0
        let r = try runCLI(["plan", "--drift", "[[-0.8]]", "--diffusion", "0.5", "--x0", "1", "--x1", "2", "--terminal-weight", "4",
                            "--horizon", "1", "--steps", "\(n)", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        let sigma = 2 * 0.5 * dt * (1 - an * an) / (1 - a * a)
        let y = (an / sigma + w * 2) / (1 / sigma + w)
        let end = try #require((j["path"] as? [[Double]])?.last)
        #expect(abs(end[0] - y) < 1e-9, "x(T) = \(end[0]) vs \(y)")
        #expect(abs(try Self.number(j, "terminal_cost") - 0.5 * w * (y - 2) * (y - 2)) < 1e-9)
        #expect(Self.relative(try Self.number(j, "kinetic_action"), (y - an) * (y - an) / (2 * sigma)) < 1e-8)
        #expect(j["terminal_weight"] as? Double == 4)
    }

    // MARK: path-covariance

    /// f = −0.7x, D = 0.4, T = 2, 4000 steps: Var[x_T] = 0.53679 (the issue's number, 1e-4), and every marginal
    /// variance is the Euler–Maruyama chain's 2DΔt (1 − a^{2k}) / (1 − a²) (1e-9 relative); with --x1 the variance
    /// about the plan is the discrete bridge's Σ_k (1 − a^{2(n−k)} Σ_k / Σ_n).
    @Test func pathCovarianceOfAOneDimensionalOU() throws {
        let n = 4000, dt = 2.0 / 4000, a = 1 - 0.7 * dt
        func sigma(_ k: Int) -> Double { 2 * 0.4 * dt * (1 - pow(a, Double(2 * k))) / (1 - a * a) }
        let r = try runCLI(["path-covariance", "--drift", "[[-0.7]]", "--diffusion", "0.4", "--x0", "[1]",
                            "--horizon", "2", "--steps", "4000", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        let final = try #require(j["final_covariance"] as? [[Double]])
        #expect(abs(final[0][0] - 0.53679) < 1e-4, "Var[x_T] = \(final)")
        #expect(Self.relative(final[0][0], sigma(n)) < 1e-9)
        let marginal = try #require(j["marginal_variances"] as? [[Double]])
        #expect(marginal.count == n + 1 && marginal[0] == [0])
        #expect((1...n).map { Self.relative(marginal[$0][0], sigma($0)) }.max()! < 1e-9)
        #expect((try Self.number(j, "log_det")).isFinite)

        let p = try runCLI(["path-covariance", "--drift", "[[-0.7]]", "--diffusion", "0.4", "--x0", "[1]", "--x1", "[0.5]",
                            "--horizon", "2", "--steps", "4000", "--json"])
        #expect(p.status == 0, "\(p.stderr)")
        let jp = try #require(p.json)
        let bridge = try #require(jp["marginal_variances"] as? [[Double]])
        #expect(bridge.count == n + 1 && bridge[0] == [0] && bridge[n] == [0])
        let exact = (1..<n).map { k in sigma(k) * (1 - pow(a, Double(2 * (n - k))) * sigma(k) / sigma(n)) }
        #expect((1..<n).map { Self.relative(bridge[$0][0], exact[$0 - 1]) }.max()! < 1e-8)
        let bridgeFinal = try #require(jp["final_covariance"] as? [[Double]])
        #expect(Self.relative(bridgeFinal[0][0], exact[n - 2]) < 1e-8)
        #expect(jp["boundary"] as? String == "dirichlet" && j["boundary"] as? String == "free_end")
    }

    /// 2-D, anisotropic D: Cov[x_T] is the chain's Σ_n = Σ_{j<n} A^j (2DΔt) A^{jᵀ} (1e-9 relative, entrywise on
    /// the scale of the diagonal).
    @Test func pathCovarianceOfATwoDimensionalOUIsTheChainCovariance() throws {
        let n = 500, dt = 1.0 / 500
        let r = try runCLI(["path-covariance", "--drift", Self.bText, "--diffusion", Self.dText, "--x0", "[0.3,0.2]",
                            "--horizon", "1", "--steps", "\(n)", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        let cov = try #require(j["final_covariance"] as? [[Double]])
        let a = [[1 + dt * Self.b[0][0], dt * Self.b[0][1]], [dt * Self.b[1][0], 1 + dt * Self.b[1][1]]]
        var s = [[0.0, 0.0], [0.0, 0.0]]
        for _ in 0..<n {    // Σ ← A Σ Aᵀ + 2DΔt
            let as_ = (0..<2).map { i in (0..<2).map { k in a[i][0] * s[0][k] + a[i][1] * s[1][k] } }
            s = (0..<2).map { i in (0..<2).map { k in as_[i][0] * a[k][0] + as_[i][1] * a[k][1] + 2 * dt * Self.dMatrix[i][k] } }
        }
        let scale = max(s[0][0], s[1][1])
        for i in 0..<2 { for k in 0..<2 { #expect(abs(cov[i][k] - s[i][k]) < 1e-9 * scale, "\(cov) vs \(s)") } }
    }

    // MARK: --model

    /// A world model file gives the same numbers as its drift spelled with --family softmax.
    @Test func modelFileIsItsSoftmaxDrift() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("model.json")
        try Data(#"{"W": [[0.5, -1], [1, 0.5]], "keys": [[1, 0], [0, 1], [-1, -1]], "beta": 1.5, "leak": 1, "learnBeta": false, "learnLeak": false}"#.utf8)
            .write(to: file)
        let common = ["--diffusion", "0.3", "--x0", "[1,0.5]", "--horizon", "1", "--steps", "100", "--json"]
        let fromModel = try runCLI(["instanton", "--model", file.path] + common)
        let spelled = try runCLI(["instanton", "--family", "softmax", "--w", "[[0.5,-1],[1,0.5]]", "--keys", "[[1,0],[0,1],[-1,-1]]",
                                  "--beta", "1.5"] + common)
        #expect(fromModel.status == 0 && spelled.status == 0, "\(fromModel.stderr)\(spelled.stderr)")
        let a = try #require(fromModel.json), b = try #require(spelled.json)
        #expect(a["path"] as? [[Double]] == b["path"] as? [[Double]] && a["action"] as? Double == b["action"] as? Double)
        #expect(a["drift"] as? String == "model")
        let plan = try runCLI(["plan", "--model", file.path, "--diffusion", "0.3", "--x0", "[1,0.5]", "--x1", "[-0.5,0.5]",
                               "--horizon", "1", "--steps", "100", "--json"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(((plan.json?["path"] as? [[Double]])?.last).map { abs($0[0] + 0.5) < 1e-12 && abs($0[1] - 0.5) < 1e-12 } == true)
    }

    /// A model trained by `paththermo train` (tiny sizes) runs through instanton, plan and path-covariance.
    @Test func trainedModelRunsEndToEnd() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try runCLI(["train", "--omega", "1", "--slots", "4", "--rollouts", "4", "--data-steps", "501", "--iterations", "20",
                                "--batch-size", "128", "--no-ep", "--out", dir.path])
        #expect(train.status == 0, "\(train.stderr)")
        let model = dir.appendingPathComponent("model.json").path
        for command in [["instanton"], ["plan", "--x1", "[0,1]"], ["path-covariance"]] {
            let r = try runCLI(command + ["--model", model, "--diffusion", "0.5", "--x0", "[1,0]", "--horizon", "2", "--steps", "200", "--json"])
            #expect(r.status == 0, "\(command): \(r.stderr)")
            #expect(r.json?["drift"] as? String == "model", "\(command)")
        }
    }

    /// Each command's JSON carries the provenance object, with Δt (T/n, or --dt) and units.
    @Test func everyPathCommandRecordsProvenance() throws {
        let grid = ["--drift", "[[-1,0.5],[-0.5,-1]]", "--diffusion", "0.5", "--x0", "[1,0]", "--horizon", "1", "--steps", "8", "--json"]
        for args in [["instanton"] + grid, ["plan", "--x1", "[0,1]"] + grid, ["path-covariance"] + grid,
                     ["action", "--drift", "[[-1]]", "--diffusion", "0.5", "--dt", "0.125", "--path", "[[1],[0.9],[0.7]]", "--json"]] {
            let r = try runCLI(args)
            #expect(r.status == 0, "\(args[0]): \(r.stderr)")
            try ProvenanceCommandTests.check(r.json, args, dt: 0.125, "\(args[0])")
        }
    }

    // MARK: bad input

    @Test(arguments: [
        (["instanton", "--drift", "[[-1,0],[0,-1]]", "--diffusion", "[[1,2],[2,1]]", "--x0", "[1,0]", "--horizon", "1", "--steps", "10"], "positive definite"),
        (["instanton", "--drift", "[[-1,0],[0,-1]]", "--diffusion", "0.5", "--x0", "[1,0]", "--horizon", "1", "--steps", "0"], "--steps"),
        (["plan", "--drift", "[[-1,0],[0,-1]]", "--diffusion", "0.5", "--x0", "[1,0]", "--x1", "[0,0]", "--horizon", "1", "--steps", "9223372036854775807"], "--steps"),
        (["path-covariance", "--drift", "[[-1,0],[0,-1]]", "--diffusion", "0.5", "--x0", "[1,0]", "--horizon", "-1", "--steps", "10"], "--horizon"),
        (["instanton", "--drift", "[[-1,0],[0,-1]]", "--diffusion", "0.5", "--x0", "[1,0]", "--horizon", "nan", "--steps", "10"], "--horizon"),
        (["instanton", "--drift", "[[-1,0],[0,-1]]", "--diffusion", "0.5", "--x0", "[1,0,2]", "--horizon", "1", "--steps", "10"], "--x0"),
        (["instanton", "--drift", "[[-1,0],[0,-1]]", "--diffusion", "0.5", "--x0", "./missing.npy", "--horizon", "1", "--steps", "10"], "no such file"),
        (["instanton", "--drift", "[[-1,0],[0,-1]]", "--diffusion", "0.5", "--x0", "[1,0]", "--horizon", "1", "--steps", "1099511627776"], "--max-memory"),
        (["instanton", "--drift", "[[-1,0],[0,-1]]", "--diffusion", "0.5", "--x0", "[1,0]", "--horizon", "1", "--steps", "10", "--max-iterations", "0"], "--max-iterations"),
        (["path-covariance", "--drift", "[[-1,0],[0,-1]]", "--diffusion", "0.5", "--x0", "[1,0]", "--horizon", "1", "--steps", "10", "--max-memory", "1K"], "--max-memory"),
        (["plan", "--drift", "[[-1,0],[0,-1]]", "--diffusion", "0.5", "--x0", "[1,0]", "--x1", "[0,0]", "--horizon", "1", "--steps", "10", "--terminal-weight", "0"], "--terminal-weight"),
        (["instanton", "--model", "m.json", "--drift", "[[-1,0],[0,-1]]", "--diffusion", "0.5", "--x0", "[1,0]", "--horizon", "1", "--steps", "10"], "--model"),
        (["instanton", "--family", "softmax", "--w", "[[1,-3],[3,1]]", "--keys", "[[1,0],[0,1],[-1,0],[0,-1]]", "--beta", "3",
          "--diffusion", "0.1", "--x0", "[1,0.2]", "--horizon", "2", "--steps", "200", "--max-iterations", "1"], "did not converge"),
    ])
    func badInputIsOneLine(arguments: [String], mentions: String) throws {
        Self.expectOneLineError(try runCLI(arguments), mentions: mentions, arguments.joined(separator: " "))
    }

    /// A path of the wrong d, a stack of paths (3-D), and a non-positive --dt.
    @Test func actionRefusesBadPaths() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let wide = dir.appendingPathComponent("wide.npy"), stack = dir.appendingPathComponent("stack.npy")
        try EstimateCommandTests.writeNPY((0..<12).map(Double.init), shape: [4, 3], to: wide)
        try EstimateCommandTests.writeNPY((0..<16).map(Double.init), shape: [2, 4, 2], to: stack)
        let base = ["action", "--drift", Self.bText, "--diffusion", "0.5", "--dt", "0.1", "--path"]
        Self.expectOneLineError(try runCLI(base + [wide.path]), mentions: "d = 3", "wrong d")
        Self.expectOneLineError(try runCLI(base + [stack.path]), mentions: "a[0]", "3-D")
        Self.expectOneLineError(try runCLI(base + ["[[1,0]]"]), mentions: "at least 2 states", "one state")
        Self.expectOneLineError(try runCLI(["action", "--drift", Self.bText, "--diffusion", "0.5", "--dt", "0", "--path", wide.path]),
                                mentions: "--dt", "dt 0")
    }
}
