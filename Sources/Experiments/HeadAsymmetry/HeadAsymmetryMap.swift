/// One convention's per-head indices of a model, each a `layers × heads` array (row ℓ = layer ℓ, column h = query
/// head h), with their summaries: what `paththermo head-asymmetry` reports (docs/head-asymmetry.md).
public struct HeadAsymmetryMap: Sendable, Equatable, Encodable {
    /// A = ‖W_A‖_F / ‖W‖_F (paper Eq. 30, also the non-normality N of Eq. 29 of the linear map W).
    public var asymmetry: [[Double]]
    /// Henrici's departure from normality dep(W).
    public var henrici: [[Double]]
    /// dep(W) / ‖W‖_F.
    public var henriciRelative: [[Double]]
    /// ‖W Wᵀ − Wᵀ W‖_F / ‖W‖²_F.
    public var commutator: [[Double]]
    /// ‖W‖_F (without the 1/√d_head of the score).
    public var frobeniusNorm: [[Double]]
    /// Summaries of ``asymmetry``, ``henriciRelative`` and ``commutator``.
    public var summary: [String: HeadAsymmetrySummary]

    enum CodingKeys: String, CodingKey {
        case asymmetry, henrici, henriciRelative = "henrici_relative", commutator, frobeniusNorm = "frobenius_norm", summary
    }

    /// The map of `forms[ℓ][h]`, with its summaries.
    public init(_ forms: [[QueryKeyForm]]) {
        asymmetry = forms.map { $0.map(\.asymmetry) }
        henrici = forms.map { $0.map(\.henrici) }
        henriciRelative = forms.map { $0.map(\.henriciRelative) }
        commutator = forms.map { $0.map(\.commutator) }
        frobeniusNorm = forms.map { $0.map(\.frobeniusNorm) }
        summary = ["asymmetry": HeadAsymmetrySummary(asymmetry),
                   "henrici_relative": HeadAsymmetrySummary(henriciRelative),
                   "commutator": HeadAsymmetrySummary(commutator)]
    }
}
