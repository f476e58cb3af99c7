import Foundation

extension AttentionWorldModel {
    /// The model saved at `path` in the JSON form of ``AttentionWorldModel/encode(to:)`` (`model.json` of
    /// `paththermo train`: `W`, `keys`, `beta`, `leak`, `learnBeta`, `learnLeak`). Numbers are read as written
    /// (JSON shortest round-trip decimals), so a saved model loads with bit-identical parameters.
    ///
    /// - Throws: ``ModelFileError/unreadable(path:detail:)`` when the file cannot be read;
    ///   ``ModelFileError/corrupt(path:detail:)`` naming the reason (the model's own ``WorldModelError``, a missing
    ///   key, the coding path of a wrong type, or the JSON parser's message).
    public init(contentsOfFile path: String) throws(ModelFileError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, detail: error.localizedDescription)
        }
        do {
            self = try JSONDecoder().decode(AttentionWorldModel.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            let reason = (context.underlyingError as? WorldModelError).map { "\($0)" } ?? context.debugDescription
            throw .corrupt(path: path, detail: reason)
        } catch let DecodingError.keyNotFound(key, _) {
            throw .corrupt(path: path, detail: "missing key \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .corrupt(path: path, detail: "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))")
        } catch {
            throw .corrupt(path: path, detail: "\(error)")
        }
    }
}
