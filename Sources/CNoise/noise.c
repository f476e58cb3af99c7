/*
 * CNoise kernels: Philox4x32-10 + float32 Box–Muller, an AVX2+FMA kernel and a portable one that
 * produce the same bits (see include/CNoise.h for the scheme).
 *
 * Bitwise agreement of the two kernels rests on three rules:
 *  - only IEEE-754 correctly rounded float32 operations (+ - * sqrt, fma, round-to-nearest-even
 *    rint, exact int <-> float conversions), in the same order in both kernels;
 *  - every fused multiply-add is explicit (_mm256_fmadd_ps in the AVX2 kernel, fmaf in the portable
 *    one) and nothing else is contracted: FP_CONTRACT is off for this file (the pragmas below, and
 *    -ffp-contract=off in the CMake build for compilers that ignore them);
 *  - log and sincos are our own polynomials, never the C library's.
 *
 * Float32 math (per pair of uniforms u1, u2):
 *  - u(w) = round_f32(w + 0.5) * 2^-32, computed exactly as (f32(w >> 16) * 2^16 + (f32(w & 0xffff) + 0.5))
 *    * 2^-32: both addends are exact floats, so the sum is the correctly rounded w + 0.5.
 *    u in [2^-33, 1] (1 when w + 0.5 rounds up to 2^32), so |z| <= sqrt(2 ln 2^33) ~ 6.76.
 *  - ln u: u = m 2^e with m in [sqrt(1/2), sqrt 2), x = m - 1 (exact), ln u = x - x^2/2 + x^3 P(x)
 *    + e ln 2 (Cephes logf: degree-8 P, ln 2 split in 0.693359375 - 2.12194440e-4), ~1 ulp.
 *  - (cos 2 pi u, sin 2 pi u): t = 4u, q = rint(t), y = t - q in [-1/2, 1/2] (both exact),
 *    sin(pi y / 2) and cos(pi y / 2) by their Taylor polynomials to y^9 and y^10 (truncation below
 *    2e-9), then the quadrant q mod 4 swaps and negates.
 *  Each normal is within 2e-6 absolute of the double-precision libm formula on the same uniforms
 *  (tested), far below the O(dt) weak error of Euler–Maruyama.
 */
#include "CNoise.h"

#include <math.h>
#include <string.h>

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)
#endif /* GCC ignores the standard pragma: the CMake build passes -ffp-contract=off instead. */

/* PT_NOISE_PORTABLE_ONLY builds the portable kernel alone (what non-x86 targets get). */
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__)) && !defined(PT_NOISE_PORTABLE_ONLY)
#define PT_NOISE_X86 1
#include <immintrin.h>
#else
#define PT_NOISE_X86 0
#endif

/* Philox4x32-10 constants (Random123). */
#define PT_M0 0xD2511F53u
#define PT_M1 0xCD9E8D57u
#define PT_W0 0x9E3779B9u
#define PT_W1 0xBB67AE85u

/* Cephes logf polynomial. */
#define PT_LP0 7.0376836292E-2f
#define PT_LP1 -1.1514610310E-1f
#define PT_LP2 1.1676998740E-1f
#define PT_LP3 -1.2420140846E-1f
#define PT_LP4 1.4249322787E-1f
#define PT_LP5 -1.6668057665E-1f
#define PT_LP6 2.0000714765E-1f
#define PT_LP7 -2.4999993993E-1f
#define PT_LP8 3.3333331174E-1f
#define PT_LN2_HI 0.693359375f
#define PT_LN2_LO -2.12194440e-4f
#define PT_SQRTHF 0.707106781186547524f

/* Taylor coefficients of sin(pi y / 2) (odd) and cos(pi y / 2) (even). */
#define PT_S1 1.570796327e+00f
#define PT_S3 -6.459640975e-01f
#define PT_S5 7.969262625e-02f
#define PT_S7 -4.681754135e-03f
#define PT_S9 1.604411848e-04f
#define PT_C2 -1.233700550e+00f
#define PT_C4 2.536695079e-01f
#define PT_C6 -2.086348076e-02f
#define PT_C8 9.192602748e-04f
#define PT_C10 -2.520204237e-05f

#define PT_GROUP 32 /* normals per kernel iteration: 8 Philox blocks */

/* ------------------------------------------------------------------------------------------- */
/* Portable kernel                                                                               */
/* ------------------------------------------------------------------------------------------- */

static inline float pt_bits_to_float(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }
static inline uint32_t pt_float_to_bits(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }

float pt_noise_uniform(uint32_t w) {
    float hi = (float)(int32_t)(w >> 16) * 65536.0f;
    float lo = (float)(int32_t)(w & 0xFFFFu) + 0.5f;
    return (hi + lo) * 0x1p-32f;
}

static inline void pt_philox_scalar(uint32_t c[4], uint32_t k0, uint32_t k1) {
    for (int r = 0; r < 10; r++) {
        if (r > 0) { k0 += PT_W0; k1 += PT_W1; }
        uint64_t p0 = (uint64_t)c[0] * PT_M0;
        uint64_t p1 = (uint64_t)c[2] * PT_M1;
        uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
        uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
        uint32_t n0 = hi1 ^ c[1] ^ k0, n2 = hi0 ^ c[3] ^ k1;
        c[0] = n0; c[1] = lo1; c[2] = n2; c[3] = lo0;
    }
}

/* sqrt(-2 ln u) for u in [2^-33, 1]. */
static inline float pt_radius_scalar(float u) {
    uint32_t bits = pt_float_to_bits(u);
    int32_t e = (int32_t)(bits >> 23) - 126;
    float m = pt_bits_to_float((bits & 0x007FFFFFu) | 0x3F000000u); /* [0.5, 1) */
    int small = m < PT_SQRTHF;
    e -= small;
    float x = (small ? m + m : m) - 1.0f;
    float z = x * x;
    float p = PT_LP0;
    p = fmaf(p, x, PT_LP1); p = fmaf(p, x, PT_LP2); p = fmaf(p, x, PT_LP3); p = fmaf(p, x, PT_LP4);
    p = fmaf(p, x, PT_LP5); p = fmaf(p, x, PT_LP6); p = fmaf(p, x, PT_LP7); p = fmaf(p, x, PT_LP8);
    float fe = (float)e;
    float y = (x * z) * p;
    y = fmaf(fe, PT_LN2_LO, y);
    y = fmaf(z, -0.5f, y);
    float l = x + y;
    l = fmaf(fe, PT_LN2_HI, l);
    float t = l * -2.0f;
    t = t > 0.0f ? t : 0.0f;
    return sqrtf(t);
}

/* (cos 2 pi u, sin 2 pi u) for u in [0, 1]. */
static inline void pt_sincos2pi_scalar(float u, float *c, float *s) {
    float t = u * 4.0f;
    float q = rintf(t);
    float y = t - q;
    float y2 = y * y;
    float sp = PT_S9;
    sp = fmaf(sp, y2, PT_S7); sp = fmaf(sp, y2, PT_S5); sp = fmaf(sp, y2, PT_S3); sp = fmaf(sp, y2, PT_S1);
    float sn = sp * y;
    float cp = PT_C10;
    cp = fmaf(cp, y2, PT_C8); cp = fmaf(cp, y2, PT_C6); cp = fmaf(cp, y2, PT_C4); cp = fmaf(cp, y2, PT_C2);
    float cs = fmaf(cp, y2, 1.0f);
    uint32_t qi = (uint32_t)(int32_t)q;
    float cv = (qi & 1u) ? sn : cs;
    float sv = (qi & 1u) ? cs : sn;
    uint32_t csign = ((qi + 1u) & 2u) << 30, ssign = (qi & 2u) << 30;
    *c = pt_bits_to_float(pt_float_to_bits(cv) ^ csign);
    *s = pt_bits_to_float(pt_float_to_bits(sv) ^ ssign);
}

