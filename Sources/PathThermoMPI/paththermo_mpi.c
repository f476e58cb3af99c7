/*
 * paththermo-mpi: runs a shardable `paththermo` command across the ranks of an MPI job and writes and prints what
 * one `paththermo` run does, bit for bit (issue 19; docs/scaling.md).
 *
 *   mpirun -np N paththermo-mpi [--paththermo PATH] measure|estimate <its options> [--json] [--save-state F]
 *   mpirun -np N paththermo-mpi [--paththermo PATH] figure1|figure2|figure-spin|text-compare|text-sample-ep|
 *                               text-fluctuation <options> [--out DIR] [--json] [--no-plot]
 *   mpirun -np N paththermo-mpi [--paththermo PATH] text-ep|ar-ep <options> [--out DIR] [--json]
 *
 * Rank r of N runs `paththermo <command> <options> --shard r/N` with a node-local temporary output: for measure and
 * estimate `--save-state <temp file>` (the part of the rollouts that `--shard` defines; the state is the estimators'
 * partial sums, docs/theory/reproducibility.md), for the sweeps `--out <temp folder>`, where the shard writes
 * `<command>.part` (its units: Figure 1's runs, ω values, spin-fidelity cells, texts, sampled texts, (τ, text) pairs,
 * blocks of 64 trajectories). The ranks send
 * rank 0 these bytes in one MPI_Gatherv (communication proportional to the state or part size, never to the data),
 * and rank 0 runs `paththermo merge` on them (with `--json`, `--save-state F`, or for a sweep `--out DIR` and
 * `--no-plot`), whose output is the one-run output. This file is only the launcher and the one collective: all the
 * numerics are paththermo's.
 *
 * Failures: a rank whose paththermo fails (bad options, a diverging run, a signal) sends rank 0 its one-line error
 * instead of a state; rank 0 prints "paththermo-mpi: error: rank r: <the error>" for the lowest such rank and every
 * rank exits 1. A rank that dies itself (its paththermo-mpi process killed) is mpirun's to report: Open MPI aborts the
 * job and exits non-zero.
 */
#include <errno.h>
#include <fcntl.h>
#include <mpi.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define MESSAGE_BYTES 1024

/* Runs argv with stdout to `out` (NULL: inherited) and stderr to a file; returns the exit status (128 + signal for
 * a signal, 127 when it cannot start) and leaves the first line of stderr in `message`. */
static int run(char *const argv[], const char *out, const char *err_path, char message[MESSAGE_BYTES]) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (out) posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid;
    int status = 127;
    message[0] = 0;
    if (posix_spawn(&pid, argv[0], &actions, NULL, argv, environ) != 0) {
        snprintf(message, MESSAGE_BYTES, "cannot start %s: %s", argv[0], strerror(errno));
    } else if (waitpid(pid, &status, 0) < 0) {
        snprintf(message, MESSAGE_BYTES, "lost %s: %s", argv[0], strerror(errno));
        status = 127;
    } else {
        status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        FILE *f = fopen(err_path, "r");
        if (f) {
            if (!fgets(message, MESSAGE_BYTES, f)) message[0] = 0;
            fclose(f);
            message[strcspn(message, "\n")] = 0;
        }
        if (status >= 128 && message[0] == 0) snprintf(message, MESSAGE_BYTES, "paththermo killed by signal %d", status - 128);
    }
    posix_spawn_file_actions_destroy(&actions);
    return status;
}

static int read_file(const char *path, char **bytes, long long *length) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    struct stat st;
    if (fstat(fileno(f), &st) != 0) { fclose(f); return -1; }
    *length = (long long)st.st_size;
    *bytes = malloc(*length > 0 ? (size_t)*length : 1);
    if (!*bytes || fread(*bytes, 1, (size_t)*length, f) != (size_t)*length) { fclose(f); return -1; }
    fclose(f);
    return 0;
}

