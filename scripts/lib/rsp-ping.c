/*
 * rsp-ping.c - times small GDB remote packets over loopback with a client that costs next to nothing
 * (scripts/bench-packets.sh), so that what is measured is the server: its answer and its wake-ups.
 *
 * Usage: rsp-ping [--server-pid PID] PORT COUNT PAYLOAD...
 *   Connects to 127.0.0.1:PORT, turns acks off (QStartNoAckMode), asks `?` and takes the stack pointer from
 *   the stop reply (register 07), then sends COUNT packets, cycling over the PAYLOADs, each after the reply
 *   to the one before. "$SP" in a payload becomes the stack pointer in hex. The first tenth is not timed.
 *   Prints one line: `PING packets=N us_per_roundtrip=T server_us_per_packet=C errors=E`: C the on-CPU time of
 *   every thread of process PID over the timed packets (0 without --server-pid), E the replies that were an
 *   error (`E..`) or empty (not supported), so that a server refusing a packet is not timed answering it.
 *   A server that answers every packet with "OK" (rsp-echo, bench-packets.sh's Netty echo) gives no stack
 *   pointer: "$SP" is then 0.
 */
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int sock;
static char in[1 << 16];
static size_t in_len;

static void fail(const char *what) {
    perror(what);
    exit(2);
}

static void send_packet(const char *payload) {
    char out[4096];
    unsigned sum = 0;
    size_t n = strlen(payload);
    if (n + 4 > sizeof out) {
        fprintf(stderr, "rsp-ping: payload too long\n");
        exit(2);
    }
    out[0] = '$';
    memcpy(out + 1, payload, n);
    for (size_t i = 0; i < n; i++)
        sum += (unsigned char)payload[i];
    snprintf(out + 1 + n, 4, "#%02x", sum & 0xff);
    if (write(sock, out, n + 4) != (ssize_t)(n + 4))
        fail("write");
}

/* Reads until one whole `$...#xx` frame has arrived (acks and anything before '$' are skipped); copies its
 * payload, run-length encoding expanded and NUL-terminated, to reply when reply is not NULL. */
static void read_reply(char *reply, size_t reply_size) {
    for (;;) {
        char *start = memchr(in, '$', in_len);
        if (start) {
            char *hash = memchr(start, '#', in_len - (size_t)(start - in));
            if (hash && hash + 2 < in + in_len) {
                if (reply) {
                    size_t out = 0;
                    for (char *c = start + 1; c < hash && out + 1 < reply_size; c++) {
                        if (*c == '*' && out > 0 && c + 1 < hash) {
                            /* gdbserver's run-length encoding: the previous character, (next - 29) more times */
                            int repeat = (unsigned char)*++c - 29;
                            while (repeat-- > 0 && out + 1 < reply_size)
                                reply[out] = reply[out - 1], out++;
                        } else {
                            reply[out++] = *c;
                        }
                    }
                    reply[out] = 0;
                }
                size_t used = (size_t)(hash + 3 - in);
                memmove(in, in + used, in_len - used);
                in_len -= used;
                return;
            }
        }
        if (in_len == sizeof in)
            in_len = 0; /* a reply longer than the buffer: only its end matters */
        ssize_t got = read(sock, in + in_len, sizeof in - in_len);
        if (got <= 0) {
            fprintf(stderr, "rsp-ping: the server closed the connection\n");
            exit(2);
        }
        in_len += (size_t)got;
    }
}

/* The stack pointer from a stop reply's "07:" field (8 bytes, little-endian hex), or 0. */
static unsigned long long stack_pointer(const char *stop) {
    const char *field = strstr(stop, ";07:");
    if (!field)
        return 0;
    field += 4;
    unsigned long long value = 0;
    for (int byte = 0; byte < 8; byte++) {
        unsigned v;
        if (sscanf(field + 2 * byte, "%2x", &v) != 1)
            return 0;
        value |= (unsigned long long)v << (8 * byte);
    }
    return value;
}

