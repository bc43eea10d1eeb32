/*
 * udp_pingpong: the raw UDP round-trip rate on loopback, the physical limit an Rx
 * implementation is measured against (bench/run-bench.sh).  No Rx, no OpenAFS.
 *
 *   udp_pingpong server -p PORT [-a ADDR]
 *       echoes every datagram back to its sender, one recvfrom and one sendto each,
 *       until SIGTERM / SIGINT; prints "listening on udp ADDR:PORT" once bound.
 *   udp_pingpong client -p PORT [-a ADDR] [-c OUTSTANDING] [-s BYTES] [-d SECONDS]
 *       one connected socket; keeps OUTSTANDING datagrams of BYTES (default 4) in
 *       flight: sends OUTSTANDING, then one more for every echo received, for SECONDS
 *       (default 5).  Prints one machine-parsed line on stdout:
 *       PINGPONG outstanding=<n> bytes=<n> round_trips=<n> seconds=<f> round_trips_per_sec=<f>
 *       Exit status 0 iff no echo went missing (a receive waits at most 1 s).
 *
 * Both ends make one system call per datagram (no recvmmsg/sendmmsg), as a plain
 * single-threaded UDP server would.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_DATAGRAM 65507

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(const char *prog)
{
    fprintf(stderr,
            "usage: %s server -p PORT [-a ADDR]\n"
            "       %s client -p PORT [-a ADDR] [-c OUTSTANDING] [-s BYTES] [-d SECONDS]\n",
            prog, prog);
    exit(2);
}

static int run_server(int fd)
{
    static unsigned char buf[MAX_DATAGRAM];
    struct sigaction sa;

    /* no SA_RESTART: a signal must interrupt the blocking recvfrom so the loop can end */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    while (!stop_requested) {
        struct sockaddr_in from;
        socklen_t fromlen = sizeof(from);
        ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("udp_pingpong: recvfrom");
            return 1;
        }
        if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fromlen) < 0 && errno != EINTR)
            perror("udp_pingpong: sendto");
    }
    return 0;
}

static int run_client(int fd, const struct sockaddr_in *server, int outstanding, int bytes, double seconds)
{
    static unsigned char buf[MAX_DATAGRAM];
    struct timeval wait_max = { 1, 0 };
    long long round_trips = 0;
    double start, deadline, end;
    int i;

    if (connect(fd, (const struct sockaddr *)server, sizeof(*server)) < 0) {
        perror("udp_pingpong: connect");
        return 1;
    }
    /* bounded: a lost echo ends the run with an error instead of hanging it */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait_max, sizeof(wait_max));

    start = now_sec();
    deadline = start + seconds;
    for (i = 0; i < outstanding; i++) {
        if (send(fd, buf, (size_t)bytes, 0) < 0) {
            perror("udp_pingpong: send");
            return 1;
        }
    }
    for (;;) {
        if (recv(fd, buf, sizeof(buf), 0) < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "udp_pingpong: no echo within 1 s (%s) after %lld round trips\n",
                    strerror(errno), round_trips);
            return 1;
        }
        round_trips++;
        if (now_sec() >= deadline)
            break;
        if (send(fd, buf, (size_t)bytes, 0) < 0) {
            perror("udp_pingpong: send");
            return 1;
        }
    }
    end = now_sec();
    printf("PINGPONG outstanding=%d bytes=%d round_trips=%lld seconds=%.3f round_trips_per_sec=%.1f\n",
           outstanding, bytes, round_trips, end - start, round_trips / (end - start));
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    const char *addr = "127.0.0.1";
    int port = 0, outstanding = 1, bytes = 4, ch, fd, is_server;
    double seconds = 5;
    struct sockaddr_in sin;

    if (argc < 2)
        usage(argv[0]);
    if (strcmp(argv[1], "server") == 0)
        is_server = 1;
    else if (strcmp(argv[1], "client") == 0)
        is_server = 0;
    else
        usage(argv[0]);
    optind = 2;
    while ((ch = getopt(argc, argv, "p:a:c:s:d:")) != -1) {
        switch (ch) {
        case 'p': port = atoi(optarg); break;
        case 'a': addr = optarg; break;
        case 'c': outstanding = atoi(optarg); break;
        case 's': bytes = atoi(optarg); break;
        case 'd': seconds = atof(optarg); break;
        default: usage(argv[0]);
        }
    }
    if (optind != argc || port <= 0 || port > 65535 || outstanding < 1 || bytes < 1 || bytes > MAX_DATAGRAM
        || seconds <= 0)
        usage(argv[0]);

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
        fprintf(stderr, "udp_pingpong: not an IPv4 address: %s\n", addr);
        return 2;
    }
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) {
        perror("udp_pingpong: socket");
        return 1;
    }
    if (is_server) {
        if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
            perror("udp_pingpong: bind");
            return 1;
        }
        printf("listening on udp %s:%d\n", addr, port);
        fflush(stdout);
        return run_server(fd);
    }
    return run_client(fd, &sin, outstanding, bytes, seconds);
}