static inline void pt_transform_scalar(const uint32_t w[4], double out[4]) {
    for (int h = 0; h < 2; h++) {
        float r = pt_radius_scalar(pt_noise_uniform(w[2 * h]));
        float c, s;
        pt_sincos2pi_scalar(pt_noise_uniform(w[2 * h + 1]), &c, &s);
        out[2 * h] = (double)(r * c);
        out[2 * h + 1] = (double)(r * s);
    }
}

/* Normals 4 block ..< 4 block + 32 of (key, stream). */
static void pt_group_portable(uint32_t k0, uint32_t k1, uint32_t s0, uint32_t s1, uint64_t block, double *out) {
    for (int l = 0; l < 8; l++) {
        uint64_t b = block + (uint64_t)l;
        uint32_t c[4] = {(uint32_t)b, (uint32_t)(b >> 32), s0, s1};
        pt_philox_scalar(c, k0, k1);
        pt_transform_scalar(c, out + 4 * l);
    }
}

void pt_noise_transform_portable(const uint32_t *words, size_t blocks, double *out) {
    for (size_t b = 0; b < blocks; b++) pt_transform_scalar(words + 4 * b, out + 4 * b);
}

/* The fill loop around a group kernel: whole groups straight into out, partial ones via a buffer. */
#define PT_DEFINE_FILL(name, group, size, attributes)                                                   \
    attributes static void name(uint64_t seed, uint64_t stream, uint64_t first, size_t count,       \
                                double *out) {                                                      \
        uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);                                  \
        uint32_t s0 = (uint32_t)stream, s1 = (uint32_t)(stream >> 32);                              \
        uint64_t n = first;                                                                         \
        size_t done = 0;                                                                            \
        while (done < count) {                                                                      \
            uint64_t b = n >> 2;                                                                    \
            size_t off = (size_t)(n & 3u);                                                          \
            if (off == 0 && count - done >= (size)) {                                             \
                group(k0, k1, s0, s1, b, out + done);                                               \
                n += (size); done += (size);                                                    \
            } else {                                                                                \
                double tmp[size];                                                                    \
                group(k0, k1, s0, s1, b, tmp);                                                      \
                size_t take = (size) - off;                                                       \
                if (take > count - done) take = count - done;                                       \
                memcpy(out + done, tmp + off, take * sizeof(double));                               \
                n += take; done += take;                                                            \
            }                                                                                       \
        }                                                                                           \
    }

PT_DEFINE_FILL(pt_fill_portable_impl, pt_group_portable, PT_GROUP, )

/* ------------------------------------------------------------------------------------------- */
/* AVX2 + FMA kernel                                                                             */
/* ------------------------------------------------------------------------------------------- */
#if PT_NOISE_X86
#define PT_AVX2 __attribute__((target("avx2,fma")))

/* 8 lanes of 32 x 32 -> 64-bit products: hi and lo halves. */
PT_AVX2 static inline void pt_mulhilo8(__m256i a, __m256i m, __m256i *hi, __m256i *lo) {
    __m256i pe = _mm256_mul_epu32(a, m);
    __m256i po = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
    *lo = _mm256_blend_epi32(pe, _mm256_slli_epi64(po, 32), 0xAA);
    *hi = _mm256_blend_epi32(_mm256_srli_epi64(pe, 32), po, 0xAA);
}

PT_AVX2 static inline __m256 pt_uniform8(__m256i w) {
    __m256 hi = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(w, 16)), _mm256_set1_ps(65536.0f));
    __m256 lo = _mm256_add_ps(_mm256_cvtepi32_ps(_mm256_and_si256(w, _mm256_set1_epi32(0xFFFF))),
                              _mm256_set1_ps(0.5f));
    return _mm256_mul_ps(_mm256_add_ps(hi, lo), _mm256_set1_ps(0x1p-32f));
}

PT_AVX2 static inline __m256 pt_radius8(__m256 u) {
    __m256i bits = _mm256_castps_si256(u);
    __m256i e = _mm256_sub_epi32(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(126));
    __m256 m = _mm256_castsi256_ps(_mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi32(0x007FFFFF)),
                                                   _mm256_set1_epi32(0x3F000000)));
    __m256 small = _mm256_cmp_ps(m, _mm256_set1_ps(PT_SQRTHF), _CMP_LT_OQ);
    e = _mm256_add_epi32(e, _mm256_castps_si256(small)); /* mask is -1 where small */
    __m256 x = _mm256_sub_ps(_mm256_blendv_ps(m, _mm256_add_ps(m, m), small), _mm256_set1_ps(1.0f));
    __m256 z = _mm256_mul_ps(x, x);
    __m256 p = _mm256_set1_ps(PT_LP0);
    p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(PT_LP1));
    p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(PT_LP2));
    p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(PT_LP3));
    p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(PT_LP4));
    p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(PT_LP5));
    p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(PT_LP6));
    p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(PT_LP7));
    p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(PT_LP8));
    __m256 fe = _mm256_cvtepi32_ps(e);
    __m256 y = _mm256_mul_ps(_mm256_mul_ps(x, z), p);
    y = _mm256_fmadd_ps(fe, _mm256_set1_ps(PT_LN2_LO), y);
    y = _mm256_fmadd_ps(z, _mm256_set1_ps(-0.5f), y);
    __m256 l = _mm256_add_ps(x, y);
    l = _mm256_fmadd_ps(fe, _mm256_set1_ps(PT_LN2_HI), l);
    __m256 t = _mm256_mul_ps(l, _mm256_set1_ps(-2.0f));
    /* t > 0 ? t : 0, as in the scalar kernel (max_ps(t, 0) returns the second operand on equality/NaN). */
    t = _mm256_and_ps(t, _mm256_cmp_ps(t, _mm256_setzero_ps(), _CMP_GT_OQ));
    return _mm256_sqrt_ps(t);
}

