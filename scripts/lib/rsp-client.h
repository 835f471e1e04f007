/*
 * rsp-client.h - the little a benchmark client of a GDB remote server needs (scripts/lib/rsp-ping.c,
 * scripts/lib/raw-x-read.c): one connection, packets out, frames in, and the server's CPU time per thread.
 * A header of static functions: each tool is one C file, built by the bench scripts with gcc.
 */
#ifndef RSP_CLIENT_H
#define RSP_CLIENT_H

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
/* What was read and not yet taken: in[taken, in_len). Grows to hold the largest frame. */
static char *in;
static size_t in_size, in_len, taken;

static void fail(const char *what) {
    perror(what);
    exit(2);
}

/* Connects to 127.0.0.1:port with Nagle off (as gdb and lldb do) and turns acks off (QStartNoAckMode). */
static void connect_no_ack(int port);

static void send_packet(const char *payload) {
    static char *out;
    static size_t out_size;
    size_t n = strlen(payload);
    if (n + 4 > out_size) {
        out_size = n + 4;
        out = realloc(out, out_size);
        if (!out)
            fail("realloc");
    }
    unsigned sum = 0;
    out[0] = '$';
    memcpy(out + 1, payload, n);
    for (size_t i = 0; i < n; i++)
        sum += (unsigned char)payload[i];
    static const char digits[] = "0123456789abcdef";
    out[n + 1] = '#';
    out[n + 2] = digits[(sum >> 4) & 0xf];
    out[n + 3] = digits[sum & 0xf];
    for (size_t sent = 0; sent < n + 4;) {
        ssize_t w = write(sock, out + sent, n + 4 - sent);
        if (w <= 0)
            fail("write");
        sent += (size_t)w;
    }
}

/* The next `$...#xx` frame's payload, raw (still escaped, run-length encoded), and its length; acks and
 * anything before '$' are skipped. '#' is always escaped inside a payload, so the first one ends it. The
 * pointer is valid until the next call. */
static const char *next_frame(size_t *length) {
    for (;;) {
        char *start = memchr(in + taken, '$', in_len - taken);
        if (start) {
            char *hash = memchr(start, '#', in_len - (size_t)(start - in));
            if (hash && hash + 2 < in + in_len) {
                *length = (size_t)(hash - start - 1);
                taken = (size_t)(hash + 3 - in);
                return start + 1;
            }
        } else {
            taken = in_len; /* nothing but acks so far */
        }
        if (taken > 0) { /* keep only what is not taken, at the start */
            memmove(in, in + taken, in_len - taken);
            in_len -= taken;
            taken = 0;
        }
        if (in_len + (1 << 16) > in_size) {
            in_size = in_size ? 2 * in_size : 1 << 20;
            in = realloc(in, in_size);
            if (!in)
                fail("realloc");
        }
        ssize_t got = read(sock, in + in_len, in_size - in_len);
        if (got <= 0) {
            fprintf(stderr, "the server closed the connection\n");
            exit(2);
        }
        in_len += (size_t)got;
    }
}

/* The next frame's payload, run-length encoding expanded, NUL-terminated, into reply (cut at reply_size). */
static void read_reply(char *reply, size_t reply_size) {
    size_t length;
    const char *payload = next_frame(&length);
    size_t out = 0;
    for (size_t i = 0; i < length && out + 1 < reply_size; i++) {
        if (payload[i] == '*' && out > 0 && i + 1 < length) {
            /* gdbserver's run-length encoding: the previous character, (next - 29) more times */
            int repeat = (unsigned char)payload[++i] - 29;
            while (repeat-- > 0 && out + 1 < reply_size) {
                reply[out] = reply[out - 1];
                out++;
            }
        } else {
            reply[out++] = payload[i];
        }
    }
    if (reply_size > 0)
        reply[out] = 0;
}

static void connect_no_ack(int port) {
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sock = socket(AF_INET, SOCK_STREAM, 0);
    if (sock < 0 || connect(sock, (struct sockaddr *)&address, sizeof address) != 0)
        fail("connect");
    int one = 1;
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    send_packet("QStartNoAckMode");
    char reply[16];
    read_reply(reply, sizeof reply);
    if (write(sock, "+", 1) != 1) /* the ack of that reply, the last one in ack mode */
        fail("write");
    if (strcmp(reply, "OK") != 0) {
        fprintf(stderr, "QStartNoAckMode: %s\n", reply);
        exit(2);
    }
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

/* What the threads ran between two readings: a thread that ended in between is lost (the threads that answer a
 * connection live as long as it), one that started counts from zero. Never negative. */
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
        if (after->ns[i] > start)
            total += after->ns[i] - start;
    }
    return total;
}

static double seconds_between(const struct timespec *t0, const struct timespec *t1) {
    return (double)(t1->tv_sec - t0->tv_sec) + (double)(t1->tv_nsec - t0->tv_nsec) / 1e9;
}

#endif
