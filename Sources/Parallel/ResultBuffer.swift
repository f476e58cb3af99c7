/// A fixed-size buffer that concurrent workers fill at **disjoint** indices (owning its storage).
///
/// Each index must be written by one worker only; reading ``values`` after the parallel loop has returned sees
/// every write. Results are placed by index, so they do not depend on which worker wrote them.
public final class ResultBuffer<Element>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<Element>

    /// `count` elements, each `fill`.
    public init(count: Int, fill: Element) {
        storage = .allocate(capacity: max(0, count))
        storage.initialize(repeating: fill)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    /// The number of elements.
    public var count: Int { storage.count }

    /// Element `i` (each index written by one worker only).
    public subscript(i: Int) -> Element {
        get { storage[i] }
        set { storage[i] = newValue }
    }

    /// A copy of the contents.
    public var values: [Element] { Array(storage) }
}