PT_AVX2 static inline void pt_sincos2pi8(__m256 u, __m256 *c, __m256 *s) {
    __m256 t = _mm256_mul_ps(u, _mm256_set1_ps(4.0f));
    __m256 q = _mm256_round_ps(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 y = _mm256_sub_ps(t, q);
    __m256 y2 = _mm256_mul_ps(y, y);
    __m256 sp = _mm256_set1_ps(PT_S9);
    sp = _mm256_fmadd_ps(sp, y2, _mm256_set1_ps(PT_S7));
    sp = _mm256_fmadd_ps(sp, y2, _mm256_set1_ps(PT_S5));
    sp = _mm256_fmadd_ps(sp, y2, _mm256_set1_ps(PT_S3));
    sp = _mm256_fmadd_ps(sp, y2, _mm256_set1_ps(PT_S1));
    __m256 sn = _mm256_mul_ps(sp, y);
    __m256 cp = _mm256_set1_ps(PT_C10);
    cp = _mm256_fmadd_ps(cp, y2, _mm256_set1_ps(PT_C8));
    cp = _mm256_fmadd_ps(cp, y2, _mm256_set1_ps(PT_C6));
    cp = _mm256_fmadd_ps(cp, y2, _mm256_set1_ps(PT_C4));
    cp = _mm256_fmadd_ps(cp, y2, _mm256_set1_ps(PT_C2));
    __m256 cs = _mm256_fmadd_ps(cp, y2, _mm256_set1_ps(1.0f));
    __m256i qi = _mm256_cvtps_epi32(q); /* exact: q is an integer in [0, 4] */
    __m256 odd = _mm256_castsi256_ps(
        _mm256_cmpeq_epi32(_mm256_and_si256(qi, _mm256_set1_epi32(1)), _mm256_set1_epi32(1)));
    __m256 cv = _mm256_blendv_ps(cs, sn, odd);
    __m256 sv = _mm256_blendv_ps(sn, cs, odd);
    __m256i two = _mm256_set1_epi32(2);
    __m256i csign = _mm256_slli_epi32(_mm256_and_si256(_mm256_add_epi32(qi, _mm256_set1_epi32(1)), two), 30);
    __m256i ssign = _mm256_slli_epi32(_mm256_and_si256(qi, two), 30);
    *c = _mm256_xor_ps(cv, _mm256_castsi256_ps(csign));
    *s = _mm256_xor_ps(sv, _mm256_castsi256_ps(ssign));
}

/* Box–Muller on 8 blocks (SoA words x0..x3): the 4 normals of each lane, SoA (n[q] = lane q of every block). */
PT_AVX2 static inline void pt_bm8(__m256i x0, __m256i x1, __m256i x2, __m256i x3, __m256 n[4]) {
    __m256 r1 = pt_radius8(pt_uniform8(x0)), r2 = pt_radius8(pt_uniform8(x2));
    __m256 c1, s1, c2, s2;
    pt_sincos2pi8(pt_uniform8(x1), &c1, &s1);
    pt_sincos2pi8(pt_uniform8(x3), &c2, &s2);
    n[0] = _mm256_mul_ps(r1, c1); n[1] = _mm256_mul_ps(r1, s1);
    n[2] = _mm256_mul_ps(r2, c2); n[3] = _mm256_mul_ps(r2, s2);
}

/* 8 blocks' normals (SoA) written as 32 doubles in block order (a 4 x 8 transpose). */
PT_AVX2 static inline void pt_store_blocks8(const __m256 n[4], double *out) {
    __m256 t0 = _mm256_unpacklo_ps(n[0], n[1]), t1 = _mm256_unpackhi_ps(n[0], n[1]);
    __m256 t2 = _mm256_unpacklo_ps(n[2], n[3]), t3 = _mm256_unpackhi_ps(n[2], n[3]);
    __m256 v0 = _mm256_shuffle_ps(t0, t2, 0x44), v1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 v2 = _mm256_shuffle_ps(t1, t3, 0x44), v3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    _mm256_storeu_pd(out + 0, _mm256_cvtps_pd(_mm256_castps256_ps128(v0)));
    _mm256_storeu_pd(out + 4, _mm256_cvtps_pd(_mm256_castps256_ps128(v1)));
    _mm256_storeu_pd(out + 8, _mm256_cvtps_pd(_mm256_castps256_ps128(v2)));
    _mm256_storeu_pd(out + 12, _mm256_cvtps_pd(_mm256_castps256_ps128(v3)));
    _mm256_storeu_pd(out + 16, _mm256_cvtps_pd(_mm256_extractf128_ps(v0, 1)));
    _mm256_storeu_pd(out + 20, _mm256_cvtps_pd(_mm256_extractf128_ps(v1, 1)));
    _mm256_storeu_pd(out + 24, _mm256_cvtps_pd(_mm256_extractf128_ps(v2, 1)));
    _mm256_storeu_pd(out + 28, _mm256_cvtps_pd(_mm256_extractf128_ps(v3, 1)));
}

PT_AVX2 static inline void pt_transform8(__m256i x0, __m256i x1, __m256i x2, __m256i x3, double *out) {
    __m256 n[4];
    pt_bm8(x0, x1, x2, x3, n);
    pt_store_blocks8(n, out);
}

/* One Philox round on two independent sets of 8 counters (interleaved for instruction-level parallelism). */
#define PT_PHILOX_ROUND2(a, b, key0, key1)                                                        \
    do {                                                                                            \
        __m256i ah0, al0, ah1, al1, bh0, bl0, bh1, bl1;                                             \
        pt_mulhilo8(a[0], m0, &ah0, &al0); pt_mulhilo8(b[0], m0, &bh0, &bl0);                       \
        pt_mulhilo8(a[2], m1, &ah1, &al1); pt_mulhilo8(b[2], m1, &bh1, &bl1);                       \
        a[0] = _mm256_xor_si256(_mm256_xor_si256(ah1, a[1]), key0);                                 \
        b[0] = _mm256_xor_si256(_mm256_xor_si256(bh1, b[1]), key0);                                 \
        a[2] = _mm256_xor_si256(_mm256_xor_si256(ah0, a[3]), key1);                                 \
        b[2] = _mm256_xor_si256(_mm256_xor_si256(bh0, b[3]), key1);                                 \
        a[1] = al1; b[1] = bl1; a[3] = al0; b[3] = bl0;                                             \
    } while (0)

/* Philox4x32-10 on 2 x 8 counters (SoA: a[j], b[j] = word j of 8 blocks). */
PT_AVX2 static inline void pt_philox8x2(__m256i a[4], __m256i b[4], uint32_t k0, uint32_t k1) {
    const __m256i m0 = _mm256_set1_epi32((int)PT_M0), m1 = _mm256_set1_epi32((int)PT_M1);
    const __m256i w0 = _mm256_set1_epi32((int)PT_W0), w1 = _mm256_set1_epi32((int)PT_W1);
    __m256i key0 = _mm256_set1_epi32((int)k0), key1 = _mm256_set1_epi32((int)k1);
    PT_PHILOX_ROUND2(a, b, key0, key1);
    for (int r = 1; r < 10; r++) {
        key0 = _mm256_add_epi32(key0, w0); key1 = _mm256_add_epi32(key1, w1);
        PT_PHILOX_ROUND2(a, b, key0, key1);
    }
}

/* Low and high words of block + l for l < 8 (with the carry into the high word where it occurs). */
PT_AVX2 static inline void pt_block_counters8(uint64_t block, __m256i *lo, __m256i *hi) {
    uint32_t l0 = (uint32_t)block, h0 = (uint32_t)(block >> 32);
    if (l0 <= 0xFFFFFFF8u) {
        *lo = _mm256_add_epi32(_mm256_set1_epi32((int)l0), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        *hi = _mm256_set1_epi32((int)h0);
    } else {
        uint32_t c0[8], c1[8];
        for (int l = 0; l < 8; l++) {
            uint64_t b = block + (uint64_t)l;
            c0[l] = (uint32_t)b; c1[l] = (uint32_t)(b >> 32);
        }
        *lo = _mm256_loadu_si256((const __m256i *)c0);
        *hi = _mm256_loadu_si256((const __m256i *)c1);
    }
}

#define PT_GROUP_AVX2 64 /* normals per AVX2 iteration: 16 Philox blocks */

/* Normals 4 block ..< 4 block + 64 of (key, stream): blocks block ..< block + 16. */
PT_AVX2 static inline void pt_group_avx2(uint32_t k0, uint32_t k1, uint32_t s0, uint32_t s1, uint64_t block,
                                         double *out) {
    __m256i a[4], b[4];
    pt_block_counters8(block, &a[0], &a[1]);
    pt_block_counters8(block + 8, &b[0], &b[1]);
    a[2] = b[2] = _mm256_set1_epi32((int)s0);
    a[3] = b[3] = _mm256_set1_epi32((int)s1);
    pt_philox8x2(a, b, k0, k1);
    pt_transform8(a[0], a[1], a[2], a[3], out);
    pt_transform8(b[0], b[1], b[2], b[3], out + 32);
}

PT_DEFINE_FILL(pt_fill_avx2_impl, pt_group_avx2, PT_GROUP_AVX2, PT_AVX2)

/*
 * Step-major fill with streams in lanes: for a block index b, 16 consecutive streams at once (two sets
 * of 8 lanes); lane l's 4 normals 4b ..< 4b + 4 belong to stream first_stream + i0 + l. Each normal
 * n = (k, j) = (n / d, n % d) goes to out[(k - first_step) * streams * d + i * d + j]. For d = 2 and
 * a full set of 16 streams the stores are whole vectors (block b = steps 2b and 2b + 1).
 */
PT_AVX2 static void pt_fill_steps_avx2(uint64_t seed, uint64_t first_stream, size_t streams, uint64_t first_step,
                                       size_t steps, size_t d, double *out) {
    const uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    const uint64_t first = first_step * (uint64_t)d;                 /* first normal index */
    const uint64_t last = first + (uint64_t)(steps * d - 1);          /* last normal index (no overflow) */
    const size_t row = streams * d;
    for (size_t i0 = 0; i0 < streams; i0 += 16) {
        const size_t lanes = streams - i0 < 16 ? streams - i0 : 16;
        uint32_t slo[16], shi[16];
        for (int l = 0; l < 16; l++) {
            uint64_t s = first_stream + (uint64_t)i0 + (uint64_t)l;  /* lanes past `streams` are computed, not stored */
            slo[l] = (uint32_t)s; shi[l] = (uint32_t)(s >> 32);
        }
        const __m256i sa2 = _mm256_loadu_si256((const __m256i *)slo), sb2 = _mm256_loadu_si256((const __m256i *)(slo + 8));
        const __m256i sa3 = _mm256_loadu_si256((const __m256i *)shi), sb3 = _mm256_loadu_si256((const __m256i *)(shi + 8));
        double *base = out + i0 * d;
        for (uint64_t blk = first >> 2; blk <= last >> 2; blk++) {
            __m256i a[4], b[4];
            a[0] = b[0] = _mm256_set1_epi32((int)(uint32_t)blk);
            a[1] = b[1] = _mm256_set1_epi32((int)(uint32_t)(blk >> 32));
            a[2] = sa2; b[2] = sb2; a[3] = sa3; b[3] = sb3;
            pt_philox8x2(a, b, k0, k1);
            __m256 na[4], nb[4];
            pt_bm8(a[0], a[1], a[2], a[3], na);
            pt_bm8(b[0], b[1], b[2], b[3], nb);
            const uint64_t n0 = blk << 2;
            if (d == 2 && lanes == 16) {
                for (int h = 0; h < 2; h++) { /* h = 0: normals n0, n0 + 1 (step n0 / 2); h = 1: the next step */
                    uint64_t n = n0 + 2u * (uint64_t)h;
                    if (n < first || n > last) continue;
                    double *dst = base + (size_t)((n - first) >> 1) * row;
                    __m256 lo = _mm256_unpacklo_ps(na[2 * h], na[2 * h + 1]), hi = _mm256_unpackhi_ps(na[2 * h], na[2 * h + 1]);
                    _mm256_storeu_pd(dst + 0, _mm256_cvtps_pd(_mm256_castps256_ps128(lo)));
                    _mm256_storeu_pd(dst + 4, _mm256_cvtps_pd(_mm256_castps256_ps128(hi)));
                    _mm256_storeu_pd(dst + 8, _mm256_cvtps_pd(_mm256_extractf128_ps(lo, 1)));
                    _mm256_storeu_pd(dst + 12, _mm256_cvtps_pd(_mm256_extractf128_ps(hi, 1)));
                    lo = _mm256_unpacklo_ps(nb[2 * h], nb[2 * h + 1]); hi = _mm256_unpackhi_ps(nb[2 * h], nb[2 * h + 1]);
                    _mm256_storeu_pd(dst + 16, _mm256_cvtps_pd(_mm256_castps256_ps128(lo)));
                    _mm256_storeu_pd(dst + 20, _mm256_cvtps_pd(_mm256_castps256_ps128(hi)));
                    _mm256_storeu_pd(dst + 24, _mm256_cvtps_pd(_mm256_extractf128_ps(lo, 1)));
                    _mm256_storeu_pd(dst + 28, _mm256_cvtps_pd(_mm256_extractf128_ps(hi, 1)));
                }
            } else {
                float t[4][16];
                for (int q = 0; q < 4; q++) { _mm256_storeu_ps(t[q], na[q]); _mm256_storeu_ps(t[q] + 8, nb[q]); }
                for (int q = 0; q < 4; q++) {
                    uint64_t n = n0 + (uint64_t)q;
                    if (n < first || n > last) continue;
                    uint64_t rel = n - first;
                    double *dst = base + (size_t)(rel / d) * row + (size_t)(rel % d);
                    for (size_t l = 0; l < lanes; l++) dst[l * d] = (double)t[q][l];
                }
            }
        }
    }
}

PT_AVX2 static void pt_transform_avx2(const uint32_t *words, size_t blocks, double *out) {
    size_t b = 0;
    for (; b + 8 <= blocks; b += 8) {
        uint32_t w[4][8];
        for (int l = 0; l < 8; l++)
            for (int j = 0; j < 4; j++) w[j][l] = words[4 * (b + (size_t)l) + (size_t)j];
        pt_transform8(_mm256_loadu_si256((const __m256i *)w[0]), _mm256_loadu_si256((const __m256i *)w[1]),
                      _mm256_loadu_si256((const __m256i *)w[2]), _mm256_loadu_si256((const __m256i *)w[3]),
                      out + 4 * b);
    }
    if (b < blocks) {
        uint32_t w[4][8] = {{0}};
        double tmp[PT_GROUP];
        for (size_t l = 0; l < blocks - b; l++)
            for (int j = 0; j < 4; j++) w[j][l] = words[4 * (b + l) + (size_t)j];
        pt_transform8(_mm256_loadu_si256((const __m256i *)w[0]), _mm256_loadu_si256((const __m256i *)w[1]),
                      _mm256_loadu_si256((const __m256i *)w[2]), _mm256_loadu_si256((const __m256i *)w[3]), tmp);
        memcpy(out + 4 * b, tmp, 4 * (blocks - b) * sizeof(double));
    }
}

/* ------------------------------------------------------------------------------------------- */
/* Fused Euler–Maruyama steps of the 2-D linear drift (noise generated and consumed in registers) */
/* ------------------------------------------------------------------------------------------- */

/* One step of 4 lanes: f = (b00 x0 + b01 x1, b10 x0 + b11 x1), x <- (x + dt f) + a z, every operation a
 * separately rounded double (no FMA), as in the Swift engine. Returns the non-finite mask (y - y != 0). */
PT_AVX2 static inline __m256d pt_em2_lanes4(__m256d *x0, __m256d *x1, __m256 z0f, __m256 z1f, int high,
                                           const __m256d bm[4], __m256d dt, __m256d a) {
    __m256d z0 = _mm256_cvtps_pd(high ? _mm256_extractf128_ps(z0f, 1) : _mm256_castps256_ps128(z0f));
    __m256d z1 = _mm256_cvtps_pd(high ? _mm256_extractf128_ps(z1f, 1) : _mm256_castps256_ps128(z1f));
    __m256d f0 = _mm256_add_pd(_mm256_mul_pd(bm[0], *x0), _mm256_mul_pd(bm[1], *x1));
    __m256d f1 = _mm256_add_pd(_mm256_mul_pd(bm[2], *x0), _mm256_mul_pd(bm[3], *x1));
    __m256d y0 = _mm256_add_pd(_mm256_add_pd(*x0, _mm256_mul_pd(dt, f0)), _mm256_mul_pd(a, z0));
    __m256d y1 = _mm256_add_pd(_mm256_add_pd(*x1, _mm256_mul_pd(dt, f1)), _mm256_mul_pd(a, z1));
    *x0 = y0; *x1 = y1;
    __m256d zero = _mm256_setzero_pd();
    return _mm256_or_pd(_mm256_cmp_pd(_mm256_sub_pd(y0, y0), zero, _CMP_NEQ_UQ),
                        _mm256_cmp_pd(_mm256_sub_pd(y1, y1), zero, _CMP_NEQ_UQ));
}

PT_AVX2 static int pt_em_linear2_avx2(uint64_t seed, uint64_t first_stream, size_t streams, uint64_t first_step,
                                      size_t steps, const double b[4], double dt, double amplitude, double *x,
                                      uint64_t *bad_step, size_t *bad_stream) {
    const uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    const __m256d bm[4] = {_mm256_set1_pd(b[0]), _mm256_set1_pd(b[1]), _mm256_set1_pd(b[2]), _mm256_set1_pd(b[3])};
    const __m256d dtv = _mm256_set1_pd(dt), av = _mm256_set1_pd(amplitude);
    const uint64_t end = first_step + (uint64_t)steps;
    int failed = 0;
    for (size_t i0 = 0; i0 < streams; i0 += 16) {
        const size_t lanes = streams - i0 < 16 ? streams - i0 : 16;
        uint32_t slo[16], shi[16];
        double s0[16] = {0}, s1[16] = {0}; /* lanes past `streams` step from 0 and are neither stored nor checked */
        for (size_t l = 0; l < 16; l++) {
            uint64_t st = first_stream + (uint64_t)i0 + (uint64_t)l;
            slo[l] = (uint32_t)st; shi[l] = (uint32_t)(st >> 32);
            if (l < lanes) { s0[l] = x[2 * (i0 + l)]; s1[l] = x[2 * (i0 + l) + 1]; }
        }
        const __m256i sa2 = _mm256_loadu_si256((const __m256i *)slo), sb2 = _mm256_loadu_si256((const __m256i *)(slo + 8));
        const __m256i sa3 = _mm256_loadu_si256((const __m256i *)shi), sb3 = _mm256_loadu_si256((const __m256i *)(shi + 8));
        __m256d x0[4], x1[4];
        for (int q = 0; q < 4; q++) { x0[q] = _mm256_loadu_pd(s0 + 4 * q); x1[q] = _mm256_loadu_pd(s1 + 4 * q); }
        const int valid = lanes == 16 ? 0xFFFF : (int)((1u << lanes) - 1u);
        uint64_t k = first_step;
        int bad = 0;
        while (k < end) {
            const uint64_t blk = k >> 1; /* normals 2k, 2k + 1 lie in block k / 2, lanes 2 (k & 1) and 2 (k & 1) + 1 */
            __m256i pa[4], pb[4];
            pa[0] = pb[0] = _mm256_set1_epi32((int)(uint32_t)blk);
            pa[1] = pb[1] = _mm256_set1_epi32((int)(uint32_t)(blk >> 32));
            pa[2] = sa2; pb[2] = sb2; pa[3] = sa3; pb[3] = sb3;
            pt_philox8x2(pa, pb, k0, k1);
            __m256 na[4], nb[4];
            pt_bm8(pa[0], pa[1], pa[2], pa[3], na);
            pt_bm8(pb[0], pb[1], pb[2], pb[3], nb);
            for (int h = (int)(k & 1u); h < 2 && k < end; h++, k++) {
                __m256d m0 = pt_em2_lanes4(&x0[0], &x1[0], na[2 * h], na[2 * h + 1], 0, bm, dtv, av);
                __m256d m1 = pt_em2_lanes4(&x0[1], &x1[1], na[2 * h], na[2 * h + 1], 1, bm, dtv, av);
                __m256d m2 = pt_em2_lanes4(&x0[2], &x1[2], nb[2 * h], nb[2 * h + 1], 0, bm, dtv, av);
                __m256d m3 = pt_em2_lanes4(&x0[3], &x1[3], nb[2 * h], nb[2 * h + 1], 1, bm, dtv, av);
                int mask = (_mm256_movemask_pd(m0) | _mm256_movemask_pd(m1) << 4 | _mm256_movemask_pd(m2) << 8 |
                            _mm256_movemask_pd(m3) << 12) & valid;
                if (mask) {
                    size_t lane = (size_t)__builtin_ctz((unsigned)mask);
                    if (!failed || k < *bad_step) { *bad_step = k; *bad_stream = i0 + lane; failed = 1; }
                    bad = 1;
                    break;
                }
            }
            if (bad) break;
        }
        for (int q = 0; q < 4; q++) { _mm256_storeu_pd(s0 + 4 * q, x0[q]); _mm256_storeu_pd(s1 + 4 * q, x1[q]); }
        for (size_t l = 0; l < lanes; l++) { x[2 * (i0 + l)] = s0[l]; x[2 * (i0 + l) + 1] = s1[l]; }
    }
    return failed;
}

/* ------------------------------------------------------------------------------------------- */
/* AVX-512 (F + DQ) fused 2-D linear kernel: the same float32 and double operations as the AVX2  */
/* one, on 16-lane vectors (masks instead of blendv, vpternlogd for the three-way xor).          */
/* ------------------------------------------------------------------------------------------- */
#define PT_AVX512 __attribute__((target("avx512f,avx512dq,avx2,fma")))

PT_AVX512 static inline void pt_mulhilo16(__m512i a, __m512i m, __m512i *hi, __m512i *lo) {
    __m512i pe = _mm512_mul_epu32(a, m);
    __m512i po = _mm512_mul_epu32(_mm512_srli_epi64(a, 32), m);
    *lo = _mm512_mask_blend_epi32(0xAAAA, pe, _mm512_slli_epi64(po, 32));
    *hi = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(pe, 32), po);
}

PT_AVX512 static inline __m512 pt_uniform16(__m512i w) {
    __m512 hi = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_srli_epi32(w, 16)), _mm512_set1_ps(65536.0f));
    __m512 lo = _mm512_add_ps(_mm512_cvtepi32_ps(_mm512_and_si512(w, _mm512_set1_epi32(0xFFFF))), _mm512_set1_ps(0.5f));
    return _mm512_mul_ps(_mm512_add_ps(hi, lo), _mm512_set1_ps(0x1p-32f));
}

