/*
 * paththermo.h: the C ABI of PathThermo (library libpaththermo_c.so, SwiftPM product `paththermo_c`,
 * sources Sources/PathThermoCABI).
 *
 * This is the ABI of PathThermo version 0.x (pt_abi_version() == 0). It MAY CHANGE with any 0.x release;
 * check pt_version()/pt_abi_version() at load time.
 *
 * Conventions (every function):
 *   - Plain C types only. Sizes, shapes and strides are int64_t; status codes are int32_t.
 *   - Inputs are 2-D arrays described by (data, dtype, rows, columns, row_stride, column_stride): `data` points at
 *     element [0, 0]; element [i, j] is at data[i * row_stride + j * column_stride]. Strides are in ELEMENTS (not
 *     bytes) and may be negative or zero. C (row-major) order is (columns, 1); Fortran (column-major) order is
 *     (1, rows). dtype is PT_FLOAT64 or PT_FLOAT32. The library reads inputs, never writes them, and keeps no
 *     pointer after the call returns. The caller vouches that every addressed element lies in its buffer.
 *   - Trajectories are 3-D arrays (rollouts, steps, d) described by (data, dtype, rollouts, steps, d, stride0,
 *     stride1, stride2): element [b, t, k] is at data[b * stride0 + t * stride1 + k * stride2] (ELEMENTS). C order
 *     is (steps * d, d, 1). A single (steps, d) trajectory is rollouts = 1, stride0 = 0.
 *   - Structured results (the estimators, Kalman, text EP, ...) are the JSON document that `paththermo <command>
 *     --json` prints (UTF-8, sorted keys, non-finite numbers as null and named in a "warnings" array). The library
 *     allocates it and stores its address in *json_out (NULL after a failure); release it with pt_free.
 *   - Outputs are caller-owned float64 buffers in C (row-major) order, of the sizes stated per function. An output
 *     documented as optional may be NULL (that output is not written).
 *   - Errors: the return value is a PT_* status; on failure `message` receives a one-line, NUL-terminated UTF-8
 *     description (truncated to message_capacity - 1 bytes; 512 bytes always suffice in practice), on success the
 *     empty string. `message` may be NULL (then no text is written). No Swift error or trap crosses this boundary
 *     for any input that satisfies the buffer contract above: pointers, sizes, dtypes and strides are checked
 *     first, and every library error becomes a status and a message. Outputs are unspecified after a failure.
 *   - Thread safety: functions keep no global state and may be called from several threads at once (a pt_model
 *     handle serializes the calls made on it).
 *   - Memory: inputs larger than the memory budget (half the physical memory) fail with PT_ERROR_RESOURCE_LIMIT.
 */
#ifndef PATHTHERMO_H
#define PATHTHERMO_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. */
#define PT_OK 0
#define PT_ERROR_INVALID_ARGUMENT 1 /* a malformed call: null pointer, empty shape, unknown dtype, overflowing strides */
#define PT_ERROR_LIBRARY 2          /* the library rejected the input (unstable drift, NaN, not square, not SPD, ...) */
#define PT_ERROR_RESOURCE_LIMIT 3   /* sizes beyond the memory budget */

/* Element types of input arrays. */
#define PT_FLOAT64 0
#define PT_FLOAT32 1

/* The version of this ABI: 0 while PathThermo is 0.x. */
int32_t pt_abi_version(void);

/* PathThermo's version string ("0.1.0"), NUL-terminated into buffer (truncated to capacity - 1 bytes).
 * Returns the length in bytes of the full string. */
int64_t pt_version(char *buffer, int64_t capacity);

/* The OpenBLAS kernel family of this process ("SkylakeX", "Haswell", "Prescott", ...), NUL-terminated into buffer.
 * It changes BLAS results in the last bits. `paththermo` (the CLI) re-executes itself with OPENBLAS_CORETYPE set
 * where OpenBLAS fell back to generic kernels on a newer CPU; a library cannot, so for the CLI's bits set
 * OPENBLAS_CORETYPE to the CLI's provenance.blas_core before this library (and OpenBLAS) is loaded.
 * Returns the length in bytes of the full name. */
int64_t pt_blas_core(char *buffer, int64_t capacity);

/* Releases a result the library allocated (the text of a json_out). NULL is a no-op. */
void pt_free(void *pointer);

