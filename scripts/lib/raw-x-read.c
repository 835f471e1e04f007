/*
 * raw-x-read.c - reads memory with lldb's binary `x` packets over a plain socket, as fast as a client can
 * (scripts/bench-gdb.sh): in C, so that the client's own work per packet is small beside the server's.
 *
 * Usage: raw-x-read PORT ADDRESS BYTES CHUNK [--continue] [--expect FILE] [--server-pid PID]
 *   Connects to a GDB remote server on 127.0.0.1:PORT, turns acks off, optionally resumes the process (`c`, for
 *   lldb-server on a live process stopped at its entry) until it stops, then reads BYTES bytes from ADDRESS with
 *   `xADDR,CHUNK` packets, one at a time. Only sending and receiving are timed: the replies are kept as they came
 *   and unescaped afterwards, then compared with FILE. Prints one line:
 *   `RAW bytes=N ns=T mbps=R server_ns=C ok=yes|no|-`, C the on-CPU time of every thread of process PID over
 *   the reads.
 */
#include "rsp-client.h"

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: raw-x-read PORT ADDRESS BYTES CHUNK [--continue] [--expect FILE] [--server-pid PID]\n");
        return 2;
    }
    int port = atoi(argv[1]);
    unsigned long long address = strtoull(argv[2], NULL, 0);
    size_t total = strtoull(argv[3], NULL, 0), chunk = strtoull(argv[4], NULL, 0);
    int resume = 0;
    const char *expect = NULL;
    long server_pid = 0;
    for (int i = 5; i < argc; i++) {
        if (strcmp(argv[i], "--continue") == 0)
            resume = 1;
        else if (strcmp(argv[i], "--expect") == 0 && i + 1 < argc)
            expect = argv[++i];
        else if (strcmp(argv[i], "--server-pid") == 0 && i + 1 < argc)
            server_pid = strtol(argv[++i], NULL, 10);
    }
    connect_no_ack(port);
    if (resume) {
        char stop[256];
        send_packet("c");
        do /* the inferior's output comes first, in O packets */
            read_reply(stop, sizeof stop);
        while (stop[0] == 'O' && strcmp(stop, "OK") != 0);
        if (stop[0] != 'T' && stop[0] != 'S') {
            fprintf(stderr, "c: %.80s\n", stop);
            return 2;
        }
    }

    /* The replies, escaped, one after the other; an escape makes a byte two, so twice the size holds them. */
    char *replies = malloc(2 * total + 16);
    if (!replies || chunk == 0)
        fail("malloc");
    size_t replies_used = 0, read_bytes = 0;
    static struct threads cpu0, cpu1;
    struct timespec t0, t1;
    read_threads(server_pid, &cpu0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (read_bytes < total) {
        size_t want = total - read_bytes < chunk ? total - read_bytes : chunk;
        char request[64];
        snprintf(request, sizeof request, "x%llx,%zx", address + read_bytes, want);
        send_packet(request);
        size_t length;
        const char *payload = next_frame(&length);
        /* Unescaped size without unescaping: each '}' stands for one byte with the next. */
        size_t escapes = 0;
        for (const char *p = payload; (p = memchr(p, '}', length - (size_t)(p - payload))) != NULL; p++)
            escapes++;
        size_t got = length - escapes;
        if (got == 0 || (payload[0] == 'E' && length == 3) || got > want) {
            fprintf(stderr, "x at %#llx: %.20s\n", address + read_bytes, payload);
            return 2;
        }
        if (replies_used + length > 2 * total + 16) {
            fprintf(stderr, "x at %#llx: more reply bytes than asked for\n", address + read_bytes);
            return 2;
        }
        memcpy(replies + replies_used, payload, length);
        replies_used += length;
        read_bytes += got;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    read_threads(server_pid, &cpu1);

    const char *ok = "-";
    if (expect) {
        unsigned char *data = malloc(total), *want = malloc(total);
        size_t n = 0;
        for (size_t i = 0; i < replies_used && n < total; i++)
            data[n++] = replies[i] == '}' && i + 1 < replies_used ? (unsigned char)(replies[++i] ^ 0x20)
                                                                   : (unsigned char)replies[i];
        FILE *f = fopen(expect, "rb");
        size_t have = f ? fread(want, 1, total, f) : 0;
        if (f)
            fclose(f);
        ok = have == total && n == total && memcmp(data, want, total) == 0 ? "yes" : "no";
    }
    double seconds = seconds_between(&t0, &t1);
    printf("RAW bytes=%zu ns=%.0f mbps=%.1f server_ns=%llu ok=%s\n", read_bytes, seconds * 1e9,
           (double)read_bytes / seconds / 1e6, cpu_between(&cpu0, &cpu1), ok);
    return 0;
}