PT_AVX512 static inline __m512 pt_radius16(__m512 u) {
    __m512i bits = _mm512_castps_si512(u);
    __m512i e = _mm512_sub_epi32(_mm512_srli_epi32(bits, 23), _mm512_set1_epi32(126));
    __m512 m = _mm512_castsi512_ps(_mm512_or_si512(_mm512_and_si512(bits, _mm512_set1_epi32(0x007FFFFF)),
                                                   _mm512_set1_epi32(0x3F000000)));
    __mmask16 small = _mm512_cmp_ps_mask(m, _mm512_set1_ps(PT_SQRTHF), _CMP_LT_OQ);
    e = _mm512_mask_sub_epi32(e, small, e, _mm512_set1_epi32(1));
    __m512 x = _mm512_sub_ps(_mm512_mask_add_ps(m, small, m, m), _mm512_set1_ps(1.0f));
    __m512 z = _mm512_mul_ps(x, x);
    __m512 p = _mm512_set1_ps(PT_LP0);
    p = _mm512_fmadd_ps(p, x, _mm512_set1_ps(PT_LP1));
    p = _mm512_fmadd_ps(p, x, _mm512_set1_ps(PT_LP2));
    p = _mm512_fmadd_ps(p, x, _mm512_set1_ps(PT_LP3));
    p = _mm512_fmadd_ps(p, x, _mm512_set1_ps(PT_LP4));
    p = _mm512_fmadd_ps(p, x, _mm512_set1_ps(PT_LP5));
    p = _mm512_fmadd_ps(p, x, _mm512_set1_ps(PT_LP6));
    p = _mm512_fmadd_ps(p, x, _mm512_set1_ps(PT_LP7));
    p = _mm512_fmadd_ps(p, x, _mm512_set1_ps(PT_LP8));
    __m512 fe = _mm512_cvtepi32_ps(e);
    __m512 y = _mm512_mul_ps(_mm512_mul_ps(x, z), p);
    y = _mm512_fmadd_ps(fe, _mm512_set1_ps(PT_LN2_LO), y);
    y = _mm512_fmadd_ps(z, _mm512_set1_ps(-0.5f), y);
    __m512 l = _mm512_add_ps(x, y);
    l = _mm512_fmadd_ps(fe, _mm512_set1_ps(PT_LN2_HI), l);
    __m512 t = _mm512_mul_ps(l, _mm512_set1_ps(-2.0f));
    t = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(t, _mm512_setzero_ps(), _CMP_GT_OQ), t); /* t > 0 ? t : 0 */
    return _mm512_sqrt_ps(t);
}

