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
#include "rsp-client.h"

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
    connect_no_ack(atoi(argv[1]));
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
        size_t length;
        const char *reply = next_frame(&length);
        if (length == 0 || (length == 3 && reply[0] == 'E'))
            errors++;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    read_threads(server_pid, &cpu1);
    long timed = count - untimed;
    printf("PING packets=%ld us_per_roundtrip=%.2f server_us_per_packet=%.2f errors=%ld\n", timed,
           seconds_between(&t0, &t1) * 1e6 / (double)timed,
           (double)cpu_between(&cpu0, &cpu1) / 1e3 / (double)timed, errors);
    return 0;
}
