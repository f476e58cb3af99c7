import Testing
@testable import ResourceLimits

@Suite("MemoryBudget and AllocationPlan")
struct MemoryBudgetTests {
    @Test func defaultBudgetIsHalfOfPhysicalMemory() {
        #expect(MemoryBudget.defaultFraction == 0.5)
        #expect(MemoryBudget(physicalMemory: 24_000_000_000).bytes == 12_000_000_000)
        #expect(MemoryBudget(physicalMemory: 1).bytes == 1)  // never 0
        #expect(MemoryBudget(bytes: 0).bytes == 1)
        #expect(MemoryBudget.standard.bytes == Int(Double(MemoryBudget.availableMemory) * 0.5))
        #expect(MemoryBudget.availableMemory > 0)
    }

    @Test func planWithinBudgetReturnsItsBytes() throws {
        var plan = AllocationPlan("simulate")
        plan.add(.init(64, "rollouts"), .init(1000, "steps"), 2, .init(8, "bytes"))
        plan.add(.init(64, "rollouts"), .init(8, "bytes"))
        #expect(try plan.bytes() == 64 * 1000 * 2 * 8 + 64 * 8)
        let budget = MemoryBudget(physicalMemory: 24_000_000_000)
        #expect(try budget.check(plan) == 1_024_512)
        try budget.check(bytes: 12_000_000_000, what: "exactly the budget")
    }

    @Test func planAboveBudgetNamesItsSizesInOneLine() {
        let plan = AllocationPlan("simulate").adding(.init(64, "rollouts"), .init(1_000_000_000, "steps"), 2, .init(8, "bytes"))
        let budget = MemoryBudget(physicalMemory: 24_000_000_000, hint: "--max-memory")
        do {
            try budget.check(plan)
            Issue.record("a 1.02 TB plan passed a 12 GB budget")
        } catch {
            #expect(error == .exceedsBudget(what: "simulate", formula: "64 rollouts × 1000000000 steps × 2 × 8 bytes",
                                            bytes: 1_024_000_000_000, budget: 12_000_000_000, hint: "--max-memory"))
            #expect(error.description == "simulate: 64 rollouts × 1000000000 steps × 2 × 8 bytes = 1.02 TB exceeds the memory budget of 12 GB (--max-memory)")
            #expect(!error.description.contains("\n"))
        }
        #expect(throws: ResourceLimitError.exceedsBudget(what: "x", formula: "", bytes: 12_000_000_001, budget: 12_000_000_000, hint: "")) {
            try MemoryBudget(physicalMemory: 24_000_000_000).check(bytes: 12_000_000_001, what: "x")
        }
    }

    @Test func planOverflowIsAnErrorNotATrap() {
        let plan = AllocationPlan("estimate").adding(.init(Int.max, "blocks"), .init(3, "statistics"), .init(8, "bytes"))
        #expect(throws: ResourceLimitError.overflow(what: "estimate", formula: "9223372036854775807 blocks × 3 statistics × 8 bytes")) {
            try MemoryBudget.unlimited.check(plan)
        }
        // Two terms that each fit but whose sum does not.
        let sum = AllocationPlan("sum").adding(.init(Int.max / 2 + 1)).adding(.init(Int.max / 2 + 1))
        #expect(throws: ResourceLimitError.overflow(what: "sum", formula: "\(Int.max / 2 + 1) + \(Int.max / 2 + 1)")) {
            try sum.bytes()
        }
    }

    @Test func countLimitChecksBothEnds() throws {
        try CountLimit.require(1, "--rollouts", atLeast: 1)
        try CountLimit.require(CountLimit.defaultMaximum, "--rollouts", atLeast: 1)
        for v in [0, -1, Int.min, CountLimit.defaultMaximum + 1, Int.max] {
            #expect(throws: ResourceLimitError.invalidCount(name: "--rollouts", value: v, requirement: "between 1 and \(1 << 40)")) {
                try CountLimit.require(v, "--rollouts", atLeast: 1)
            }
        }
    }
}