PT_AVX512 static inline void pt_sincos2pi16(__m512 u, __m512 *c, __m512 *s) {
    __m512 t = _mm512_mul_ps(u, _mm512_set1_ps(4.0f));
    __m512 q = _mm512_roundscale_ps(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 y = _mm512_sub_ps(t, q);
    __m512 y2 = _mm512_mul_ps(y, y);
    __m512 sp = _mm512_set1_ps(PT_S9);
    sp = _mm512_fmadd_ps(sp, y2, _mm512_set1_ps(PT_S7));
    sp = _mm512_fmadd_ps(sp, y2, _mm512_set1_ps(PT_S5));
    sp = _mm512_fmadd_ps(sp, y2, _mm512_set1_ps(PT_S3));
    sp = _mm512_fmadd_ps(sp, y2, _mm512_set1_ps(PT_S1));
    __m512 sn = _mm512_mul_ps(sp, y);
    __m512 cp = _mm512_set1_ps(PT_C10);
    cp = _mm512_fmadd_ps(cp, y2, _mm512_set1_ps(PT_C8));
    cp = _mm512_fmadd_ps(cp, y2, _mm512_set1_ps(PT_C6));
    cp = _mm512_fmadd_ps(cp, y2, _mm512_set1_ps(PT_C4));
    cp = _mm512_fmadd_ps(cp, y2, _mm512_set1_ps(PT_C2));
    __m512 cs = _mm512_fmadd_ps(cp, y2, _mm512_set1_ps(1.0f));
    __m512i qi = _mm512_cvtps_epi32(q); /* exact: q is an integer in [0, 4] */
    __mmask16 odd = _mm512_test_epi32_mask(qi, _mm512_set1_epi32(1));
    __m512 cv = _mm512_mask_blend_ps(odd, cs, sn);
    __m512 sv = _mm512_mask_blend_ps(odd, sn, cs);
    __m512i two = _mm512_set1_epi32(2);
    __m512i csign = _mm512_slli_epi32(_mm512_and_si512(_mm512_add_epi32(qi, _mm512_set1_epi32(1)), two), 30);
    __m512i ssign = _mm512_slli_epi32(_mm512_and_si512(qi, two), 30);
    *c = _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(cv), csign));
    *s = _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(sv), ssign));
}

