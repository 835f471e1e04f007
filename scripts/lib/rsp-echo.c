/*
 * rsp-echo.c - the least a GDB remote server can do per packet (scripts/bench-packets.sh): one blocking
 * thread that answers every read with "$OK#9a". It sets the floor of a loopback round trip on this machine.
 *
 * Usage: rsp-echo PORT    (127.0.0.1; one connection at a time; runs until killed)
 */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: rsp-echo PORT\n");
        return 2;
    }
    int server = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1]))};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(server, (struct sockaddr *)&address, sizeof address) != 0 || listen(server, 4) != 0) {
        perror("rsp-echo: bind");
        return 1;
    }
    for (;;) {
        int client = accept(server, NULL, NULL);
        if (client < 0)
            continue;
        setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        char buffer[4096];
        while (read(client, buffer, sizeof buffer) > 0) {
            if (write(client, "$OK#9a", 6) != 6)
                break;
        }
        close(client);
    }
}
