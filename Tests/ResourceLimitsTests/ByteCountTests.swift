import Testing
@testable import ResourceLimits

@Suite("ByteCount: overflow-checked products and sums, sizes")
struct ByteCountTests {
    @Test func productIsExactBelowOverflow() throws {
        #expect(try ByteCount.product(64, 1_000_000_000, 2, 8) == 1_024_000_000_000)
        #expect(try ByteCount.product([]) == 1)
        #expect(try ByteCount.product(0, Int.max) == 0)
        #expect(try ByteCount.product(Int.max, 1) == Int.max)
    }

    @Test func productThrowsOnOverflowInsteadOfTrapping() throws {
        #expect(throws: ResourceLimitError.overflow(what: "simulate", formula: "9223372036854775807 rollouts × 2 × 8 bytes")) {
            try ByteCount.product([.init(Int.max, "rollouts"), 2, .init(8, "bytes")], what: "simulate")
        }
        // 2^32 · 2^31 = 2^63 is one past Int.max.
        #expect(throws: ResourceLimitError.self) { try ByteCount.product(1 << 32, 1 << 31) }
        #expect(try ByteCount.product(1 << 32, (1 << 31) - 1) == Int.max - (1 << 32) + 1)
    }

    @Test func negativeFactorIsRefused() {
        #expect(throws: ResourceLimitError.invalidCount(name: "steps", value: -1, requirement: "≥ 0")) {
            try ByteCount.product([.init(-1, "steps"), 8])
        }
    }

    @Test func sumThrowsOnOverflow() throws {
        #expect(try ByteCount.sum([1, 2, 3]) == 6)
        #expect(try ByteCount.sum([Int.max - 1, 1]) == Int.max)
        #expect(throws: ResourceLimitError.self) { try ByteCount.sum([Int.max, 1]) }
    }

    @Test func formatUsesDecimalUnitsAndThreeDigits() {
        #expect(ByteCount.format(0) == "0 bytes")
        #expect(ByteCount.format(999) == "999 bytes")
        #expect(ByteCount.format(1000) == "1 KB")
        #expect(ByteCount.format(1_500_000) == "1.5 MB")
        #expect(ByteCount.format(1_024_000_000_000) == "1.02 TB")
        #expect(ByteCount.format(12_000_000_000) == "12 GB")
        #expect(ByteCount.format(999_600) == "1 MB")    // 999.6 KB rounds up to the next unit
        #expect(ByteCount.format(123_456_789) == "123 MB")
        #expect(ByteCount.format(Int.max) == "9.22 EB")
    }

    @Test func parseReadsBinarySuffixes() throws {
        #expect(try ByteCount.parse("1") == 1)
        #expect(try ByteCount.parse("512M") == 512 << 20)
        #expect(try ByteCount.parse("8G") == 8 << 30)
        #expect(try ByteCount.parse("8g") == 8 << 30)
        #expect(try ByteCount.parse("8GiB") == 8 << 30)
        #expect(try ByteCount.parse("2TB") == 2 << 40)
        #expect(try ByteCount.parse("64K") == 65_536)
        #expect(try ByteCount.parse("100B") == 100)
        #expect(try ByteCount.parse(" 3G ") == 3 << 30)
    }

    @Test func parseRefusesBadSizes() {
        for text in ["", "G", "-1G", "1.5G", "0", "0M", "12X", "9223372036854775807K", "99999999999999999999"] {
            #expect(throws: ResourceLimitError.self, "\(text)") { try ByteCount.parse(text) }
        }
    }
}
