import ArrayIO
import Foundation
import Testing
@testable import Estimators

/// `.npy` trajectories read through a memory map (`TrajectoryFile.loadNPY`): the same segments, errors and
/// estimates, bit for bit, as the decoded array (`data(from: NPY.read(...))`); files of other dtypes are converted one
/// rollout at a time; the grid's quantile bound, now a radix selection over the segments, equals the sorted order statistic.
@Suite struct MappedTrajectoryFileTests {
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pt-mapped-\(getpid())-\(name)").path
    }

    /// Every method's JSON text without the `seconds` timings.
    static func estimates(_ data: TrajectoryData) throws -> String {
        try TrajectoryDataBorrowingTests.estimates(data, dt: 0.02)
    }

    @Test func aMappedFileEqualsTheDecodedArray() throws {
        var c = TrajectoryDataBorrowingTests.rotating(rollouts: 6, steps: 300)
        c[(1 * 300 + 40) * 2] = .nan
        c[(5 * 300 + 299) * 2 + 1] = .nan
        let path = Self.temporaryPath("a.npy")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try NPY.write(try NPYArray(shape: [6, 300, 2], values: c), to: path)
        let mapped = try TrajectoryFile.loadNPY(path: path)
        guard case .mapped = mapped.storage else { Issue.record("a float64 C-order file was not mapped"); return }
        let decoded = try TrajectoryFile.data(from: try NPY.read(contentsOf: path))
        #expect(mapped.values == decoded.values && mapped.segments == decoded.segments)
        #expect(mapped.discardedStates == decoded.discardedStates)
        #expect(try Self.estimates(mapped) == (try Self.estimates(decoded)))
        // float32, and float64 or float32 in Fortran order, are converted one rollout at a time into a mapped scratch
        // file: the decoder's values (widened exactly), segments and estimates; no scratch file is left.
        for (name, dtype, fortran) in [("a32.npy", NPYDType.float32, false), ("f64.npy", .float64, true), ("f32.npy", .float32, true)] {
            let other = Self.temporaryPath(name)
            defer { try? FileManager.default.removeItem(atPath: other) }
            try NPY.write(try NPYArray(shape: [6, 300, 2], values: c), to: other, dtype: dtype, fortranOrder: fortran)
            let converted = try TrajectoryFile.loadNPY(path: other)
            guard case .mapped = converted.storage else { Issue.record("\(name) was not read through a mapped scratch file"); return }
            let otherDecoded = try TrajectoryFile.data(from: try NPY.read(contentsOf: other))
            #expect(converted.values == otherDecoded.values && converted.segments == otherDecoded.segments, "\(name)")
            #expect(converted.values == decoded.values.map { dtype == .float32 ? Double(Float($0)) : $0 }, "\(name)")
            #expect(try Self.estimates(converted) == (try Self.estimates(otherDecoded)), "\(name)")
            // A (T, d) array too.
            try NPY.write(try NPYArray(shape: [300, 2], values: Array(c[0..<600])), to: other, dtype: dtype, fortranOrder: fortran)
            #expect(try TrajectoryFile.loadNPY(path: other).values == (try TrajectoryFile.data(from: try NPY.read(contentsOf: other)).values))
        }
        let folder = (Self.temporaryPath("x") as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".values") && $0.contains("pt-mapped-\(getpid())") }.isEmpty)
    }

    /// A `.npy` file of `descr` by hand (version 1.0 header padded to 64 bytes), items from `item(k)` in file order.
    static func npy(descr: String, shape: [Int], fortran: Bool, size: Int, item: (Int) -> [UInt8]) -> Data {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': (\(dims)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8)
        for k in 0..<shape.reduce(1, *) {
            let b = item(k)
            precondition(b.count == size)
            bytes += b
        }
        return Data(bytes)
    }

    /// Integers, booleans, float16 and big-endian items (C and Fortran order) are converted one rollout at a time
    /// like float32 (issue 19): the decoder's values, segments and estimates, bit for bit.
    @Test func everyDtypeIsConvertedOneRolloutAtATime() throws {
        let shape = [5, 200, 2], count = 2000
        func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        func be<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
        // A rotating walk in integers (k-th item of the file), with a wide range for the 64-bit ones.
        // Never 0 (an all-zero final state reads as an unfinished, zero-padded file).
        func value(_ k: Int) -> Int { Int((sin(Double(k) * 0.37) + cos(Double(k / 2) * 0.011)) * 900) | 1 }
        let cases: [(String, Int, (Int) -> [UInt8])] = [
            ("<i2", 2, { le(Int16(value($0))) }), (">i8", 8, { be(Int64(value($0)) << 40) }), ("|u1", 1, { [UInt8(truncatingIfNeeded: value($0)) | 1] }),
            ("<u4", 4, { le(UInt32(abs(value($0)))) }), ("<f2", 2, { le(Float16(Double(value($0)) / 64).bitPattern) }),
            (">f8", 8, { be((Double(value($0)) / 7).bitPattern) }), (">f4", 4, { be(Float(Double(value($0)) / 3).bitPattern) }),
            ("|b1", 1, { [$0 % 7 == 3 ? 0 : 1] }),
        ]
        for (descr, size, item) in cases {
            for fortran in [false, true] {
                let path = Self.temporaryPath("dtype-\(descr.dropFirst())-\(fortran).npy")
                defer { try? FileManager.default.removeItem(atPath: path) }
                try Self.npy(descr: descr, shape: shape, fortran: fortran, size: size, item: item).write(to: URL(fileURLWithPath: path))
                let converted: TrajectoryData
                do { converted = try TrajectoryFile.loadNPY(path: path) } catch {
                    Issue.record("\(descr) fortran \(fortran): \(error)")
                    continue
                }
                guard case .mapped = converted.storage else { Issue.record("\(descr) was not converted into a mapped scratch file"); continue }
                let decoded = try TrajectoryFile.data(from: try NPY.read(contentsOf: path))
                #expect(converted.values.count == count && converted.values == decoded.values, "\(descr) fortran \(fortran)")
                #expect(converted.segments == decoded.segments)
                if descr != "|b1" { #expect(try Self.estimates(converted) == (try Self.estimates(decoded)), "\(descr)") }
            }
        }
    }

    @Test func errorsAreTheDecodersErrors() throws {
        var c = TrajectoryDataBorrowingTests.rotating(rollouts: 3, steps: 100)
        c[(2 * 100 + 7) * 2 + 1] = .infinity
        let path = Self.temporaryPath("inf.npy")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try NPY.write(try NPYArray(shape: [3, 100, 2], values: c), to: path)
        let mappedError = #expect(throws: EstimatorError.self) { try TrajectoryFile.loadNPY(path: path) }
        let decodedError = #expect(throws: EstimatorError.self) { try TrajectoryFile.data(from: try NPY.read(contentsOf: path)) }
        #expect(mappedError.map { "\($0)" } == decodedError.map { "\($0)" })
        #expect(#expect(throws: ArrayIOError.self) { try TrajectoryFile.loadNPY(path: Self.temporaryPath("missing.npy")) }
            .map { "\($0)".contains("missing.npy") } == true)
        // A truncated file is refused with the decoder's message.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 8).write(to: URL(fileURLWithPath: path))
        let truncatedMapped = #expect(throws: ArrayIOError.self) { try TrajectoryFile.loadNPY(path: path) }
        let truncatedRead = #expect(throws: ArrayIOError.self) { try NPY.read(contentsOf: path) }
        #expect(truncatedMapped.map { "\($0)" } == truncatedRead.map { "\($0)" })
    }

    @Test func aFileAboveTheReleaseThresholdGivesTheSameEstimates() throws {
        // 72 rollouts × 60 000 states × 2 = 69 MB > 64 MiB: pages are released after each segment and each pass.
        let (b, t) = (72, 60_000)
        let one = TrajectoryDataBorrowingTests.rotating(rollouts: 1, steps: t)
        var c = [Double](repeating: 0, count: b * t * 2)
        for r in 0..<b { for k in 0..<(t * 2) { c[r * t * 2 + k] = one[k] * (1 + Double(r) / 64) } }
        let path = Self.temporaryPath("large.npy")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try NPY.write(try NPYArray(shape: [b, t, 2], values: c), to: path)
        let mapped = try TrajectoryFile.loadNPY(path: path)
        guard case .mapped(_, let items) = mapped.storage else { Issue.record("not mapped"); return }
        #expect(items.count * 8 > TrajectoryData.Storage.releaseThreshold)
        let decoded = try TrajectoryFile.data(from: try NPYArray(shape: [b, t, 2], values: c))
        #expect(try Self.estimates(mapped) == (try Self.estimates(decoded)))
    }

    @Test func theQuantileBoundIsTheSortedOrderStatistic() throws {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 5e-324, -5e-324, 1e300, -1e300, 1, 1, 1, -1, 2.5, 2.5]
        for _ in 0..<4000 { values.append(Double.random(in: -3...3, using: &generator)) }
        for _ in 0..<100 { values.append(Double(Int.random(in: -3...3, using: &generator))) }   // ties
        values.append(contentsOf: values.prefix(1000).map { $0 * 1e-200 })
        let d = 2
        values = Array(values.prefix(values.count / d * d))
        let data = try TrajectoryData(dimension: d, rollouts: [Array(values.prefix(2000)), Array(values.dropFirst(2000))])
        let sorted = data.values.map(abs).sorted()
        for q in [1e-9, 0.001, 0.25, 0.5, 0.9995, 1.0] {
            let n = sorted.count
            let expected = sorted[min(n - 1, max(0, Int((q * Double(n)).rounded(.up)) - 1))]
            let found = KramersMoyalGrid.orderStatisticOfMagnitudes(data) { n in
                min(n - 1, max(0, Int((q * Double(n)).rounded(.up)) - 1))
            }
            #expect(found?.bitPattern == expected.bitPattern, "q = \(q)")
        }
        for rank in [0, 1, 17, sorted.count - 1] {
            #expect(KramersMoyalGrid.orderStatisticOfMagnitudes(data) { _ in rank }?.bitPattern == sorted[rank].bitPattern)
        }
    }
}