/* Exact stationary thermodynamics of the OU process dx = B x dt + sqrt(2D) dW (as `paththermo ou`).
 * drift B: n x n, Hurwitz; diffusion D: n x n, symmetric positive definite (for D = d I pass d * identity).
 * Outputs (each optional, row-major float64):
 *   covariance_out     n x n  stationary covariance Sigma (B Sigma + Sigma B^T + 2D = 0)
 *   irreversible_out   n x n  irreversible drift Omega = B + D Sigma^-1
 *   reversible_out     n x n  reversible drift -D Sigma^-1
 *   current_out        n x n  probability current matrix M = Omega Sigma (antisymmetric)
 *   eigenvalues_out    n x 2  eigenvalues of B as (real, imaginary) rows
 *   scalars_out        5      entropy production rate sigma, then the non-normality indices of B:
 *                             antisymmetric ratio, Henrici, relative Henrici, commutator
 * Errors: PT_ERROR_LIBRARY for non-square or mismatched shapes, NaN/Inf entries, D not SPD, B not stable. */
int32_t pt_ou(const void *drift, int32_t drift_dtype, int64_t rows, int64_t columns,
              int64_t drift_row_stride, int64_t drift_column_stride,
              const void *diffusion, int32_t diffusion_dtype, int64_t diffusion_rows, int64_t diffusion_columns,
              int64_t diffusion_row_stride, int64_t diffusion_column_stride,
              double *covariance_out, double *irreversible_out, double *reversible_out, double *current_out,
              double *eigenvalues_out, double *scalars_out,
              char *message, int64_t message_capacity);

/* Lyapunov equations in SciPy's conventions (as `paththermo lyapunov`):
 *   discrete == 0: A X + X A^T = Q          (scipy.linalg.solve_continuous_lyapunov(a, q))
 *   discrete != 0: A X A^T - X + Q = 0      (scipy.linalg.solve_discrete_lyapunov(a, q))
 * a, q: n x n. x_out: n x n, required. residual_out: optional, the relative Frobenius residual (computed only when
 * residual_out is not NULL: it costs two more n^3 products).
 * Errors: PT_ERROR_LIBRARY for shapes, NaN/Inf, no unique solution, or a non-finite X or residual. */
int32_t pt_lyapunov(const void *a, int32_t a_dtype, int64_t a_rows, int64_t a_columns,
                    int64_t a_row_stride, int64_t a_column_stride,
                    const void *q, int32_t q_dtype, int64_t q_rows, int64_t q_columns,
                    int64_t q_row_stride, int64_t q_column_stride,
                    int32_t discrete, double *x_out, double *residual_out,
                    char *message, int64_t message_capacity);

/* Attention query-key asymmetry index ||W_A||_F / ||W||_F, W_A = (W - W^T)/2 (as `paththermo asymmetry`).
 * w: n x n, non-empty, finite. index_out: required, one double. */
int32_t pt_asymmetry(const void *w, int32_t dtype, int64_t rows, int64_t columns,
                     int64_t row_stride, int64_t column_stride,
                     double *index_out, char *message, int64_t message_capacity);

/* Batched Euler-Maruyama rollouts of dx = f(x) dt + sqrt(2D) dW into the caller's array (as `paththermo simulate
 * --out`, bit for bit). Every rollout starts at the origin, takes burn_in unrecorded steps, then records `steps`
 * states `thin` steps apart; the noise of rollout i depends only on (seed, i), so results are identical for any
 * threads (0: one per core) and chunk (rollouts stepped together by one worker). first_rollout k (>= 0; 0 for a
 * whole run) makes the run rollouts k ..< k + rollouts of a larger one (noise stream k + i; `--first-rollout`).
 *   pt_simulate_linear:  f(x) = B x; drift B: d x d.
 *   pt_simulate_softmax: f(x) = sum_m softmax_m(beta x^T W k_m) k_m - leak x; w: d x d, keys: M x d (one key per row).
 * diffusion D: d x d symmetric positive definite; exactly s * I gives the CLI's scalar `--diffusion s` (same bits).
 * out: (rollouts, steps, d) trajectory view (its shape must be exactly that), PT_FLOAT64 or PT_FLOAT32 (rounded to
 *   nearest, the bits of `--out --float32`), written in place, any strides. out == NULL validates only: every
 *   check above plus the memory budget of a (rollouts, steps, d) array of out_dtype, nothing runs, json_out may be
 *   NULL (else *json_out = NULL); call it so before allocating a large array.
 * json_out: required; the CLI's `simulate --json` report (final_mean, final_covariance, diffusion_matrix, seed,
 *   particle_steps, ...; seconds and particle_steps_per_second as this call measured them; no out/dtype, no
 *   provenance), released with pt_free.
 * Errors: PT_ERROR_INVALID_ARGUMENT for a null pointer or an out of the wrong shape; PT_ERROR_LIBRARY for NaN/Inf,
 * non-square or mismatched shapes, D not SPD, counts below 1 (rollouts, steps, thin, chunk) or a diverging rollout;
 * PT_ERROR_RESOURCE_LIMIT for counts beyond their limits or buffers beyond the memory budget. */
