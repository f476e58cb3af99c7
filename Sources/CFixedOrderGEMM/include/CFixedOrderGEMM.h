#ifndef CFIXEDORDERGEMM_H
#define CFIXEDORDERGEMM_H

/*
 * Fixed-order float32 products: every output element is computed by one arithmetic recipe that depends on its
 * own inputs only, never on how many rows or columns the call has, which tile computes it, the thread that runs
 * it, or the CPU path (AVX2+FMA kernel or portable kernel, same bits).
 *
 * Dot product of length k (fo_dot):
 *   8 partial sums s_l = fma chain over i = l, l + 8, l + 16, … < k8 (k8 = k rounded down to a multiple of 8),
 *   ascending, each starting at +0;
 *   t_l = s_l + s_{l+4} (l < 4);  r = (t_0 + t_2) + (t_1 + t_3);
 *   then r = fma(a_i, w_i, r) for the tail i = k8 … k − 1, ascending.
 * Weighted sum (fo_weighted_rows): out_c = fma chain over j ascending of p_j · v_{j,c}, starting at +0.
 *
 * Only correctly rounded IEEE-754 float32 operations (+, ×, fma) in a fixed order, nothing contracted by the
 * compiler: the results are reproducible bit for bit.
 */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* C[i·ldc + j] = alpha · dot(A row i, W row j) for i < rows, j < cols (accumulate ≠ 0: C[i·ldc + j] += that
 * product, rounded once before the addition). A row i starts at a + i·lda, W row j at w + j·ldw; both hold k
 * values. Single-threaded; callers split rows/columns over threads. */
void fo_linear_f32(const float *a, ptrdiff_t lda, const float *w, ptrdiff_t ldw, ptrdiff_t rows, ptrdiff_t cols,
                   ptrdiff_t k, float alpha, int accumulate, float *c, ptrdiff_t ldc);

/* out[c] = Σ_j p[j] · v[j·ldv + c] for c < n, j < count ascending (a fresh fma chain from +0 per element). */
void fo_weighted_rows_f32(const float *p, ptrdiff_t count, const float *v, ptrdiff_t ldv, ptrdiff_t n, float *out);

/* 1 when the AVX2+FMA kernel runs, 0 for the portable one (same bits either way). */
int fo_uses_avx2(void);

#ifdef __cplusplus
}
#endif

#endif
