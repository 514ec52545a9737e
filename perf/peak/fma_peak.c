/*
 * fp32 FMA peak of this machine: the ceiling every GFLOPS figure in the README is compared with.
 * Each thread keeps 12 independent FMA chains in flight (more than latency x pipes on Zen 3/4/5),
 * so the loop is limited by FMA throughput alone. Built twice by run-peak.sh: 256-bit (AVX2) and
 * 512-bit (AVX-512F) registers; Lanes' Vector API picks the widest species the CPU has.
 *
 * Usage: fma_peak THREADS REPS TRIPS   -> one line per repetition with GFLOPS
 */
#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(PEAK_512)
typedef __m512 vec;
#define LANES 16
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define ADD _mm512_add_ps
#define STORE _mm512_storeu_ps
#else
typedef __m256 vec;
#define LANES 8
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
#define ADD _mm256_add_ps
#define STORE _mm256_storeu_ps
#endif
#define CHAINS 12 /* c0..c11 in chains() */

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct { long trips; float sink; pthread_barrier_t *start, *end; } job;

static float chains(long trips) {
    vec a = SET1(0.9999999f), b = SET1(1e-7f);
    /* twelve named registers: an array here makes gcc -O2 keep the chains in memory */
    vec c0 = SET1(1.00f), c1 = SET1(1.01f), c2 = SET1(1.02f), c3 = SET1(1.03f);
    vec c4 = SET1(1.04f), c5 = SET1(1.05f), c6 = SET1(1.06f), c7 = SET1(1.07f);
    vec c8 = SET1(1.08f), c9 = SET1(1.09f), c10 = SET1(1.10f), c11 = SET1(1.11f);
    for (long t = 0; t < trips; t++) {
        c0 = FMA(c0, a, b); c1 = FMA(c1, a, b); c2 = FMA(c2, a, b); c3 = FMA(c3, a, b);
        c4 = FMA(c4, a, b); c5 = FMA(c5, a, b); c6 = FMA(c6, a, b); c7 = FMA(c7, a, b);
        c8 = FMA(c8, a, b); c9 = FMA(c9, a, b); c10 = FMA(c10, a, b); c11 = FMA(c11, a, b);
    }
    vec s = ADD(ADD(ADD(c0, c1), ADD(c2, c3)), ADD(ADD(c4, c5), ADD(c6, c7)));
    s = ADD(s, ADD(ADD(c8, c9), ADD(c10, c11)));
    float out[LANES], total = 0;
    STORE(out, s);
    for (int i = 0; i < LANES; i++) total += out[i];
    return total; /* printed, so the chains cannot be optimized away */
}

static void *run(void *arg) {
    job *j = arg;
    pthread_barrier_wait(j->start);
    j->sink = chains(j->trips);
    pthread_barrier_wait(j->end);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s THREADS REPS TRIPS\n", argv[0]); return 2; }
    int threads = atoi(argv[1]), reps = atoi(argv[2]);
    long trips = atol(argv[3]);
    if (threads < 1 || reps < 1 || trips < 1) { fprintf(stderr, "arguments must be >= 1\n"); return 2; }
    pthread_barrier_t start, end;
    pthread_barrier_init(&start, NULL, threads + 1);
    pthread_barrier_init(&end, NULL, threads + 1);
    pthread_t tid[threads];
    job jobs[threads];
    for (int r = 0; r < reps; r++) {
        for (int t = 0; t < threads; t++) {
            jobs[t] = (job){trips, 0, &start, &end};
            pthread_create(&tid[t], NULL, run, &jobs[t]);
        }
        pthread_barrier_wait(&start);
        double t0 = seconds();
        pthread_barrier_wait(&end);
        double t1 = seconds();
        float sink = 0;
        for (int t = 0; t < threads; t++) { pthread_join(tid[t], NULL); sink += jobs[t].sink; }
        double flops = 2.0 * LANES * CHAINS * (double)trips * threads;
        printf("bits=%d threads=%d seconds=%.4f gflops=%.2f (sink %.3g)\n", LANES * 32, threads,
               t1 - t0, flops / (t1 - t0) / 1e9, sink);
    }
    return 0;
}