/* The on-CPU nanoseconds of each thread of a process (the first field of its schedstat). */
#define MAX_THREADS 4096
struct threads {
    int count;
    long tid[MAX_THREADS];
    unsigned long long ns[MAX_THREADS];
};

static void read_threads(long pid, struct threads *t) {
    t->count = 0;
    if (pid <= 0)
        return;
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/task", pid);
    DIR *tasks = opendir(path);
    if (!tasks)
        return;
    struct dirent *task;
    while ((task = readdir(tasks)) != NULL && t->count < MAX_THREADS) {
        long tid = strtol(task->d_name, NULL, 10);
        if (tid <= 0)
            continue;
        char stat_path[96];
        snprintf(stat_path, sizeof stat_path, "/proc/%ld/task/%ld/schedstat", pid, tid);
        FILE *f = fopen(stat_path, "r");
        unsigned long long ns;
        if (f && fscanf(f, "%llu", &ns) == 1) {
            t->tid[t->count] = tid;
            t->ns[t->count++] = ns;
        }
        if (f)
            fclose(f);
    }
    closedir(tasks);
}

/* What the threads ran between two readings: a thread that ended in between is lost (the packets' own threads
 * live as long as the connection), one that started counts from zero. */
static unsigned long long cpu_between(const struct threads *before, const struct threads *after) {
    unsigned long long total = 0;
    for (int i = 0; i < after->count; i++) {
        unsigned long long start = 0;
        for (int j = 0; j < before->count; j++) {
            if (before->tid[j] == after->tid[i]) {
                start = before->ns[j];
                break;
            }
        }
        total += after->ns[i] - start;
    }
    return total;
}

int main(int argc, char **argv) {
    long server_pid = 0;
    if (argc > 2 && strcmp(argv[1], "--server-pid") == 0) {
        server_pid = strtol(argv[2], NULL, 10);
        argv += 2;
        argc -= 2;
    }
    if (argc < 4) {
        fprintf(stderr, "usage: rsp-ping [--server-pid PID] PORT COUNT PAYLOAD...\n");
        return 2;
    }
    long count = strtol(argv[2], NULL, 10);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1]))};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sock = socket(AF_INET, SOCK_STREAM, 0);
    if (sock < 0 || connect(sock, (struct sockaddr *)&address, sizeof address) != 0)
        fail("connect");
    int one = 1;
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    send_packet("QStartNoAckMode");
    read_reply(NULL, 0);
    if (write(sock, "+", 1) != 1) /* the ack of that reply, the last one in ack mode */
        fail("write");
    char stop[4096];
    send_packet("?");
    read_reply(stop, sizeof stop);
    char sp[32];
    snprintf(sp, sizeof sp, "%llx", stack_pointer(stop));

    int kinds = argc - 3;
    char **payloads = calloc((size_t)kinds, sizeof *payloads);
    for (int k = 0; k < kinds; k++) {
        const char *p = argv[3 + k];
        const char *mark = strstr(p, "$SP");
        payloads[k] = malloc(strlen(p) + sizeof sp);
        if (mark)
            sprintf(payloads[k], "%.*s%s%s", (int)(mark - p), p, sp, mark + 3);
        else
            strcpy(payloads[k], p);
    }

    struct timespec t0 = {0}, t1;
    static struct threads cpu0, cpu1;
    long untimed = count / 10;
    long errors = 0;
    for (long i = 0; i < count; i++) {
        if (i == untimed) {
            read_threads(server_pid, &cpu0);
            clock_gettime(CLOCK_MONOTONIC, &t0);
        }
        send_packet(payloads[i % kinds]);
        char head[4];
        read_reply(head, sizeof head);
        if (head[0] == 0 || (head[0] == 'E' && head[1] != 0 && head[2] != 0 && head[3] == 0))
            errors++;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    read_threads(server_pid, &cpu1);
    double us = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / 1e3;
    long timed = count - untimed;
    printf("PING packets=%ld us_per_roundtrip=%.2f server_us_per_packet=%.2f errors=%ld\n", timed, us / (double)timed,
           (double)cpu_between(&cpu0, &cpu1) / 1e3 / (double)timed, errors);
    return 0;
}
