/*
 * rxperf_server: an rxperf-protocol server (service 147) built on the OpenAFS
 * rx library (pthread flavour, Debian libopenafs-dev).  It is a real OpenAFS
 * peer for the rxrpc interop tests and benchmarks.
 *
 * Protocol (see docs/rx-protocol.md section 10): XDR request words
 *   version (3), op, rsize, wsize, then
 *   op 0 SEND: N        client sends N bytes, server replies cookie 0x00004711
 *   op 1 RECV: N        server replies N bytes then the cookie
 *   op 3 RPC:  S, R     client sends S bytes, server replies R bytes then the cookie
 * Bad version -> abort -1, unknown op (including 4 FILE) -> abort RXGEN_OPCODE
 * (-455), short/negative header fields -> abort RXGEN_SS_UNMARSHAL (-453),
 * payload mismatch with -V -> abort 1000.
 *
 * Payload byte i (counted from the first payload byte) is (unsigned char)(i % 251).
 *
 * With -k DIR it serves rxkad only (index 2), with the keys of a server configuration folder and the
 * minimum level of -S (rxperf_security.c).
 *
 * Build: gcc -O2 -Wall -DAFS_PTHREAD_ENV rxperf_server.c rxperf_security.c -lafsauthent -lafsrpc -lpthread
 */
#include <afs/param.h>
#include <rx/rx.h>
#include <rx/rx_null.h>
#include <rx/rx_globals.h>
#include "rxperf_security.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RXPERF_SERVICE   147
#define RXPERF_VERSION   3
#define RXPERF_COOKIE    0x00004711
#define OP_SEND          0
#define OP_RECV          1
#define OP_RPC           3

#define ABORT_BAD_VERSION   (-1)
#define ABORT_OPCODE        (-455)	/* RXGEN_OPCODE */
#define ABORT_UNMARSHAL     (-453)	/* RXGEN_SS_UNMARSHAL */
#define ABORT_MISMATCH      1000

#define PATTERN_MOD  251
#define CHUNK        (64 * 1024)

/* pattern[k] = k % 251, long enough that pattern + (off % 251) covers CHUNK bytes */
static unsigned char pattern[CHUNK + PATTERN_MOD];

static int opt_verify = 0;
static int opt_quiet = 0;
static int opt_corrupt = 0;	/* -x: flip the reply payload byte at offset len/2 */

static unsigned long n_calls = 0, n_errors = 0;	/* updated atomically */
static unsigned long n_by_level[4];	/* calls by security: null, rxkad clear, auth, crypt */
static pthread_key_t buf_key;

static void
pattern_init(void)
{
    size_t k;
    for (k = 0; k < sizeof(pattern); k++)
	pattern[k] = (unsigned char)(k % PATTERN_MOD);
}

static char *
thread_buf(void)
{
    char *b = pthread_getspecific(buf_key);
    if (b == NULL) {
	b = malloc(CHUNK);
	if (b == NULL) {
	    perror("malloc");
	    exit(1);
	}
	pthread_setspecific(buf_key, b);
    }
    return b;
}

/* Error to abort with after a failed rx_Read/rx_Write: the call's own error if it has one. */
static afs_int32
call_error_or(struct rx_call *call, afs_int32 dflt)
{
    int e = rx_Error(call);
    return e ? e : dflt;
}

static int
read_words(struct rx_call *call, afs_int32 *w, int n)
{
    int i;
    if (rx_Read(call, (char *)w, 4 * n) != 4 * n)
	return -1;
    for (i = 0; i < n; i++)
	w[i] = (afs_int32)ntohl((afs_uint32)w[i]);
    return 0;
}

/* Read `len` payload bytes in chunks; with -V compare them to the pattern. */
static afs_int32
read_payload(struct rx_call *call, afs_int32 len)
{
    char *buf = thread_buf();
    long long off = 0;

    while (off < len) {
	int want = (len - off > CHUNK) ? CHUNK : (int)(len - off);
	int got = rx_Read(call, buf, want);
	if (got != want) {
	    if (!opt_quiet)
		fprintf(stderr, "rxperf_server: short read: %lld of %d payload bytes (call error %d)\n",
			off + (got > 0 ? got : 0), len, rx_Error(call));
	    return call_error_or(call, ABORT_UNMARSHAL);
	}
	if (opt_verify
	    && memcmp(buf, pattern + (off % PATTERN_MOD), want) != 0) {
	    int i;
	    for (i = 0; i < want; i++) {
		unsigned char exp = (unsigned char)((off + i) % PATTERN_MOD);
		if ((unsigned char)buf[i] != exp) {
		    fprintf(stderr,
			    "rxperf_server: payload mismatch at offset %lld: got 0x%02x expected 0x%02x; aborting call with %d\n",
			    off + i, (unsigned char)buf[i], exp, ABORT_MISMATCH);
		    break;
		}
	    }
	    return ABORT_MISMATCH;
	}
	off += want;
    }
    return 0;
}

