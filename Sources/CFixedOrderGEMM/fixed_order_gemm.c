/*
 * Fixed-order float32 products (see include/CFixedOrderGEMM.h for the recipe each element follows).
 *
 * Why: an optimized sgemm (OpenBLAS) picks kernels, blockings and thread splits by the shape of the call and
 * by its thread count, so the same dot product can round differently when the batch has another number of rows
 * or OPENBLAS_NUM_THREADS changes — enough to flip a sampled token. Here the arithmetic of an output element is a
 * function of its two input vectors alone: tiles of 4 rows × 3 columns, a row or a column edge, one thread or
 * many, the AVX2+FMA kernel or the portable one all perform the same correctly rounded operations in the same
 * order. FP_CONTRACT is off (pragmas below; -ffp-contract=off in the CMake build for compilers that ignore them):
 * every fused multiply-add is explicit.
 */
#include "CFixedOrderGEMM.h"

#include <math.h>

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)
#endif

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__)) && !defined(FO_PORTABLE_ONLY)
#define FO_X86 1
#include <immintrin.h>
#else
#define FO_X86 0
#endif

/* Columns of W per cache block: about 128 KB of W rows, a multiple of the 3-column tile. */
static ptrdiff_t fo_column_block(ptrdiff_t k) {
    ptrdiff_t b = (32768 / (k > 0 ? k : 1)) / 3 * 3;
    return b < 3 ? 3 : b;
}

static inline void fo_store(float *c, float r, float alpha, int accumulate) {
    float y = alpha * r;
    if (accumulate) {
        float old = *c;
        *c = old + y;
    } else {
        *c = y;
    }
}

/* ---------------------------------------------------------------------------------------------- */
/* Portable kernel                                                                                 */
/* ---------------------------------------------------------------------------------------------- */

static float fo_dot_portable(const float *a, const float *w, ptrdiff_t k) {
    float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    ptrdiff_t k8 = k & ~(ptrdiff_t)7;
    for (ptrdiff_t i = 0; i < k8; i += 8)
        for (int l = 0; l < 8; l++) s[l] = fmaf(a[i + l], w[i + l], s[l]);
    float t0 = s[0] + s[4], t1 = s[1] + s[5], t2 = s[2] + s[6], t3 = s[3] + s[7];
    float u0 = t0 + t2;
    float u1 = t1 + t3;
    float r = u0 + u1;
    for (ptrdiff_t i = k8; i < k; i++) r = fmaf(a[i], w[i], r);
    return r;
}

static void fo_linear_portable(const float *a, ptrdiff_t lda, const float *w, ptrdiff_t ldw, ptrdiff_t rows,
                               ptrdiff_t cols, ptrdiff_t k, float alpha, int accumulate, float *c, ptrdiff_t ldc) {
    for (ptrdiff_t i = 0; i < rows; i++)
        for (ptrdiff_t j = 0; j < cols; j++)
            fo_store(c + i * ldc + j, fo_dot_portable(a + i * lda, w + j * ldw, k), alpha, accumulate);
}

static void fo_weighted_rows_portable(const float *p, ptrdiff_t count, const float *v, ptrdiff_t ldv, ptrdiff_t n,
                                      float *out) {
    for (ptrdiff_t c = 0; c < n; c++) {
        float r = 0;
        for (ptrdiff_t j = 0; j < count; j++) r = fmaf(p[j], v[j * ldv + c], r);
        out[c] = r;
    }
}

/* ---------------------------------------------------------------------------------------------- */
/* AVX2 + FMA kernel: lane l of an accumulator is the partial sum s_l of the recipe                */
/* ---------------------------------------------------------------------------------------------- */

#if FO_X86
#define FO_AVX __attribute__((target("avx2,fma")))

/* r = (t0 + t2) + (t1 + t3), t_l = s_l + s_{l+4}. */
FO_AVX static inline float fo_hsum(__m256 s) {
    __m128 t = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
    __m128 u = _mm_add_ps(t, _mm_movehl_ps(t, t));
    return _mm_cvtss_f32(_mm_add_ss(u, _mm_shuffle_ps(u, u, 1)));
}

FO_AVX static inline float fo_finish(__m256 s, const float *a, const float *w, ptrdiff_t k8, ptrdiff_t k) {
    float r = fo_hsum(s);
    for (ptrdiff_t i = k8; i < k; i++) r = fmaf(a[i], w[i], r);
    return r;
}

