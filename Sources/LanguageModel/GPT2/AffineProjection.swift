/// GPT-2's biased projection over `rows` rows: out = input · Wᵀ + b (accumulate: out += input · Wᵀ + b), W
/// row-major `[outputs × inputs]`. The bias is written (or added) first, then one accumulating fixed-order product
/// (`RowMajorMatrixProduct`), so an output element has the same bits in the whole pass and in the KV-cached
/// decoder, whatever the number of rows.
enum AffineProjection {
    static func apply(_ input: UnsafePointer<Float>, rows: Int, weight w: [Float], bias b: [Float], inputs: Int,
                      outputs: Int, into out: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        b.withUnsafeBufferPointer { bb in
            for r in 0..<rows {
                let row = out + r * outputs
                if accumulate { for j in 0..<outputs { row[j] += bb[j] } } else { row.update(from: bb.baseAddress!, count: outputs) }
            }
        }
        w.withUnsafeBufferPointer { wb in
            RowMajorMatrixProduct.linear(input, rows: rows, inputs: inputs, weight: wb.baseAddress!, outputs: outputs,
                                         into: out, accumulate: true)
        }
    }
}