/* Write `len` pattern bytes in chunks. */
static afs_int32
write_payload(struct rx_call *call, afs_int32 len)
{
    long long off = 0, bad = opt_corrupt ? len / 2 : -1;

    while (off < len) {
	int n = (len - off > CHUNK) ? CHUNK : (int)(len - off);
	const char *src = (const char *)pattern + (off % PATTERN_MOD);
	char *tmp = NULL;
	if (bad >= off && bad < off + n) {	/* -x: negative test of the peer's verification */
	    tmp = thread_buf();
	    memcpy(tmp, src, n);
	    tmp[bad - off] ^= 0x5a;
	    src = tmp;
	}
	if (rx_Write(call, (char *)src, n) != n)
	    return call_error_or(call, RX_CALL_DEAD);
	off += n;
    }
    return 0;
}

static afs_int32
write_cookie(struct rx_call *call)
{
    afs_int32 c = (afs_int32)htonl(RXPERF_COOKIE);
    if (rx_Write(call, (char *)&c, 4) != 4)
	return call_error_or(call, RX_CALL_DEAD);
    return 0;
}

static afs_int32
serve(struct rx_call *call)
{
    afs_int32 w[3];
    afs_int32 code;

    if (read_words(call, w, 1) != 0)
	return call_error_or(call, ABORT_UNMARSHAL);
    if (w[0] != RXPERF_VERSION) {
	if (!opt_quiet)
	    fprintf(stderr, "rxperf_server: bad version %d, aborting with %d\n", w[0], ABORT_BAD_VERSION);
	return ABORT_BAD_VERSION;
    }
    /* op, rsize, wsize (rsize/wsize are ignored: we always use 64 KiB chunks) */
    if (read_words(call, w, 3) != 0)
	return call_error_or(call, ABORT_UNMARSHAL);

    switch (w[0]) {
    case OP_SEND:
	if (read_words(call, w, 1) != 0)
	    return call_error_or(call, ABORT_UNMARSHAL);
	if (w[0] < 0)
	    return ABORT_UNMARSHAL;
	if ((code = read_payload(call, w[0])) != 0)
	    return code;
	return write_cookie(call);

    case OP_RECV:
	if (read_words(call, w, 1) != 0)
	    return call_error_or(call, ABORT_UNMARSHAL);
	if (w[0] < 0)
	    return ABORT_UNMARSHAL;
	if ((code = write_payload(call, w[0])) != 0)
	    return code;
	return write_cookie(call);

    case OP_RPC:
	if (read_words(call, w, 2) != 0)
	    return call_error_or(call, ABORT_UNMARSHAL);
	if (w[0] < 0 || w[1] < 0)
	    return ABORT_UNMARSHAL;
	if ((code = read_payload(call, w[0])) != 0)
	    return code;
	if ((code = write_payload(call, w[1])) != 0)
	    return code;
	return write_cookie(call);

    default:
	if (!opt_quiet)
	    fprintf(stderr, "rxperf_server: unknown op %d, aborting with %d\n", w[0], ABORT_OPCODE);
	return ABORT_OPCODE;
    }
}

static afs_int32
execute_request(struct rx_call *call)
{
    afs_int32 code = serve(call);
    __atomic_add_fetch(&n_calls, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&n_by_level[rxperf_call_level(call) + 1], 1, __ATOMIC_RELAXED);
    if (code)
	__atomic_add_fetch(&n_errors, 1, __ATOMIC_RELAXED);
    return code;		/* non-zero: rx ends the call with ABORT <code> */
}

