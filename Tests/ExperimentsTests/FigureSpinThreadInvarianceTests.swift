import Testing
@testable import Experiments

@Suite("Figure spin: cells in parallel")
struct FigureSpinThreadInvarianceTests {
    /// The cells of a D run in parallel (one chain thread each, OpenBLAS held to one thread): the real vMF chain must
    /// give the same cells, bit for bit, for 1, 2 and 3 worker threads, and in the serial (β, u) order.
    @Test func cellsAreThreadInvariant() throws {
        var c = FigureSpinTests.small
        c.finePoints = 0
        c.replicates = 2
        c.chains = 4
        c.burnIn = 5
        c.steps = 10
        var runs: [[FidelityCell]] = []
        for threads in [1, 2, 3] {
            c.threads = threads
            runs.append(try FigureSpinExperiment(c).run().cells)
        }
        #expect(runs[0].count == c.dimensions.count * c.betas.count * c.drives.count)
        #expect(runs[0] == runs[1])
        #expect(runs[0] == runs[2])
        let order = runs[1].map { [Double($0.dimension), $0.beta, $0.drive] }
        let expected = c.dimensions.flatMap { d in c.betas.flatMap { b in c.drives.map { u in [Double(d), b, u] } } }
        #expect(order == expected)
    }
}