/* 4 rows × 3 columns: 12 accumulators, 7 loads per 12 FMAs. */
FO_AVX static void fo_tile4x3(const float *a, ptrdiff_t lda, const float *w, ptrdiff_t ldw, ptrdiff_t k, float alpha,
                              int accumulate, float *c, ptrdiff_t ldc) {
    const float *a0 = a, *a1 = a + lda, *a2 = a + 2 * lda, *a3 = a + 3 * lda;
    const float *w0 = w, *w1 = w + ldw, *w2 = w + 2 * ldw;
    __m256 s00 = _mm256_setzero_ps(), s01 = s00, s02 = s00, s10 = s00, s11 = s00, s12 = s00;
    __m256 s20 = s00, s21 = s00, s22 = s00, s30 = s00, s31 = s00, s32 = s00;
    ptrdiff_t k8 = k & ~(ptrdiff_t)7;
    for (ptrdiff_t i = 0; i < k8; i += 8) {
        __m256 v0 = _mm256_loadu_ps(w0 + i), v1 = _mm256_loadu_ps(w1 + i), v2 = _mm256_loadu_ps(w2 + i);
        __m256 x = _mm256_loadu_ps(a0 + i);
        s00 = _mm256_fmadd_ps(x, v0, s00); s01 = _mm256_fmadd_ps(x, v1, s01); s02 = _mm256_fmadd_ps(x, v2, s02);
        x = _mm256_loadu_ps(a1 + i);
        s10 = _mm256_fmadd_ps(x, v0, s10); s11 = _mm256_fmadd_ps(x, v1, s11); s12 = _mm256_fmadd_ps(x, v2, s12);
        x = _mm256_loadu_ps(a2 + i);
        s20 = _mm256_fmadd_ps(x, v0, s20); s21 = _mm256_fmadd_ps(x, v1, s21); s22 = _mm256_fmadd_ps(x, v2, s22);
        x = _mm256_loadu_ps(a3 + i);
        s30 = _mm256_fmadd_ps(x, v0, s30); s31 = _mm256_fmadd_ps(x, v1, s31); s32 = _mm256_fmadd_ps(x, v2, s32);
    }
    fo_store(c, fo_finish(s00, a0, w0, k8, k), alpha, accumulate);
    fo_store(c + 1, fo_finish(s01, a0, w1, k8, k), alpha, accumulate);
    fo_store(c + 2, fo_finish(s02, a0, w2, k8, k), alpha, accumulate);
    fo_store(c + ldc, fo_finish(s10, a1, w0, k8, k), alpha, accumulate);
    fo_store(c + ldc + 1, fo_finish(s11, a1, w1, k8, k), alpha, accumulate);
    fo_store(c + ldc + 2, fo_finish(s12, a1, w2, k8, k), alpha, accumulate);
    fo_store(c + 2 * ldc, fo_finish(s20, a2, w0, k8, k), alpha, accumulate);
    fo_store(c + 2 * ldc + 1, fo_finish(s21, a2, w1, k8, k), alpha, accumulate);
    fo_store(c + 2 * ldc + 2, fo_finish(s22, a2, w2, k8, k), alpha, accumulate);
    fo_store(c + 3 * ldc, fo_finish(s30, a3, w0, k8, k), alpha, accumulate);
    fo_store(c + 3 * ldc + 1, fo_finish(s31, a3, w1, k8, k), alpha, accumulate);
    fo_store(c + 3 * ldc + 2, fo_finish(s32, a3, w2, k8, k), alpha, accumulate);
}

/* 1 row × 3 columns (row edge, and batches of fewer than 4 rows). */
FO_AVX static void fo_tile1x3(const float *a, const float *w, ptrdiff_t ldw, ptrdiff_t k, float alpha, int accumulate,
                              float *c) {
    const float *w0 = w, *w1 = w + ldw, *w2 = w + 2 * ldw;
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0;
    ptrdiff_t k8 = k & ~(ptrdiff_t)7;
    for (ptrdiff_t i = 0; i < k8; i += 8) {
        __m256 x = _mm256_loadu_ps(a + i);
        s0 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w0 + i), s0);
        s1 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w1 + i), s1);
        s2 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w2 + i), s2);
    }
    fo_store(c, fo_finish(s0, a, w0, k8, k), alpha, accumulate);
    fo_store(c + 1, fo_finish(s1, a, w1, k8, k), alpha, accumulate);
    fo_store(c + 2, fo_finish(s2, a, w2, k8, k), alpha, accumulate);
}

/* One element (column edge). */
FO_AVX static float fo_dot_avx(const float *a, const float *w, ptrdiff_t k) {
    __m256 s = _mm256_setzero_ps();
    ptrdiff_t k8 = k & ~(ptrdiff_t)7;
    for (ptrdiff_t i = 0; i < k8; i += 8) s = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(w + i), s);
    return fo_finish(s, a, w, k8, k);
}

