import ArrayIO
import Foundation

extension Figure4Result {
    public static let jsonName = "figure4.json"
    public static let instantonsCSVName = "figure4-instantons.csv"
    public static let scalingCSVName = "figure4-scaling.csv"
    public static let plansCSVName = "figure4-plans.csv"
    public static let covarianceCSVName = "figure4-covariance.csv"
    public static let varianceCurveCSVName = "figure4-variance-curve.csv"
    public static let energyCSVName = "figure4-energy.csv"
    public static let pngName = "figure4.png"

    /// Every CSV file name, in the order written.
    public static var csvNames: [String] {
        [instantonsCSVName, scalingCSVName, plansCSVName, covarianceCSVName, varianceCurveCSVName, energyCSVName]
    }

    /// Writes `figure4.json` and the CSV tables to `directory` (created if missing) as one group
    /// (``ResultFile/write(files:)``); panels not yet run give tables with their header only.
    public func write(to directory: String) throws {
        try ExperimentFiles.write(self, named: Self.jsonName, tables: [
            (Self.instantonsCSVName, instantonsTable), (Self.scalingCSVName, scalingTable), (Self.plansCSVName, plansTable),
            (Self.covarianceCSVName, covarianceTable), (Self.varianceCurveCSVName, varianceCurveTable),
            (Self.energyCSVName, energyTable),
        ], to: directory)
    }

    /// Runs the matplotlib script (written next to the data) that draws `figure4.png`.
    public static func renderFigure(in directory: String) throws {
        try PythonFigure.render(script: Figure4Plot.script, named: Figure4Plot.fileName, png: pngName, in: directory)
    }

    /// Panel (a): the instantons at D and D/2 and their rollouts, node by node.
    func instantonsTable() throws -> CSVTable {
        var t = CSVTable(columns: ["diffusion", "k", "t", "x", "y", "rollout_x", "rollout_y"])
        for r in instantons?.pair ?? [] {
            for k in r.path.indices {
                try t.append([r.diffusion, Double(k), Double(k) * r.timeStep, r.path[k][0], r.path[k][1], r.rollout[k][0],
                              r.rollout[k][1]].map(CSVTable.cell))
            }
        }
        return t
    }

    /// Panel (a): max|x* − x_rollout| over the D sweep.
    func scalingTable() throws -> CSVTable {
        var t = CSVTable(columns: ["diffusion", "rollout_deviation", "deviation_over_d"])
        if let p = instantons {
            for i in p.scalingDiffusions.indices {
                try t.append([p.scalingDiffusions[i], p.scalingDeviations[i], p.scalingDeviationsOverD[i]].map(CSVTable.cell))
            }
        }
        return t
    }

    /// Panel (b): the plans node by node, with their signed areas.
    func plansTable() throws -> CSVTable {
        var t = CSVTable(columns: ["model", "omega", "k", "t", "x", "y", "signed_area"])
        if let p = plans {
            let dt = p.horizon / Double(p.steps)
            for plan in p.plans {
                for k in plan.path.indices {
                    try t.append([plan.model] + [plan.omega, Double(k), Double(k) * dt, plan.path[k][0], plan.path[k][1],
                                                 plan.signedArea].map(CSVTable.cell))
                }
            }
        }
        return t
    }

    /// Panel (c): the points (diagonal entries).
    func covarianceTable() throws -> CSVTable {
        var t = CSVTable(columns: ["horizon", "steps", "component", "banded", "exact", "simulated", "simulated_stderr", "z",
                                   "rollouts"])
        for p in covariance?.points ?? [] {
            for j in p.banded.indices {
                try t.append([CSVTable.cell(p.horizon), String(p.steps), String(j)]
                             + [p.banded[j][j], p.exact[j][j], p.simulated[j][j], p.simulatedStderr[j], p.z[j]].map(CSVTable.cell)
                             + [String(p.rollouts)])
            }
        }
        return t
    }

    /// Panel (c): the curves along the longest horizon.
    func varianceCurveTable() throws -> CSVTable {
        var t = CSVTable(columns: ["t", "banded_x", "banded_y", "exact_x", "exact_y"])
        if let p = covariance {
            for k in p.times.indices {
                try t.append([p.times[k], p.bandedVariances[k][0], p.bandedVariances[k][1], p.exactVariances[k][0],
                              p.exactVariances[k][1]].map(CSVTable.cell))
            }
        }
        return t
    }

    /// Panel (d): E along the instanton per step count.
    func energyTable() throws -> CSVTable {
        var t = CSVTable(columns: ["discretisation", "steps", "time_step", "t", "energy"])
        for c in energy?.curves ?? [] {
            for k in c.energy.indices {
                try t.append([c.discretisation.rawValue, String(c.steps)] + [c.timeStep, c.times[k], c.energy[k]].map(CSVTable.cell))
            }
        }
        return t
    }
}