static void fail_all(int rank, const char *why) {
    if (rank == 0) fprintf(stderr, "paththermo-mpi: error: %s\n", why);
    MPI_Finalize();
    exit(1);
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);

    /* Arguments: [--paththermo PATH] command options…; --json and --save-state F go to the merge. */
    const char *paththermo = getenv("PATHTHERMO");
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "--paththermo") == 0) { paththermo = argv[2]; first = 3; }
    if (!paththermo) paththermo = "paththermo";
    static const char *usage = "usage: paththermo-mpi [--paththermo PATH] "
                               "measure|estimate|figure1|figure2|figure-spin|text-compare|text-sample-ep|text-fluctuation|"
                               "text-ep|ar-ep <options> "
                               "(see docs/scaling.md)";
    if (first >= argc) fail_all(rank, usage);
    const char *command = argv[first];
    /* A sweep exchanges its <command>.part; measure and estimate their estimator state. */
    /* text-ep and ar-ep print their result (files only with --out) and draw no figure: no --no-plot for them. */
    int printed = strcmp(command, "text-ep") == 0 || strcmp(command, "ar-ep") == 0;
    int sweep = printed || strcmp(command, "figure1") == 0 || strcmp(command, "figure2") == 0 ||
                strcmp(command, "figure-spin") == 0 || strcmp(command, "text-compare") == 0 ||
                strcmp(command, "text-sample-ep") == 0 || strcmp(command, "text-fluctuation") == 0;
    if (!sweep && strcmp(command, "measure") != 0 && strcmp(command, "estimate") != 0) fail_all(rank, usage);
    int json = 0, no_plot = 0;
    const char *merged_state = NULL, *merged_out = NULL;
    char **child = calloc((size_t)argc + 8, sizeof(char *));
    int n = 0;
    char resolved[4096];
    if (strchr(paththermo, '/') == NULL) {
        /* posix_spawn needs a path: look the name up on PATH. */
        const char *path = getenv("PATH");
        resolved[0] = 0;
        for (const char *p = path ? path : ""; *p;) {
            size_t len = strcspn(p, ":");
            snprintf(resolved, sizeof resolved, "%.*s/%s", (int)len, p, paththermo);
            if (access(resolved, X_OK) == 0) break;
            resolved[0] = 0;
            p += len + (p[len] == ':');
        }
        if (!resolved[0]) fail_all(rank, "paththermo not found on PATH (give --paththermo PATH or PATHTHERMO)");
        paththermo = resolved;
    }
    child[n++] = (char *)paththermo;
    for (int i = first; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) { json = 1; continue; }
        if (!sweep && strcmp(argv[i], "--save-state") == 0 && i + 1 < argc) { merged_state = argv[++i]; continue; }
        if (!sweep && strncmp(argv[i], "--save-state=", 13) == 0) { merged_state = argv[i] + 13; continue; }
        /* --output: text-sample-ep's deprecated spelling of --out. */
        if (sweep && (strcmp(argv[i], "--out") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc) {
            merged_out = argv[++i];
            continue;
        }
        if (sweep && strncmp(argv[i], "--out=", 6) == 0) { merged_out = argv[i] + 6; continue; }
        if (sweep && strncmp(argv[i], "--output=", 9) == 0) { merged_out = argv[i] + 9; continue; }
        if (sweep && !printed && strcmp(argv[i], "--no-plot") == 0) { no_plot = 1; continue; }
        if (strcmp(argv[i], "--shard") == 0 || strncmp(argv[i], "--shard=", 8) == 0)
            fail_all(rank, "--shard is set by paththermo-mpi (rank/size); drop it");
        if (strcmp(argv[i], "--resume") == 0)
            fail_all(rank, "--resume is not available under paththermo-mpi (the ranks' parts are temporary); "
                           "continue a sharded run with 'paththermo <command> --shard i/n --resume' (docs/scaling.md)");
        child[n++] = argv[i];
    }

    char dir[] = "/tmp/paththermo-mpi-XXXXXX";
    if (!mkdtemp(dir)) fail_all(rank, "cannot create a temporary folder in /tmp");
    char shard[64], state[512], err[256], out[256], part_dir[256];
    snprintf(shard, sizeof shard, "%d/%d", rank, size);
    snprintf(err, sizeof err, "%s/stderr", dir);
    snprintf(out, sizeof out, "%s/stdout", dir);
    snprintf(part_dir, sizeof part_dir, "%s/rank-%d", dir, rank);
    child[n++] = "--shard"; child[n++] = shard;
    if (sweep) {
        snprintf(state, sizeof state, "%s/%s.part", part_dir, command);
        child[n++] = "--out"; child[n++] = part_dir;
        if (!printed) child[n++] = "--no-plot";
    } else {
        snprintf(state, sizeof state, "%s/rank-%d.state", dir, rank);
        child[n++] = "--save-state"; child[n++] = state;
    }
    child[n] = NULL;

    char message[MESSAGE_BYTES];
    int status = run(child, out, err, message);
    char *bytes = NULL;
    long long length = 0;
    if (status == 0 && read_file(state, &bytes, &length) != 0) {
        status = 1;
        snprintf(message, MESSAGE_BYTES, "cannot read its state %s", state);
    }
    if (status != 0 || length > INT32_MAX) {
        if (status == 0) snprintf(message, MESSAGE_BYTES, "its state of %lld bytes exceeds one message (2^31 bytes)", length);
        free(bytes); bytes = NULL; length = 0;
        if (status == 0) status = 1;
    }

    /* One collective for the outcome (status + message), one for the states. */
    char *messages = rank == 0 ? malloc((size_t)size * MESSAGE_BYTES) : NULL;
    int *statuses = rank == 0 ? malloc((size_t)size * sizeof(int)) : NULL;
    int *lengths = rank == 0 ? malloc((size_t)size * sizeof(int)) : NULL;
    int mine = (int)length;
    if (MPI_Gather(&status, 1, MPI_INT, statuses, 1, MPI_INT, 0, MPI_COMM_WORLD) != MPI_SUCCESS ||
        MPI_Gather(message, MESSAGE_BYTES, MPI_CHAR, messages, MESSAGE_BYTES, MPI_CHAR, 0, MPI_COMM_WORLD) != MPI_SUCCESS ||
        MPI_Gather(&mine, 1, MPI_INT, lengths, 1, MPI_INT, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
        fail_all(rank, "the gather of the ranks' outcomes failed");
    int *offsets = NULL;
    char *all = NULL;
    long long total = 0;
    int failed = -1;
    if (rank == 0) {
        offsets = malloc((size_t)size * sizeof(int));
        for (int r = 0; r < size; r++) {
            if (statuses[r] != 0 && failed < 0) failed = r;
            offsets[r] = (int)total;
            total += lengths[r];
        }
        if (total > INT32_MAX) failed = failed < 0 ? -2 : failed;
        all = malloc(total > 0 ? (size_t)total : 1);
    }
    MPI_Bcast(&failed, 1, MPI_INT, 0, MPI_COMM_WORLD);
    int exit_status = 0;
    if (failed == -1) {
        if (MPI_Gatherv(bytes, mine, MPI_CHAR, all, lengths, offsets, MPI_CHAR, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
            fail_all(rank, "the gather of the states failed");
        if (rank == 0) {
            /* Rank 0 writes the states into its own folder and merges them. */
            char **merge = calloc((size_t)size + 12, sizeof(char *));
            int m = 0;
            merge[m++] = (char *)paththermo; merge[m++] = "merge";
            for (int r = 0; r < size; r++) {
                char *path = malloc(256);
                snprintf(path, 256, "%s/part-%d.%s", dir, r, sweep ? "part" : "state");
                FILE *f = fopen(path, "wb");
                if (!f || fwrite(all + offsets[r], 1, (size_t)lengths[r], f) != (size_t)lengths[r]) fail_all(rank, "cannot write a state to /tmp");
                fclose(f);
                merge[m++] = path;
            }
            if (json) merge[m++] = "--json";
            if (merged_state) { merge[m++] = "--save-state"; merge[m++] = (char *)merged_state; }
            if (merged_out) { merge[m++] = "--out"; merge[m++] = (char *)merged_out; }
            if (no_plot) merge[m++] = "--no-plot";
            merge[m] = NULL;
            fflush(stdout);
            exit_status = run(merge, NULL, err, message);
            if (exit_status != 0) fprintf(stderr, "paththermo-mpi: error: merge: %s\n", message);
            for (int r = 0; r < size; r++) { unlink(merge[2 + r]); free(merge[2 + r]); }
            free(merge);
        }
    } else {
        if (rank == 0) {
            if (failed == -2) fprintf(stderr, "paththermo-mpi: error: the states exceed one gather (2^31 bytes)\n");
            else {
                const char *why = messages + (size_t)failed * MESSAGE_BYTES;
                /* paththermo's own line starts "paththermo: error: "; keep only the message. */
                const char *prefix = "paththermo: error: ";
                if (strncmp(why, prefix, strlen(prefix)) == 0) why += strlen(prefix);
                fprintf(stderr, "paththermo-mpi: error: rank %d: %s\n", failed, why[0] ? why : "failed");
            }
        }
        exit_status = 1;
    }
    MPI_Bcast(&exit_status, 1, MPI_INT, 0, MPI_COMM_WORLD);
    unlink(state); unlink(err); unlink(out); rmdir(part_dir); rmdir(dir);
    free(bytes); free(all); free(offsets); free(messages); free(statuses); free(lengths); free(child);
    MPI_Finalize();
    return exit_status;
}
