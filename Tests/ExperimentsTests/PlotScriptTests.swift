import Foundation
import Testing
@testable import Experiments

/// The matplotlib scripts are resource files (Sources/Experiments/Plots/, embedded at build time by SwiftPM's
/// `.embedInCode` and by the CMake build's paththermo_embed_resources): the script each figure writes is its
/// resource file byte for byte, and it reads that figure's JSON and saves that figure's PNG.
@Suite("Plot scripts (resource files)")
struct PlotScriptTests {
    /// (file name, embedded script, JSON the figure writes, PNG it draws).
    static let scripts: [(name: String, script: String, json: String, png: String)] = [
        (Figure1Plot.fileName, Figure1Plot.script, Figure1Result.jsonName, Figure1Result.pngName),
        (Figure2Plot.fileName, Figure2Plot.script, Figure2Result.jsonName, Figure2Result.pngName),
        (Figure3Plot.fileName, Figure3Plot.script, Figure3Result.jsonName, Figure3Result.pngName),
        (Figure4Plot.fileName, Figure4Plot.script, Figure4Result.jsonName, Figure4Result.pngName),
        (FigureKalmanPlot.fileName, FigureKalmanPlot.script, FigureKalmanResult.jsonName, FigureKalmanResult.pngName),
        (TextComparisonPlot.fileName, TextComparisonPlot.script, TextComparisonResult.jsonName, TextComparisonResult.pngName),
        (TextSamplingPlot.fileName, TextSamplingPlot.script, TextSamplingResult.jsonName, TextSamplingResult.pngName),
        (TextSamplingPlot.blockScaleFileName, TextSamplingPlot.blockScaleScript, TextSamplingResult.jsonName,
         TextSamplingResult.blockScalePNGName),
        (HeadAsymmetryPlot.fileName, HeadAsymmetryPlot.script, HeadAsymmetryResult.jsonName, HeadAsymmetryResult.pngName),
        (FigureSpinPlot.fileName, FigureSpinPlot.script, FigureSpinResult.jsonName, FigureSpinResult.pngName),
        (TextFluctuationPlot.fileName, TextFluctuationPlot.script, TextFluctuationResult.jsonName, TextFluctuationResult.pngName),
    ]

    /// Sources/Experiments/Plots, found from this file's path.
    static let plotsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Experiments/Plots")

    @Test("every script is its resource file byte for byte, and every resource file is some figure's script")
    func embeddedBytes() throws {
        for s in Self.scripts {
            let file = try Data(contentsOf: Self.plotsDirectory.appendingPathComponent(s.name))
            #expect(Data(s.script.utf8) == file, "\(s.name)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.plotsDirectory.path).sorted()
        #expect(files == Self.scripts.map(\.name).sorted())
    }

    @Test("each script reads its figure's JSON and saves its PNG (or the path given as its first argument)")
    func inputsAndOutputs() {
        for s in Self.scripts {
            #expect(s.script.contains("with open(\"\(s.json)\") as f:"), "\(s.name)")
            #expect(s.script.contains("fig.savefig(sys.argv[1] if len(sys.argv) > 1 else \"\(s.png)\""), "\(s.name)")
        }
    }
}
