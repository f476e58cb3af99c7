import ArgumentParser
import Foundation
import Dynamics
import LinearAlgebra
import PathSpace

/// `paththermo cycle-work`: the odd-elastic work ∮ f·dx of a drift around a closed loop, the entropy it produces per
/// cycle and the loop's signed areas (Eqs. 23–24 of arXiv:2606.28751; docs/theory/odd-work.md §2). Logic:
/// ``CycleWork`` (PathSpace).
struct CycleWorkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cycle-work",
        abstract: "Odd-elastic work W = ∮ f·dx around a closed loop, the entropy per cycle and the signed areas 𝒜_ij.",
        discussion: """
            W = ∮ f·dx; entropy per cycle W/D (scalar D) or ∮ fᵀD⁻¹dx (matrix D); 𝒜_ij = ½∮(u_i du_j − u_j du_i), \
            u = x − x₀ (x₀ the circle's centre or the polygon's vertex mean). --circle c1,…,cd,r: a circle of radius r \
            about c in the plane of coordinates --plane i,j (default 0,1), counter-clockwise (from e_i toward e_j) \
            unless --clockwise, integrated by the periodic trapezoid rule with --points nodes (spectral accuracy). \
            --loop FILE: an n × d polygon (.npy or JSON) whose last row repeats the first, traversed in row order, \
            with --points Gauss–Legendre nodes per edge; its orientation is reported from the sign of 𝒜 in --plane. \
            Sign: for f = −(I + αR90)x, R90 = [[0,−1],[1,0]], the clockwise unit circle gives W = +2απ. \
            Drifts as in simulate: [--family linear] --drift B, --family softmax --w W --keys K --beta b [--leak l], \
            or --model model.json.
            """
    )

    @OptionGroup var source: DriftOptions

    @Option(help: "Diffusion: a scalar s > 0 (D = s·I) or a d × d symmetric positive-definite matrix (JSON literal, .npy or .json).")
    var diffusion: String

    @Option(help: "A circle: its centre and radius as c1,…,cd,r (e.g. 0,0,1).")
    var circle: String?

    @Option(help: "A closed polygon: an n × d array (.npy or JSON) whose last row repeats the first.")
    var loop: String?

    @Option(help: "The plane of the circle (and of the orientation reported for a polygon): two coordinates i,j (default 0,1).")
    var plane: String?

    @Flag(help: "Traverse the circle clockwise (from e_j toward e_i). Default: counter-clockwise.")
    var clockwise = false

    @Option(help: "Quadrature: θ nodes of a circle (≥ 3), or Gauss–Legendre nodes per edge of a polygon (≥ 1).")
    var points: Int = 256

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    @OptionGroup var resources: ResourceOptions

    func validate() throws {
        guard (circle == nil) != (loop == nil) else { throw CLIError("give exactly one loop: --circle c1,…,cd,r or --loop FILE") }
        if loop != nil, clockwise {
            throw CLIError("--clockwise orients a --circle; a --loop is traversed in its row order (reverse the rows to flip it)")
        }
    }

    struct Report: Encodable {
        let drift: String
        let dimension: Int
        let loop: String
        let centre: [Double]?
        let radius: Double?
        let vertices: Int?
        let plane: [Int]
        let orientation: String
        let points: Int
        let quadrature_nodes: Int
        let reference_point: [Double]
        let diffusion: Double
        let diffusion_matrix: [[Double]]?
        let work: Double
        let work_linearised: Double
        let entropy_per_cycle: Double
        let signed_areas: [[Double]]
    }

    func run() throws { try compute(try source.load()) }

    func compute<F: DifferentiableDrift>(_ f: F) throws {
        let d = f.dimension
        let noise = try SimulateCommand.diffusionModel(diffusion, dimension: d)
        let planePair = try Self.plane(plane)
        let closed: ClosedLoop
        var centre: [Double]?, radius: Double?, vertices: Int?
        do {
            if let circle {
                let values = try Self.numbers(circle, option: "--circle")
                guard values.count == d + 1 else {
                    throw CLIError("--circle: expected the centre's \(d) coordinates and the radius (\(d + 1) numbers), got \(values.count)")
                }
                let c = try CircleLoop(centre: Array(values.prefix(d)), radius: values[d], plane: planePair,
                                       orientation: clockwise ? .clockwise : .counterClockwise)
                closed = .circle(c)
                centre = c.centre; radius = c.radius
            } else {
                let file = loop!
                try resources.checkInput(file, option: "--loop")
                let m = try MatrixOption.matrix(file, option: "--loop")
                guard m.columns == d else { throw CLIError("--loop: the polygon has d = \(m.columns) columns, the drift has d = \(d)") }
                let p = try PolygonLoop(vertices: m)
                closed = .polygon(p)
                vertices = p.count
            }
        } catch let error as PathSpaceError {
            throw CLIError("\(circle != nil ? "--circle" : "--loop"): \(error)")
        }
        let result: CycleWork
        do {
            result = try CycleWork(drift: f, diffusion: noise, loop: closed, points: points, plane: planePair)
        } catch {
            throw CLIError("\(error)")
        }
        let report = Report(
            drift: source.label, dimension: d, loop: circle != nil ? "circle" : "polygon", centre: centre, radius: radius,
            vertices: vertices, plane: result.plane, orientation: result.orientation.rawValue, points: points,
            quadrature_nodes: result.nodes, reference_point: result.referencePoint, diffusion: noise.scale,
            diffusion_matrix: noise.matrix?.json, work: result.work, work_linearised: result.linearisedWork,
            entropy_per_cycle: result.entropyPerCycle, signed_areas: result.signedAreas.json)
        if json { return try JSONOutput.print(report) }
        let shape = centre.map { "circle about \(fmtPoint($0)), r \(fmt(radius!))" } ?? "polygon of \(vertices!) vertices"
        print("loop                  \(shape), \(result.orientation.rawValue) in plane (\(result.plane[0]), \(result.plane[1])), \(result.nodes) nodes  (\(source.label) drift, d = \(d))")
        print("work W = ∮ f·dx       \(fmt(result.work))  (linearised at x₀ = \(fmtPoint(result.referencePoint)): \(fmt(result.linearisedWork)))")
        print("entropy per cycle     \(fmt(result.entropyPerCycle))  (\(noise.isIsotropic ? "W/D" : "∮ fᵀD⁻¹dx"))")
        print("signed areas 𝒜        \(result.signedAreas.json.map(fmtPoint).joined(separator: ", "))")
        JSONOutput.printWarnings(JSONOutput.warnings(for: report))
    }

    /// `--plane i,j` (default 0,1).
    static func plane(_ argument: String?) throws -> (Int, Int) {
        guard let argument else { return (0, 1) }
        let parts = try CommaList.integers(argument, option: "--plane", example: "0,1")
        guard parts.count == 2 else { throw CLIError("--plane: expected two coordinates i,j (e.g. 0,1), got '\(argument)'") }
        return (parts[0], parts[1])
    }

    /// A comma-separated list of finite numbers (`0,0,1`; also a JSON list `[0,0,1]`).
    static func numbers(_ argument: String, option: String) throws -> [Double] {
        let text = argument.trimmingCharacters(in: .whitespaces)
        let body = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        let out = try CommaList.numbers(body, option: option, example: "0,0,1")
        guard out.allSatisfy(\.isFinite) else { throw CLIError("\(option): entries must be finite, got '\(argument)'") }
        return out
    }
}

extension CycleWorkCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters {
        .init(units: "work in units of f·x (drift × length); entropy per cycle in nats (W/D)")
    }
}
