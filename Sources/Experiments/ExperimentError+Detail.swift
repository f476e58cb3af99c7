extension ExperimentError {
    /// The one-line message a person reads: a configuration error's detail alone ("model file … not found: run
    /// scripts/fetch_model.sh to download it"), any other error's description. `paththermo text-ep` prints it and
    /// the C ABI's `pt_model_open` / `pt_model_text_ep` return it.
    public var detail: String {
        if case let .invalidConfiguration(detail) = self { return detail }
        return description
    }
}