FO_AVX static void fo_linear_avx(const float *a, ptrdiff_t lda, const float *w, ptrdiff_t ldw, ptrdiff_t rows,
                                 ptrdiff_t cols, ptrdiff_t k, float alpha, int accumulate, float *c, ptrdiff_t ldc) {
    ptrdiff_t block = fo_column_block(k);
    for (ptrdiff_t j0 = 0; j0 < cols; j0 += block) {
        ptrdiff_t j1 = j0 + block < cols ? j0 + block : cols;
        ptrdiff_t j3 = j0 + (j1 - j0) / 3 * 3;
        ptrdiff_t i = 0;
        for (; i + 4 <= rows; i += 4) {
            for (ptrdiff_t j = j0; j < j3; j += 3)
                fo_tile4x3(a + i * lda, lda, w + j * ldw, ldw, k, alpha, accumulate, c + i * ldc + j, ldc);
            for (ptrdiff_t r = i; r < i + 4; r++)
                for (ptrdiff_t j = j3; j < j1; j++)
                    fo_store(c + r * ldc + j, fo_dot_avx(a + r * lda, w + j * ldw, k), alpha, accumulate);
        }
        for (; i < rows; i++) {
            for (ptrdiff_t j = j0; j < j3; j += 3) fo_tile1x3(a + i * lda, w + j * ldw, ldw, k, alpha, accumulate, c + i * ldc + j);
            for (ptrdiff_t j = j3; j < j1; j++)
                fo_store(c + i * ldc + j, fo_dot_avx(a + i * lda, w + j * ldw, k), alpha, accumulate);
        }
    }
}

FO_AVX static void fo_weighted_rows_avx(const float *p, ptrdiff_t count, const float *v, ptrdiff_t ldv, ptrdiff_t n,
                                        float *out) {
    ptrdiff_t c = 0;
    for (; c + 32 <= n; c += 32) {
        __m256 r0 = _mm256_setzero_ps(), r1 = r0, r2 = r0, r3 = r0;
        for (ptrdiff_t j = 0; j < count; j++) {
            __m256 pj = _mm256_set1_ps(p[j]);
            const float *row = v + j * ldv + c;
            r0 = _mm256_fmadd_ps(pj, _mm256_loadu_ps(row), r0);
            r1 = _mm256_fmadd_ps(pj, _mm256_loadu_ps(row + 8), r1);
            r2 = _mm256_fmadd_ps(pj, _mm256_loadu_ps(row + 16), r2);
            r3 = _mm256_fmadd_ps(pj, _mm256_loadu_ps(row + 24), r3);
        }
        _mm256_storeu_ps(out + c, r0); _mm256_storeu_ps(out + c + 8, r1);
        _mm256_storeu_ps(out + c + 16, r2); _mm256_storeu_ps(out + c + 24, r3);
    }
    for (; c + 8 <= n; c += 8) {
        __m256 r = _mm256_setzero_ps();
        for (ptrdiff_t j = 0; j < count; j++) r = _mm256_fmadd_ps(_mm256_set1_ps(p[j]), _mm256_loadu_ps(v + j * ldv + c), r);
        _mm256_storeu_ps(out + c, r);
    }
    for (; c < n; c++) {
        float r = 0;
        for (ptrdiff_t j = 0; j < count; j++) r = fmaf(p[j], v[j * ldv + c], r);
        out[c] = r;
    }
}

static int fo_avx2_available(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 1 : 0;
    }
    return cached;
}
#endif

/* ---------------------------------------------------------------------------------------------- */
/* Entry points                                                                                    */
/* ---------------------------------------------------------------------------------------------- */

int fo_uses_avx2(void) {
#if FO_X86
    return fo_avx2_available();
#else
    return 0;
#endif
}

void fo_linear_f32(const float *a, ptrdiff_t lda, const float *w, ptrdiff_t ldw, ptrdiff_t rows, ptrdiff_t cols,
                   ptrdiff_t k, float alpha, int accumulate, float *c, ptrdiff_t ldc) {
    if (rows <= 0 || cols <= 0) return;
#if FO_X86
    if (fo_avx2_available()) {
        fo_linear_avx(a, lda, w, ldw, rows, cols, k, alpha, accumulate, c, ldc);
        return;
    }
#endif
    fo_linear_portable(a, lda, w, ldw, rows, cols, k, alpha, accumulate, c, ldc);
}

void fo_weighted_rows_f32(const float *p, ptrdiff_t count, const float *v, ptrdiff_t ldv, ptrdiff_t n, float *out) {
    if (n <= 0) return;
#if FO_X86
    if (fo_avx2_available()) {
        fo_weighted_rows_avx(p, count, v, ldv, n, out);
        return;
    }
#endif
    fo_weighted_rows_portable(p, count, v, ldv, n, out);
}
