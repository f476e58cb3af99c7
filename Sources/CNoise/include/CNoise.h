/*
 * CNoise: fast counter-based standard normals for PathThermo's Euler–Maruyama engine.
 *
 * Normal n (n = 0, 1, 2, ...) of stream s under seed is a pure function of (seed, s, n):
 *
 *   block b = n / 4, lane n % 4
 *   (x0, x1, x2, x3) = Philox4x32-10(counter = (lo32 b, hi32 b, lo32 s, hi32 s),
 *                                    key = (lo32 seed, hi32 seed))
 *   u(w) = float32 nearest to (w + 0.5) * 2^-32           (in [2^-33, 1])
 *   r1 = sqrt(-2 ln u(x0)), theta1 = 2 pi u(x1);  r2 = sqrt(-2 ln u(x2)), theta2 = 2 pi u(x3)
 *   lanes 0..3 = r1 cos theta1, r1 sin theta1, r2 cos theta2, r2 sin theta2
 *
 * evaluated in float32 (polynomial log and sincos(2 pi u), see noise.c) and returned as double.
 * An AVX-512 kernel (F + DQ, 32 Philox blocks per iteration) or an AVX2+FMA kernel (16 blocks) is chosen at run
 * time when the CPU has them; otherwise a portable C kernel runs. All produce the same bits.
 */
#ifndef PATHTHERMO_CNOISE_H
#define PATHTHERMO_CNOISE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Normals first ..< first + count of (seed, stream) into out[0 ..< count].
/// The caller guarantees first + count <= 2^64 (no wrap-around).
void pt_noise_fill(uint64_t seed, uint64_t stream, uint64_t first, size_t count, double *out);

/// pt_noise_fill with a chosen kernel: -1 the best available (what pt_noise_fill runs), 0 portable, 1 AVX2+FMA,
/// 2 AVX-512 (F + DQ). All give the same bits. Returns -1 (and writes nothing) when the kernel is not available on
/// this CPU or build, else 0.
int pt_noise_fill_kernel(int kernel, uint64_t seed, uint64_t stream, uint64_t first, size_t count, double *out);

/// The same with the portable kernel forced (for tests: must equal pt_noise_fill bitwise).
void pt_noise_fill_portable(uint64_t seed, uint64_t stream, uint64_t first, size_t count, double *out);

/// Euler–Maruyama layout for `streams` consecutive streams: for i < streams, k < steps, j < dimension,
///   out[(k * streams + i) * dimension + j] = normal (first_step + k) * dimension + j of stream first_stream + i
/// (step-major: the noise of one step for all streams is contiguous). The caller guarantees
/// (first_step + steps) * dimension <= 2^64 and first_stream + streams <= 2^64.
void pt_noise_fill_steps(uint64_t seed, uint64_t first_stream, size_t streams, uint64_t first_step,
                         size_t steps, size_t dimension, double *out);

/// The same with the portable kernel forced (for tests: must equal pt_noise_fill_steps bitwise).
void pt_noise_fill_steps_portable(uint64_t seed, uint64_t first_stream, size_t streams, uint64_t first_step,
                                  size_t steps, size_t dimension, double *out);

/// Box–Muller stage alone on raw Philox words: words[4 b ..< 4 b + 4] -> out[4 b ..< 4 b + 4]
/// for b < blocks (the dispatched kernel), and the portable kernel. For tests (edge words).
void pt_noise_transform(const uint32_t *words, size_t blocks, double *out);
void pt_noise_transform_portable(const uint32_t *words, size_t blocks, double *out);

/// The float32 uniform u(w) of the scheme (for tests).
float pt_noise_uniform(uint32_t w);

/// Fused Euler-Maruyama steps first_step ..< first_step + steps of the 2-D linear drift for `streams`
/// consecutive streams (rollouts first_stream + i, states x[2 i], x[2 i + 1], updated in place):
///   f = (b[0] x0 + b[1] x1, b[2] x0 + b[3] x1),  x <- (x + dt f) + amplitude xi_k
/// with xi_k = normals 2k, 2k + 1 of the stream (the layout of pt_noise_fill_steps with dimension 2),
/// every operation a separately rounded double (no FMA). The noise never leaves registers.
/// Returns 0, or 1 when a state became non-finite: then *bad_step is the first such step and
/// *bad_stream the lowest stream index (relative to first_stream) non-finite at that step, and the
/// states in x are unspecified. The caller guarantees 2 (first_step + steps) <= 2^64.
int pt_em_linear2(uint64_t seed, uint64_t first_stream, size_t streams, uint64_t first_step, size_t steps,
                  const double b[4], double dt, double amplitude, double *x, uint64_t *bad_step, size_t *bad_stream);

/// The same with the portable kernel forced (for tests: must equal pt_em_linear2 bitwise).
int pt_em_linear2_portable(uint64_t seed, uint64_t first_stream, size_t streams, uint64_t first_step, size_t steps,
                           const double b[4], double dt, double amplitude, double *x,
                           uint64_t *bad_step, size_t *bad_stream);

/// pt_em_linear2 with a chosen kernel: -1 the best available (what pt_em_linear2 runs), 0 portable,
/// 1 AVX2+FMA, 2 AVX-512 (F + DQ; 32 streams per lane group). All give the same bits. Returns -1
/// (and does nothing) when the kernel is not available on this CPU or build.
int pt_em_linear2_kernel(int kernel, uint64_t seed, uint64_t first_stream, size_t streams, uint64_t first_step,
                         size_t steps, const double b[4], double dt, double amplitude, double *x,
                         uint64_t *bad_step, size_t *bad_stream);

/// 1 when this CPU runs the AVX-512 fused kernel of pt_em_linear2 (AVX2, FMA, AVX-512F and DQ).
int pt_noise_uses_avx512(void);

/// 1 when the AVX2+FMA kernel is in use, 0 for the portable kernel.
int pt_noise_uses_avx2(void);

#ifdef __cplusplus
}
#endif

#endif