static void
usage(const char *prog)
{
    fprintf(stderr,
	    "usage: %s [-p PORT] [-a BINDADDR] [-t MAXTHREADS] [-u UDPBUF_KIB] [-V] [-R] [-q] [-x]\n"
	    "          [-k CONFIGDIR [-S MINLEVEL]]\n"
	    "  -p PORT      UDP port (default 7009)\n"
	    "  -a ADDR      local address to bind (default 127.0.0.1; 0.0.0.0 = any)\n"
	    "  -t N         max server threads = concurrent calls (default 64)\n"
	    "  -u KIB       UDP socket buffer size in KiB (default: library default, 64)\n"
	    "  -V           verify incoming payload bytes (i %% 251); abort 1000 on mismatch\n"
	    "  -R           disable the reachability check (real rxperf enables it)\n"
	    "  -q           quiet: do not log per-call errors (mismatches are always logged)\n"
	    "  -x           negative test: flip the reply payload byte at offset len/2\n"
	    "  -k DIR       rxkad only (security index 2), keys from DIR/KeyFile (a server config folder)\n"
	    "  -S LEVEL     rxkad minimum level: clear, auth or crypt (default clear)\n",
	    prog);
    exit(2);
}

int
main(int argc, char **argv)
{
    int port = 7009, maxprocs = 64, udpkib = 0, checkreach = 1;
    const char *bindaddr = "127.0.0.1", *keydir = NULL;
    int min_level = -1, nclasses;
    struct in_addr host;
    struct rx_securityClass **secobj;
    struct rx_service *service;
    sigset_t sigs;
    int ch, sig;

    while ((ch = getopt(argc, argv, "p:a:t:u:VRqxk:S:")) != -1) {
	switch (ch) {
	case 'p': port = atoi(optarg); break;
	case 'a': bindaddr = optarg; break;
	case 't': maxprocs = atoi(optarg); break;
	case 'u': udpkib = atoi(optarg); break;
	case 'V': opt_verify = 1; break;
	case 'R': checkreach = 0; break;
	case 'q': opt_quiet = 1; break;
	case 'x': opt_corrupt = 1; break;
	case 'k': keydir = optarg; break;
	case 'S':
	    if ((min_level = rxperf_parse_level(optarg)) < 0)
		usage(argv[0]);
	    break;
	default: usage(argv[0]);
	}
    }
    if (optind != argc || port <= 0 || port > 65535 || maxprocs < 1 || maxprocs > 65535
	|| (min_level >= 0 && keydir == NULL))
	usage(argv[0]);
    if (inet_pton(AF_INET, bindaddr, &host) != 1) {
	fprintf(stderr, "rxperf_server: bad bind address %s\n", bindaddr);
	return 2;
    }

    pattern_init();
    pthread_key_create(&buf_key, free);

    /* Block the shutdown signals in every thread (rx threads inherit this mask);
     * the main thread collects them with sigwait below. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);

    if (udpkib > 0)
	rx_SetUdpBufSize(udpkib * 1024);

    if (rx_InitHost(host.s_addr, htons((unsigned short)port)) != 0) {
	fprintf(stderr, "rxperf_server: rx_InitHost(%s, %d) failed (port in use?)\n", bindaddr, port);
	return 1;
    }

    secobj = rxperf_server_security(keydir, min_level, &nclasses);
    service = rx_NewService(0, RXPERF_SERVICE, "rxperf", secobj, nclasses, execute_request);
    if (service == NULL) {
	fprintf(stderr, "rxperf_server: rx_NewService failed\n");
	return 1;
    }
    rx_SetMinProcs(service, maxprocs < 2 ? maxprocs : 2);
    rx_SetMaxProcs(service, maxprocs);
    rx_SetCheckReach(service, checkreach);

    rx_StartServer(0);		/* start the server threads, return to us */

    printf("listening on %d\n", port);
    fflush(stdout);

    if (sigwait(&sigs, &sig) != 0)
	sig = 0;
    if (!opt_quiet)
	fprintf(stderr,
		"rxperf_server: signal %d, exiting; calls=%lu errors=%lu null=%lu clear=%lu auth=%lu crypt=%lu\n",
		sig, __atomic_load_n(&n_calls, __ATOMIC_RELAXED), __atomic_load_n(&n_errors, __ATOMIC_RELAXED),
		__atomic_load_n(&n_by_level[0], __ATOMIC_RELAXED), __atomic_load_n(&n_by_level[1], __ATOMIC_RELAXED),
		__atomic_load_n(&n_by_level[2], __ATOMIC_RELAXED), __atomic_load_n(&n_by_level[3], __ATOMIC_RELAXED));
    fflush(stdout);
    fflush(stderr);
    /* rx_Finalize() can wait on server threads blocked in calls; the
     * process is going away, so let the kernel tidy up. */
    _exit(0);
}
