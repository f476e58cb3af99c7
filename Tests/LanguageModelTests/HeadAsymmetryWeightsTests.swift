import Foundation
import Testing
@testable import LanguageModel

/// `QueryKeyProjections` (the tensors of the head-asymmetry analysis) reads exactly the weights the models use:
/// llama's attn_q / attn_k / attn_norm and the first 2d rows of GPT-2's fused attn_qkv, one layer at a time; other
/// architectures and damaged files are one-line errors.
@Suite struct HeadAsymmetryWeightsTests {
    @Test func llamaLayersAreTheModelsWeights() throws {
        let (f, m) = try TinyLlamaFile.tiny()
        let p = try QueryKeyProjections(file: GGUFFile(bytes: f.bytes))
        #expect(p.architecture == "llama" && p.layerCount == 2 && p.embeddingLength == 8)
        #expect(p.headCount == 2 && p.kvHeadCount == 1 && p.headDimension == 4 && !p.hasBiases)
        #expect([0, 1].map(p.kvHead(forQueryHead:)) == [0, 0])
        for n in 0..<2 {
            let l = try p.layer(n), w = m.weights.layers[n]
            #expect(l == QueryKeyProjections.Layer(query: w.query, key: w.key, normGain: w.attentionNorm))
        }
        #expect(languageModelError { try p.layer(2) } == .invalidArgument("layer 2 is out of range 0..<2"))
    }

    @Test func gpt2LayersAreTheFusedRows() throws {
        let file = try GGUFFile(contentsOf: GPT2Fixtures.path("tiny-gpt2.gguf"))
        let p = try QueryKeyProjections(file: file)
        let m = try GPT2Model(gguf: file)
        let d = m.configuration.embeddingLength
        #expect(p.architecture == "gpt2" && p.hasBiases && p.kvHeadCount == p.headCount && p.headCount == m.configuration.headCount)
        for n in 0..<p.layerCount {
            let l = try p.layer(n), w = m.weights.layers[n]
            #expect(l.query == Array(w.qkvWeight[0..<(d * d)]))
            #expect(l.key == Array(w.qkvWeight[(d * d)..<(2 * d * d)]))
            #expect(l.normGain == w.attentionNormWeight)
        }
    }

    @Test func otherArchitecturesAndDamagedFilesAreOneLineErrors() throws {
        var (f, _) = try TinyLlamaFile.tiny()
        f.set("general.architecture", .string("mamba"))
        #expect(languageModelError { try QueryKeyProjections(file: GGUFFile(bytes: f.bytes)) }
            == .unsupported("architecture 'mamba' for head-asymmetry (supported: llama, gpt2)"))
        var (g, _) = try TinyLlamaFile.tiny()
        g.tensors.removeAll { $0.name == "blk.1.attn_k.weight" }
        let e = languageModelError { try QueryKeyProjections(file: GGUFFile(bytes: g.bytes)) }
        #expect(e == .missing("tensor 'blk.1.attn_k.weight'"), "\(String(describing: e))")
        var (h, _) = try TinyLlamaFile.tiny()
        if let i = h.tensors.firstIndex(where: { $0.name == "blk.0.attn_q.weight" }) { h.tensors[i].values[5] = .nan }
        let p = try QueryKeyProjections(file: GGUFFile(bytes: h.bytes))
        #expect(languageModelError { try p.layer(0) } == .malformedFile("tensor 'blk.0.attn_q.weight' holds a non-finite value (nan) at element 5"))
    }
}