PT_AVX512 static inline void pt_bm16(__m512i x0, __m512i x1, __m512i x2, __m512i x3, __m512 n[4]) {
    __m512 r1 = pt_radius16(pt_uniform16(x0)), r2 = pt_radius16(pt_uniform16(x2));
    __m512 c1, s1, c2, s2;
    pt_sincos2pi16(pt_uniform16(x1), &c1, &s1);
    pt_sincos2pi16(pt_uniform16(x3), &c2, &s2);
    n[0] = _mm512_mul_ps(r1, c1); n[1] = _mm512_mul_ps(r1, s1);
    n[2] = _mm512_mul_ps(r2, c2); n[3] = _mm512_mul_ps(r2, s2);
}

#define PT_PHILOX_ROUND2_16(a, b, key0, key1)                                                     \
    do {                                                                                            \
        __m512i ah0, al0, ah1, al1, bh0, bl0, bh1, bl1;                                             \
        pt_mulhilo16(a[0], m0, &ah0, &al0); pt_mulhilo16(b[0], m0, &bh0, &bl0);                     \
        pt_mulhilo16(a[2], m1, &ah1, &al1); pt_mulhilo16(b[2], m1, &bh1, &bl1);                     \
        a[0] = _mm512_ternarylogic_epi32(ah1, a[1], key0, 0x96);                                    \
        b[0] = _mm512_ternarylogic_epi32(bh1, b[1], key0, 0x96);                                    \
        a[2] = _mm512_ternarylogic_epi32(ah0, a[3], key1, 0x96);                                    \
        b[2] = _mm512_ternarylogic_epi32(bh0, b[3], key1, 0x96);                                    \
        a[1] = al1; b[1] = bl1; a[3] = al0; b[3] = bl0;                                             \
    } while (0)

PT_AVX512 static inline void pt_philox16x2(__m512i a[4], __m512i b[4], uint32_t k0, uint32_t k1) {
    const __m512i m0 = _mm512_set1_epi32((int)PT_M0), m1 = _mm512_set1_epi32((int)PT_M1);
    const __m512i w0 = _mm512_set1_epi32((int)PT_W0), w1 = _mm512_set1_epi32((int)PT_W1);
    __m512i key0 = _mm512_set1_epi32((int)k0), key1 = _mm512_set1_epi32((int)k1);
    PT_PHILOX_ROUND2_16(a, b, key0, key1);
    for (int r = 1; r < 10; r++) {
        key0 = _mm512_add_epi32(key0, w0); key1 = _mm512_add_epi32(key1, w1);
        PT_PHILOX_ROUND2_16(a, b, key0, key1);
    }
}