int32_t pt_simulate_linear(const void *drift, int32_t drift_dtype, int64_t drift_rows, int64_t drift_columns,
                           int64_t drift_row_stride, int64_t drift_column_stride,
                           const void *diffusion, int32_t diffusion_dtype, int64_t diffusion_rows,
                           int64_t diffusion_columns, int64_t diffusion_row_stride, int64_t diffusion_column_stride,
                           double dt, int64_t rollouts, int64_t steps, int64_t burn_in, int64_t thin, uint64_t seed,
                           int64_t threads, int64_t chunk, int64_t first_rollout,
                           void *out, int32_t out_dtype, int64_t out_rollouts, int64_t out_steps, int64_t out_d,
                           int64_t out_stride0, int64_t out_stride1, int64_t out_stride2,
                           char **json_out, char *message, int64_t message_capacity);

int32_t pt_simulate_softmax(const void *w, int32_t w_dtype, int64_t w_rows, int64_t w_columns,
                            int64_t w_row_stride, int64_t w_column_stride,
                            const void *keys, int32_t keys_dtype, int64_t keys_rows, int64_t keys_columns,
                            int64_t keys_row_stride, int64_t keys_column_stride,
                            double beta, double leak,
                            const void *diffusion, int32_t diffusion_dtype, int64_t diffusion_rows,
                            int64_t diffusion_columns, int64_t diffusion_row_stride, int64_t diffusion_column_stride,
                            double dt, int64_t rollouts, int64_t steps, int64_t burn_in, int64_t thin, uint64_t seed,
                            int64_t threads, int64_t chunk, int64_t first_rollout,
                            void *out, int32_t out_dtype, int64_t out_rollouts, int64_t out_steps, int64_t out_d,
                            int64_t out_stride0, int64_t out_stride1, int64_t out_stride2,
                            char **json_out, char *message, int64_t message_capacity);

/* Entropy production S_y(T) = KL(P-> || P<-) of the linear-Gaussian autoregressive (Kalman innovation) model, as
 * `paththermo kalman --json` (the same report, built by the library for both). Either the signal model
 * x' = A x + w, y = C x + v with w ~ N(0, Q), v ~ N(0, R) (q and r given, k and s NULL: S and K from the Riccati
 * equation) or the innovation model (k and s given, q and r NULL). An absent matrix has a NULL data pointer; its
 * other five arguments are ignored. Shapes: a n_x x n_x; c n_y x n_x; q n_x x n_x; r n_y x n_y; k n_x x n_y;
 * s n_y x n_y, symmetric positive definite (for s I pass s times the identity, as the CLI reads a scalar).
 *   horizon      T >= 1
 *   method       "dense" (innovation reversal matrix, T n_y <= 12000) or "linear" (O(T n^3) recursions)
 *   start        "zero" (h_1 = 0) or "stationary" (h_1 ~ N(0, Pi), needs a stable A)
 *   monte_carlo  0: none; N >= 2: also estimate S_y(T) from N sampled trajectories (zero start) from `seed`
 *   decompose    != 0: also the retrospective decomposition D, L, M, bound (zero start)
 * *json_out: the CLI's JSON document (keys horizon, method, start, innovation_covariance, gain,
 * entropy_production, curve, step_terms, seconds, and monte_carlo / decomposition when asked); "seconds" is the
 * library's timing of the exact computation. Release it with pt_free.
 * Errors: PT_ERROR_INVALID_ARGUMENT for an unknown method or start, NULL strings or json_out; PT_ERROR_LIBRARY for
 * a wrong combination of q, r, k, s, mismatched shapes, NaN, S not SPD, an unstable stationary start, T < 1;
 * PT_ERROR_RESOURCE_LIMIT beyond the memory budget (checked before allocation). */
int32_t pt_kalman(const void *a, int32_t a_dtype, int64_t a_rows, int64_t a_columns,
                  int64_t a_row_stride, int64_t a_column_stride,
                  const void *c, int32_t c_dtype, int64_t c_rows, int64_t c_columns,
                  int64_t c_row_stride, int64_t c_column_stride,
                  const void *q, int32_t q_dtype, int64_t q_rows, int64_t q_columns,
                  int64_t q_row_stride, int64_t q_column_stride,
                  const void *r, int32_t r_dtype, int64_t r_rows, int64_t r_columns,
                  int64_t r_row_stride, int64_t r_column_stride,
                  const void *k, int32_t k_dtype, int64_t k_rows, int64_t k_columns,
                  int64_t k_row_stride, int64_t k_column_stride,
                  const void *s, int32_t s_dtype, int64_t s_rows, int64_t s_columns,
                  int64_t s_row_stride, int64_t s_column_stride,
                  int64_t horizon, const char *method, const char *start, int64_t monte_carlo, uint64_t seed,
                  int32_t decompose, char **json_out, char *message, int64_t message_capacity);

