extension TrajectoryFile {
    /// Which columns of a file are coordinates, and which checks may be relaxed.
    ///
    /// The defaults read every column of a `.npy` and every CSV column except the rollout-id column
    /// as a coordinate, and refuse a coordinate that looks like a time or step counter (see
    /// ``TrajectoryFile``). The column names are matched against the CSV header case-insensitively
    /// (surrounding quotes removed); a name that matches no column, or two, is an error.
    public struct Options: Sendable, Equatable {
        /// CSV only: the coordinate columns by header name, in this order (the state is
        /// (x_columns[0], x_columns[1], …)). Other columns are ignored and need not be numbers.
        /// When set, no column is refused for looking like a time column: the choice is explicit.
        public var columns: [String]?
        /// CSV only: the column of rollout ids (default: a column named `rollout` or `rollout_id`).
        public var rolloutColumn: String?
        /// CSV only: a time column. It is checked, then dropped: within a rollout it must increase
        /// strictly, and when ``timeStep`` is set every step between two consecutive finite states
        /// must equal it within a relative 10⁻³ (``timeStepTolerance``). A disagreement is an
        /// error naming the line, never a warning: a wrong Δt scales every rate.
        public var timeColumn: String?
        /// The sampling interval the estimate will use, checked against ``timeColumn``.
        public var timeStep: Double?
        /// Accept a coordinate that is strictly monotone within every rollout (a strongly driven
        /// coordinate, e.g. an unwrapped angle), which is refused by default as a likely time or
        /// step counter. It does not accept a column named like one (choose ``columns`` instead).
        public var allowMonotone: Bool
        /// Workers for the pass that looks for non-finite values in a `.npy` file or a caller's array (0: one per
        /// core); the data read do not depend on it.
        public var threads: Int

        /// Relative tolerance of the time-column check: |t_{k+1} − t_k − Δt| ≤ 10⁻³ Δt. A Δt wrong by
        /// less than that moves a rate (∝ 1/Δt at fixed increments) by < 0.1 %, below any stderr.
        public static let timeStepTolerance = 1e-3

        /// Header names that mark a time or step column (compared case-insensitively).
        public static let timeLikeNames: Set<String> = ["t", "time", "step"]

        public init(columns: [String]? = nil, rolloutColumn: String? = nil, timeColumn: String? = nil,
                    timeStep: Double? = nil, allowMonotone: Bool = false, threads: Int = 0) {
            self.columns = columns
            self.rolloutColumn = rolloutColumn
            self.timeColumn = timeColumn
            self.timeStep = timeStep
            self.allowMonotone = allowMonotone
            self.threads = threads
        }

        /// Whether any CSV column name is given (they need a CSV file with a header).
        public var namesColumns: Bool { columns != nil || rolloutColumn != nil || timeColumn != nil }
    }
}
