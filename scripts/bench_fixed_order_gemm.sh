#!/usr/bin/env bash
# Cost of the fixed-order products (Sources/CFixedOrderGEMM, issue 12 item 6) against OpenBLAS cblas_sgemm on the
# shapes of SmolLM2-135M: Y[rows × out] = X[rows × in] · Wᵀ for the decoder (rows = batch B = 1, 8, 64) and the
# whole-sequence pass (rows = T = 512), run back to back with the same thread count for both (OPENBLAS_NUM_THREADS
# for sgemm; the same column split as RowMajorMatrixProduct, over pthreads, for the fixed-order kernel). Prints
# GFLOP/s of each and the ratio fixed / sgemm (> 1: the fixed-order kernel is faster), best of REPS runs.
#
#   scripts/bench_fixed_order_gemm.sh            # THREADS=2 REPS=5
#   THREADS=1 scripts/bench_fixed_order_gemm.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
THREADS="${THREADS:-2}"; REPS="${REPS:-5}"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
cat > "$WORK/bench.c" <<'C'
#include "CFixedOrderGEMM.h"
#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
char *openblas_get_corename(void);
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
typedef struct { const float *x, *w; float *y; long m, n, k, block, blocks; int worker, workers; } Job;
static void *work(void *p) {
    Job *j = p;
    for (long b = j->worker; b < j->blocks; b += j->workers) {
        long first = b * j->block, count = first + j->block <= j->n ? j->block : j->n - first;
        fo_linear_f32(j->x, j->k, j->w + first * j->k, j->k, j->m, count, j->k, 1, 0, j->y + first, j->n);
    }
    return NULL;
}
/* RowMajorMatrixProduct's split: below 2^20 multiply-adds on the calling thread; else columns in blocks of
 * ⌈n / (4·threads)⌉ rounded up to a multiple of 3, worker t taking blocks t, t + threads, … */
static void fixed(const float *x, const float *w, float *y, long m, long n, long k, int threads) {
    if (threads < 2 || m * n * k < (1L << 20) || n < 6) { fo_linear_f32(x, k, w, k, m, n, k, 1, 0, y, n); return; }
    long block = (n + 4L * threads - 1) / (4L * threads); block = (block + 2) / 3 * 3;
    long blocks = (n + block - 1) / block;
    int workers = threads < blocks ? threads : (int)blocks;
    pthread_t tid[64]; Job jobs[64];
    for (int t = 0; t < workers; t++) {
        jobs[t] = (Job){x, w, y, m, n, k, block, blocks, t, workers};
        pthread_create(&tid[t], NULL, work, &jobs[t]);
    }
    for (int t = 0; t < workers; t++) pthread_join(tid[t], NULL);
}
int main(int argc, char **argv) {
    int threads = atoi(argv[1]), reps = atoi(argv[2]);
    long shapes[][4] = {{1, 576, 576}, {1, 1536, 576}, {1, 49152, 576}, {8, 576, 576}, {8, 1536, 576}, {8, 49152, 576},
                        {64, 576, 576}, {64, 1536, 576}, {64, 576, 1536}, {64, 49152, 576},
                        {512, 576, 576}, {512, 1536, 576}, {512, 576, 1536}, {128, 49152, 576}};
    printf("%-22s %10s %10s %8s\n", "rows x out x in", "sgemm", "fixed", "ratio");
    for (unsigned s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        long m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
        float *x = malloc(sizeof(float) * m * k), *w = malloc(sizeof(float) * n * k), *y = malloc(sizeof(float) * m * n);
        srand(1);
        for (long i = 0; i < m * k; i++) x[i] = rand() / (float)RAND_MAX - 0.5f;
        for (long i = 0; i < n * k; i++) w[i] = rand() / (float)RAND_MAX - 0.5f;
        double best_b = 1e9, best_f = 1e9;
        int inner = (int)(2e8 / (2.0 * m * n * k)) + 1;
        for (int r = 0; r < reps; r++) {
            double t0 = now();
            for (int i = 0; i < inner; i++)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1, x, k, w, k, 0, y, n);
            double tb = (now() - t0) / inner;
            t0 = now();
            for (int i = 0; i < inner; i++) fixed(x, w, y, m, n, k, threads);
            double tf = (now() - t0) / inner;
            if (tb < best_b) best_b = tb;
            if (tf < best_f) best_f = tf;
        }
        char name[64]; snprintf(name, sizeof name, "%ld x %ld x %ld", m, n, k);
        printf("%-22s %10.1f %10.1f %8.2f\n", name, 2.0 * m * n * k / best_b / 1e9, 2.0 * m * n * k / best_f / 1e9, best_b / best_f);
        free(x); free(w); free(y);
    }
    printf("(GFLOP/s, best of %d; %d thread(s); OpenBLAS core %s; fixed-order kernel: %s)\n", reps, threads,
           openblas_get_corename(), fo_uses_avx2() ? "AVX2+FMA" : "portable");
    return 0;
}
C
INC="$(pkg-config --cflags openblas 2>/dev/null || true)"
LIB="$(pkg-config --libs openblas 2>/dev/null || echo -lopenblas)"
cc -O2 -ffp-contract=off -I"$ROOT/Sources/CFixedOrderGEMM/include" $INC "$WORK/bench.c" \
   "$ROOT/Sources/CFixedOrderGEMM/fixed_order_gemm.c" -o "$WORK/bench" $LIB -lpthread -lm
# OpenBLAS may not recognise a virtualised CPU (DYNAMIC_ARCH then falls back to its SSE3 "Prescott" kernels):
# set OPENBLAS_CORETYPE=Haswell (or SkylakeX) for a fair comparison; the core in use is printed below.
OPENBLAS_NUM_THREADS="$THREADS" "$WORK/bench" "$THREADS" "$REPS"