/* A GGUF language model (llama or gpt2 architecture) with its tokenizer, loaded once: an opaque handle.
 * pt_model_open: path of the .gguf file; prefix: the neutral text conditioning both orders (NULL: the
 * <|endoftext|> token); leading_space != 0: tokenize " " + text; segmentation "tokens" (sentence blocks cut after
 * tokens ending in '.', '!' or '?') or "text" (the string rule), as `paththermo text-ep --prefix --leading-space
 * --segmentation`. *model_out receives the handle (NULL after a failure). A missing file is PT_ERROR_LIBRARY with
 * "model file ... not found: run scripts/fetch_model.sh to download it"; a file that is not a GGUF model too.
 * pt_model_free: releases a handle (NULL is a no-op). Do not use a handle after freeing it, free it twice, or free
 * it while another thread is calling pt_model_text_ep on it.
 * pt_model_text_ep: sigma = ln P(y | h0) - ln P(R y | h0) of one UTF-8 text, R the token reversal (level "token")
 * or the sentence-order reversal ("sentence"); *json_out: the document of `paththermo text-ep --text ... --json`
 * (release it with pt_free). Errors: PT_ERROR_LIBRARY for an empty text, no sentence end at the sentence level, a
 * text longer than the model's context; PT_ERROR_INVALID_ARGUMENT for an unknown level or NULL pointers.
 * Thread safety: calls on ONE handle are serialized by a lock inside the handle (a second caller waits; each pass
 * already uses every core); different handles may be used from different threads at once. */
typedef struct pt_model pt_model;
int32_t pt_model_open(const char *path, const char *prefix, int32_t leading_space, const char *segmentation,
                      pt_model **model_out, char *message, int64_t message_capacity);
void pt_model_free(pt_model *model);
int32_t pt_model_text_ep(pt_model *model, const char *text, const char *level, char **json_out,
                         char *message, int64_t message_capacity);

/* Entropy-production estimates from sampled trajectories (as `paththermo estimate --trajectories f.npy --json`):
 * the blind grid, basis and short-time TUR estimators and, given a linear model, the pathwise one.
 * trajectories: (rollouts, steps, d), float64 or float32, strides in elements (any order); a (steps, d) array is one
 *   rollout with stride0 = 0. C-order float64 (strides (s0, d, 1), rollouts not overlapping) is read in place for
 *   the duration of the call, any other layout copied once: a row with a NaN splits its rollout; +-Inf, fewer than
 *   2 steps, constant or zero-padded rollouts, a coordinate that never changes and (allow_monotone == 0) a
 *   coordinate strictly monotone along every rollout are refused (PT_ERROR_LIBRARY, the CLI's messages).
 * dt > 0: the sampling interval. method: NULL or "all" (every method that applies; one that cannot run is
 *   reported as "<method>_skipped"), "grid", "basis", "tur" or "pathwise".
 * bins: grid bins per axis, 0 = default (40; 12 for d = 3); bounds: grid half-width, 0 or NaN = the 99.95 %
 *   quantile of |x|; min_count >= 1; basis_order 1..64; grid_diffusion NULL/"constant"/"local"; grid_recipe
 *   NULL/"paper"/"corrected"; dt_extrapolation != 0: Richardson over dt and 2 dt; blocks 2..2^20 (jackknife);
 *   threads 0..4096 (0 = one per core; results do not depend on it).
 * drift, diffusion: the model B, D (d x d each, D SPD) of the pathwise estimator, or NULL data pointers for none
 *   (both or neither; required for "pathwise", included in "all" when given).
 * json_out: receives the CLI's --json document (one method's object, or for "all" an object with a key per method,
 *   "<method>_skipped" reasons and "dimension"; the detail "seconds" is the library's own time for accumulate +
 *   estimate); release it with pt_free. Errors: PT_ERROR_INVALID_ARGUMENT for options out of range,
 *   PT_ERROR_LIBRARY for rejected data or a failed method, PT_ERROR_RESOURCE_LIMIT beyond the memory budget. */
int32_t pt_estimate(const void *trajectories, int32_t dtype, int64_t rollouts, int64_t steps, int64_t d,
                    int64_t stride0, int64_t stride1, int64_t stride2,
                    double dt, const char *method, int64_t bins, double bounds, int64_t min_count,
                    int64_t basis_order, const char *grid_diffusion, const char *grid_recipe,
                    int32_t dt_extrapolation, int64_t blocks, int64_t threads, int32_t allow_monotone,
                    const void *drift, int32_t drift_dtype, int64_t drift_rows, int64_t drift_columns,
                    int64_t drift_row_stride, int64_t drift_column_stride,
                    const void *diffusion, int32_t diffusion_dtype, int64_t diffusion_rows, int64_t diffusion_columns,
                    int64_t diffusion_row_stride, int64_t diffusion_column_stride,
                    char **json_out, char *message, int64_t message_capacity);

#ifdef __cplusplus
}
#endif

#endif /* PATHTHERMO_H */
