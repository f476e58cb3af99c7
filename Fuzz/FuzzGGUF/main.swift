// libFuzzer target: the GGUF reader (LanguageModel/GGUF) and what `text-ep`, `text-compare` and
// `text-sample-ep` do with an opened file: every tensor's bytes and (small ones) dequantized values, the
// tokenizer from the metadata (`ByteLevelBPETokenizer(file:)`), the model (`LanguageModelLoader.model`)
// and, for a small file, one forward pass. A thrown error is fine; a trap, a sanitizer report, an
// allocation beyond libFuzzer's -malloc_limit_mb or a timeout is a finding.
import FuzzSupport
import LanguageModel

runFuzzer { data, size in testOneInput(data, size) }

/// libFuzzer's callback, also under its conventional C name (which libFuzzer's own `main` references).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(fuzzBytes(data, size))
    return 0
}

func fuzz(_ bytes: [UInt8]) {
    expectingErrors {
        let file = try GGUFFile(bytes: bytes)
        for tensor in file.tensors {
            expectingErrors { try file.withRawBytes(of: tensor) { _ = $0.count } }
            if tensor.byteCount <= 1 << 16 {
                expectingErrors { _ = try file.dequantize(tensor) }
                expectingErrors { _ = try file.dequantizeRows(tensor, rows: 0..<min(1, tensor.rowCount)) }
            }
        }
        expectingErrors {
            let tokenizer = try ByteLevelBPETokenizer(file: file)
            let ids = try tokenizer.encode("Hello, world. 42 times; ünïcode\n")
            _ = try tokenizer.decode(ids)
        }
        expectingErrors {
            let model = try LanguageModelLoader.model(gguf: file)
            guard bytes.count <= 1 << 18 else { return }
            let prefix = model.defaultPrefix
            try model.validate(prefix)
            _ = try model.nextTokenLogits(tokens: prefix)
        }
    }
}