/* Low and high words of block + l for l < 16 (with the carry into the high word where it occurs). */
PT_AVX512 static inline void pt_block_counters16(uint64_t block, __m512i *lo, __m512i *hi) {
    uint32_t l0 = (uint32_t)block, h0 = (uint32_t)(block >> 32);
    if (l0 <= 0xFFFFFFF0u) {
        *lo = _mm512_add_epi32(_mm512_set1_epi32((int)l0),
                               _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
        *hi = _mm512_set1_epi32((int)h0);
    } else {
        uint32_t c0[16], c1[16];
        for (int l = 0; l < 16; l++) {
            uint64_t b = block + (uint64_t)l;
            c0[l] = (uint32_t)b; c1[l] = (uint32_t)(b >> 32);
        }
        *lo = _mm512_loadu_si512((const void *)c0);
        *hi = _mm512_loadu_si512((const void *)c1);
    }
}

/* 16 blocks' normals (SoA) written as 64 doubles in block order: the AVX2 4 x 8 transpose on each half. */
PT_AVX512 static inline void pt_store_blocks16(const __m512 n[4], double *out) {
    __m256 lo[4], hi[4];
    for (int q = 0; q < 4; q++) { lo[q] = _mm512_castps512_ps256(n[q]); hi[q] = _mm512_extractf32x8_ps(n[q], 1); }
    pt_store_blocks8(lo, out);
    pt_store_blocks8(hi, out + 32);
}

#define PT_GROUP_AVX512 128 /* normals per AVX-512 iteration: 32 Philox blocks */

/* Normals 4 block ..< 4 block + 128 of (key, stream): blocks block ..< block + 32. The same float32 operations as
 * pt_group_avx2 and the portable kernel, 16 lanes wide: the same bits. */
PT_AVX512 static inline void pt_group_avx512(uint32_t k0, uint32_t k1, uint32_t s0, uint32_t s1, uint64_t block,
                                             double *out) {
    __m512i a[4], b[4];
    pt_block_counters16(block, &a[0], &a[1]);
    pt_block_counters16(block + 16, &b[0], &b[1]);
    a[2] = b[2] = _mm512_set1_epi32((int)s0);
    a[3] = b[3] = _mm512_set1_epi32((int)s1);
    pt_philox16x2(a, b, k0, k1);
    __m512 n[4];
    pt_bm16(a[0], a[1], a[2], a[3], n);
    pt_store_blocks16(n, out);
    pt_bm16(b[0], b[1], b[2], b[3], n);
    pt_store_blocks16(n, out + 64);
}

PT_DEFINE_FILL(pt_fill_avx512_impl, pt_group_avx512, PT_GROUP_AVX512, PT_AVX512)

/* One step of 8 lanes (z: floats 8h ..< 8h + 8 of a 16-lane vector); returns the non-finite mask. */
PT_AVX512 static inline __mmask8 pt_em2_lanes8(__m512d *x0, __m512d *x1, __m512 z0f, __m512 z1f, int high,
                                              const __m512d bm[4], __m512d dt, __m512d a) {
    __m512d z0 = _mm512_cvtps_pd(high ? _mm512_extractf32x8_ps(z0f, 1) : _mm512_castps512_ps256(z0f));
    __m512d z1 = _mm512_cvtps_pd(high ? _mm512_extractf32x8_ps(z1f, 1) : _mm512_castps512_ps256(z1f));
    __m512d f0 = _mm512_add_pd(_mm512_mul_pd(bm[0], *x0), _mm512_mul_pd(bm[1], *x1));
    __m512d f1 = _mm512_add_pd(_mm512_mul_pd(bm[2], *x0), _mm512_mul_pd(bm[3], *x1));
    __m512d y0 = _mm512_add_pd(_mm512_add_pd(*x0, _mm512_mul_pd(dt, f0)), _mm512_mul_pd(a, z0));
    __m512d y1 = _mm512_add_pd(_mm512_add_pd(*x1, _mm512_mul_pd(dt, f1)), _mm512_mul_pd(a, z1));
    *x0 = y0; *x1 = y1;
    __m512d zero = _mm512_setzero_pd();
    return (__mmask8)(_mm512_cmp_pd_mask(_mm512_sub_pd(y0, y0), zero, _CMP_NEQ_UQ) |
                      _mm512_cmp_pd_mask(_mm512_sub_pd(y1, y1), zero, _CMP_NEQ_UQ));
}

/* As pt_em_linear2_avx2 with 32 streams per lane group (two sets of 16). */
PT_AVX512 static int pt_em_linear2_avx512(uint64_t seed, uint64_t first_stream, size_t streams, uint64_t first_step,
                                          size_t steps, const double b[4], double dt, double amplitude, double *x,
                                          uint64_t *bad_step, size_t *bad_stream) {
    const uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    const __m512d bm[4] = {_mm512_set1_pd(b[0]), _mm512_set1_pd(b[1]), _mm512_set1_pd(b[2]), _mm512_set1_pd(b[3])};
    const __m512d dtv = _mm512_set1_pd(dt), av = _mm512_set1_pd(amplitude);
    const uint64_t end = first_step + (uint64_t)steps;
    int failed = 0;
    for (size_t i0 = 0; i0 < streams; i0 += 32) {
        const size_t lanes = streams - i0 < 32 ? streams - i0 : 32;
        uint32_t slo[32], shi[32];
        double s0[32] = {0}, s1[32] = {0};
        for (size_t l = 0; l < 32; l++) {
            uint64_t st = first_stream + (uint64_t)i0 + (uint64_t)l;
            slo[l] = (uint32_t)st; shi[l] = (uint32_t)(st >> 32);
            if (l < lanes) { s0[l] = x[2 * (i0 + l)]; s1[l] = x[2 * (i0 + l) + 1]; }
        }
        const __m512i sa2 = _mm512_loadu_si512(slo), sb2 = _mm512_loadu_si512(slo + 16);
        const __m512i sa3 = _mm512_loadu_si512(shi), sb3 = _mm512_loadu_si512(shi + 16);
        __m512d x0[4], x1[4];
        for (int q = 0; q < 4; q++) { x0[q] = _mm512_loadu_pd(s0 + 8 * q); x1[q] = _mm512_loadu_pd(s1 + 8 * q); }
        const uint32_t valid = lanes == 32 ? 0xFFFFFFFFu : (uint32_t)((1ull << lanes) - 1u);
        uint64_t k = first_step;
        int bad = 0;
        while (k < end) {
            const uint64_t blk = k >> 1;
            __m512i pa[4], pb[4];
            pa[0] = pb[0] = _mm512_set1_epi32((int)(uint32_t)blk);
            pa[1] = pb[1] = _mm512_set1_epi32((int)(uint32_t)(blk >> 32));
            pa[2] = sa2; pb[2] = sb2; pa[3] = sa3; pb[3] = sb3;
            pt_philox16x2(pa, pb, k0, k1);
            __m512 na[4], nb[4];
            pt_bm16(pa[0], pa[1], pa[2], pa[3], na);
            pt_bm16(pb[0], pb[1], pb[2], pb[3], nb);
            for (int h = (int)(k & 1u); h < 2 && k < end; h++, k++) {
                uint32_t m0 = pt_em2_lanes8(&x0[0], &x1[0], na[2 * h], na[2 * h + 1], 0, bm, dtv, av);
                uint32_t m1 = pt_em2_lanes8(&x0[1], &x1[1], na[2 * h], na[2 * h + 1], 1, bm, dtv, av);
                uint32_t m2 = pt_em2_lanes8(&x0[2], &x1[2], nb[2 * h], nb[2 * h + 1], 0, bm, dtv, av);
                uint32_t m3 = pt_em2_lanes8(&x0[3], &x1[3], nb[2 * h], nb[2 * h + 1], 1, bm, dtv, av);
                uint32_t mask = (m0 | m1 << 8 | m2 << 16 | m3 << 24) & valid;
                if (mask) {
                    size_t lane = (size_t)__builtin_ctz(mask);
                    if (!failed || k < *bad_step) { *bad_step = k; *bad_stream = i0 + lane; failed = 1; }
                    bad = 1;
                    break;
                }
            }
            if (bad) break;
        }
        for (int q = 0; q < 4; q++) { _mm512_storeu_pd(s0 + 8 * q, x0[q]); _mm512_storeu_pd(s1 + 8 * q, x1[q]); }
        for (size_t l = 0; l < lanes; l++) { x[2 * (i0 + l)] = s0[l]; x[2 * (i0 + l) + 1] = s1[l]; }
    }
    return failed;
}
#endif /* PT_NOISE_X86 */

/* ------------------------------------------------------------------------------------------- */
/* Dispatch and public entry points                                                              */
/* ------------------------------------------------------------------------------------------- */

int pt_noise_uses_avx2(void) {
#if PT_NOISE_X86
    static int cached = -1; /* benign race: every thread computes the same value */
    int v = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (v < 0) {
        __builtin_cpu_init();
        v = (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? 1 : 0;
        __atomic_store_n(&cached, v, __ATOMIC_RELAXED);
    }
    return v;
#else
    return 0;
#endif
}

void pt_noise_fill(uint64_t seed, uint64_t stream, uint64_t first, size_t count, double *out) {
#if PT_NOISE_X86
    if (pt_noise_uses_avx512()) { pt_fill_avx512_impl(seed, stream, first, count, out); return; }
    if (pt_noise_uses_avx2()) { pt_fill_avx2_impl(seed, stream, first, count, out); return; }
#endif
    pt_fill_portable_impl(seed, stream, first, count, out);
}

int pt_noise_fill_kernel(int kernel, uint64_t seed, uint64_t stream, uint64_t first, size_t count, double *out) {
    if (kernel < 0) kernel = pt_noise_uses_avx512() ? 2 : pt_noise_uses_avx2() ? 1 : 0;
    if ((kernel == 1 && !pt_noise_uses_avx2()) || (kernel == 2 && !pt_noise_uses_avx512()) || kernel > 2) return -1;
#if PT_NOISE_X86
    if (kernel == 2) { pt_fill_avx512_impl(seed, stream, first, count, out); return 0; }
    if (kernel == 1) { pt_fill_avx2_impl(seed, stream, first, count, out); return 0; }
#endif
    pt_fill_portable_impl(seed, stream, first, count, out);
    return 0;
}

void pt_noise_fill_portable(uint64_t seed, uint64_t stream, uint64_t first, size_t count, double *out) {
    pt_fill_portable_impl(seed, stream, first, count, out);
}

void pt_noise_transform(const uint32_t *words, size_t blocks, double *out) {
#if PT_NOISE_X86
    if (pt_noise_uses_avx2()) { pt_transform_avx2(words, blocks, out); return; }
#endif
    pt_noise_transform_portable(words, blocks, out);
}

/* Step-major fill from per-stream contiguous fills (the portable path): each stream's normals in
 * chunks of CHUNK, scattered to their rows. */
void pt_noise_fill_steps_portable(uint64_t seed, uint64_t first_stream, size_t streams, uint64_t first_step,
                                  size_t steps, size_t dimension, double *out) {
    enum { CHUNK = 512 };
    double buffer[CHUNK];
    const size_t total = steps * dimension, row = streams * dimension;
    const uint64_t first = first_step * (uint64_t)dimension;
    for (size_t i = 0; i < streams; i++) {
        const uint64_t stream = first_stream + (uint64_t)i;
        double *base = out + i * dimension;
        size_t k = 0, j = 0; /* step and component of the next normal */
        for (size_t done = 0; done < total;) {
            size_t take = total - done < CHUNK ? total - done : CHUNK;
            pt_fill_portable_impl(seed, stream, first + done, take, buffer);
            if (dimension == 2 && j == 0 && (take & 1u) == 0) {
                for (size_t t = 0; t < take; t += 2, k++) {
                    double *dst = base + k * row;
                    dst[0] = buffer[t];
                    dst[1] = buffer[t + 1];
                }
            } else {
                for (size_t t = 0; t < take; t++) {
                    base[k * row + j] = buffer[t];
                    if (++j == dimension) { j = 0; k++; }
                }
            }
            done += take;
        }
    }
}

void pt_noise_fill_steps(uint64_t seed, uint64_t first_stream, size_t streams, uint64_t first_step,
                         size_t steps, size_t dimension, double *out) {
    if (streams == 0 || steps == 0 || dimension == 0) return;
#if PT_NOISE_X86
    if (pt_noise_uses_avx2()) {
        /* One step of long rows (the vMF chain: N·D normals per stream): each stream's row is contiguous, so
         * per-stream fills (16 Philox blocks of one stream in the lanes) beat streams in lanes, which compute
         * 16 lanes however few streams there are and scatter every normal with a scalar store. Same bits:
         * a normal is a function of (seed, stream, index) alone. */
        if (steps == 1 && dimension >= 64 && (streams % 16 != 0 || dimension >= 256)) {
            for (size_t i = 0; i < streams; i++)
                pt_noise_fill(seed, first_stream + (uint64_t)i, first_step * (uint64_t)dimension, dimension,
                              out + i * dimension);
            return;
        }
        pt_fill_steps_avx2(seed, first_stream, streams, first_step, steps, dimension, out);
        return;
    }
#endif
    pt_noise_fill_steps_portable(seed, first_stream, streams, first_step, steps, dimension, out);
}

/* Fused 2-D linear Euler–Maruyama steps, portable: per stream, normals from the portable fill, the same
 * double operations as the AVX2 kernel and the Swift engine. */
int pt_em_linear2_portable(uint64_t seed, uint64_t first_stream, size_t streams, uint64_t first_step, size_t steps,
                           const double b[4], double dt, double amplitude, double *x,
                           uint64_t *bad_step, size_t *bad_stream) {
    enum { CHUNK = 256 }; /* normals per fill: 128 steps */
    double z[CHUNK];
    int failed = 0;
    for (size_t i = 0; i < streams; i++) {
        double x0 = x[2 * i], x1 = x[2 * i + 1];
        uint64_t k = first_step;
        size_t left = steps;
        int bad = 0;
        while (left > 0 && !bad) {
            size_t take = left < CHUNK / 2 ? left : CHUNK / 2;
            pt_fill_portable_impl(seed, first_stream + (uint64_t)i, 2 * k, 2 * take, z);
            for (size_t t = 0; t < take; t++, k++) {
                double f0 = b[0] * x0 + b[1] * x1;
                double f1 = b[2] * x0 + b[3] * x1;
                double y0 = (x0 + dt * f0) + amplitude * z[2 * t];
                double y1 = (x1 + dt * f1) + amplitude * z[2 * t + 1];
                x0 = y0; x1 = y1;
                if (!(y0 - y0 == 0.0) || !(y1 - y1 == 0.0)) {
                    if (!failed || k < *bad_step) { *bad_step = k; *bad_stream = i; failed = 1; }
                    bad = 1;
                    break;
                }
            }
            left -= take;
        }
        x[2 * i] = x0; x[2 * i + 1] = x1;
    }
    return failed;
}

int pt_noise_uses_avx512(void) {
#if PT_NOISE_X86
    static int cached = -1; /* benign race: every thread computes the same value */
    int v = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (v < 0) {
        __builtin_cpu_init();
        v = (pt_noise_uses_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) ? 1 : 0;
        __atomic_store_n(&cached, v, __ATOMIC_RELAXED);
    }
    return v;
#else
    return 0;
#endif
}

int pt_em_linear2_kernel(int kernel, uint64_t seed, uint64_t first_stream, size_t streams, uint64_t first_step,
                         size_t steps, const double b[4], double dt, double amplitude, double *x,
                         uint64_t *bad_step, size_t *bad_stream) {
    if (kernel < 0) kernel = pt_noise_uses_avx512() ? 2 : pt_noise_uses_avx2() ? 1 : 0;
    if ((kernel == 1 && !pt_noise_uses_avx2()) || (kernel == 2 && !pt_noise_uses_avx512()) || kernel > 2) return -1;
    if (streams == 0 || steps == 0) return 0;
#if PT_NOISE_X86
    if (kernel == 2)
        return pt_em_linear2_avx512(seed, first_stream, streams, first_step, steps, b, dt, amplitude, x, bad_step, bad_stream);
    if (kernel == 1)
        return pt_em_linear2_avx2(seed, first_stream, streams, first_step, steps, b, dt, amplitude, x, bad_step, bad_stream);
#endif
    return pt_em_linear2_portable(seed, first_stream, streams, first_step, steps, b, dt, amplitude, x, bad_step, bad_stream);
}

int pt_em_linear2(uint64_t seed, uint64_t first_stream, size_t streams, uint64_t first_step, size_t steps,
                  const double b[4], double dt, double amplitude, double *x, uint64_t *bad_step, size_t *bad_stream) {
    return pt_em_linear2_kernel(-1, seed, first_stream, streams, first_step, steps, b, dt, amplitude, x,
                                bad_step, bad_stream);
}
