/*
 * rxperf_client: an rxperf-protocol load client (service 147) built on the
 * OpenAFS rx library (pthread flavour, Debian libopenafs-dev).  A real OpenAFS
 * peer for the rxrpc interop tests and benchmarks.
 *
 * Each call: rx_NewCall, write version 3, op, rsize, wsize, op words and the
 * request payload, read the reply payload and the cookie 0x00004711, rx_EndCall.
 * Payload byte i (counted from the first payload byte) is (unsigned char)(i % 251).
 *
 * Prints one machine-parsed line on stdout:
 * RESULT calls=<n> ok=<n> failed=<n> seconds=<f> calls_per_sec=<f> MB_per_sec=<f>
 *        p50_us=<n> p90_us=<n> p99_us=<n> p999_us=<n> max_us=<n>
 * Exit status 0 iff failed == 0 and ok > 0.
 *
 * With -S LEVEL it speaks rxkad at that level, with a ticket minted from -k DIR or -K KVNO:KEY as
 * -localauth does (rxperf_security.c).
 *
 * Build: gcc -O2 -Wall -DAFS_PTHREAD_ENV rxperf_client.c rxperf_security.c -lafsauthent -lafsrpc -lpthread
 */
#include <afs/param.h>
#include <rx/rx.h>
#include <rx/rx_null.h>
#include <rx/rx_globals.h>
#include "rxperf_security.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RXPERF_SERVICE   147
#define RXPERF_VERSION   3
#define RXPERF_COOKIE    0x00004711
#define OP_SEND          0
#define OP_RECV          1
#define OP_RPC           3

#define CODE_MISMATCH    1000	/* reply payload differs from the pattern */
#define CODE_BADCOOKIE   1001	/* trailing cookie is not 0x00004711 */

#define PATTERN_MOD  251
#define CHUNK        (64 * 1024)
#define RW_SIZE      65536	/* rsize/wsize words sent (as the OpenAFS rxperf client does) */
#define MAX_REPORTED_FAILURES 10

static unsigned char pattern[CHUNK + PATTERN_MOD];

/* options */
static afs_uint32 opt_host;	/* network order */
static int opt_port = 7009;
static int opt_op = OP_RPC;
static long long opt_req = 4, opt_reply = 4;
static int opt_conc = 1;
static long long opt_calls = -1;	/* -1: not given */
static double opt_duration = 0;
static int opt_newconn = 0;
static int opt_nconns = 0;
static int opt_verify = 0;
static int opt_quiet = 0;
static int opt_timeout = 0;
static double opt_linger = 0;
static int opt_version = RXPERF_VERSION;	/* -v: override, for negative tests */
static int opt_rawop = -1;		/* -o: override the op word, for negative tests */
static int opt_corrupt = 0;		/* -x: flip one request payload byte */
static int opt_level = -1;		/* -S: rxkad level; -1 = null security */
static const char *opt_keydir = NULL;	/* -k: server config folder to mint the ticket from */
static const char *opt_keyspec = NULL;	/* -K: KVNO:HEXKEY to mint the ticket from */
static int secindex = 0;

static struct rx_securityClass *secobj;
static struct rx_connection **conns;

static long long next_call = 0;		/* atomic ticket for -n */
static int n_failures_reported = 0;	/* atomic */
static double deadline = 0;		/* monotonic seconds, 0 = none */

struct worker {
    pthread_t tid;
    int index;
    long long ok, failed;
    uint32_t *lat;		/* microseconds of successful calls */
    size_t nlat, caplat;
    char *buf;
};

static double
now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long long
parse_size(const char *s)
{
    char *end;
    long long v = strtoll(s, &end, 0);
    if (end == s)
	goto bad;
    switch (*end) {
    case 'k': case 'K': v *= 1024; end++; break;
    case 'm': case 'M': v *= 1024 * 1024; end++; break;
    case 'g': case 'G': v *= 1024LL * 1024 * 1024; end++; break;
    }
    if ((*end == 'i' || *end == 'I') && end[1] && (end[1] == 'B' || end[1] == 'b'))
	end += 2;
    if (*end != '\0' || v < 0 || v > 0x7fffffffLL)
	goto bad;
    return v;
  bad:
    fprintf(stderr, "rxperf_client: bad size '%s' (0 .. 2^31-1, suffixes K/M/G)\n", s);
    exit(2);
}

static void
report_failure(long long callno, const char *what, int code)
{
    int n = __atomic_fetch_add(&n_failures_reported, 1, __ATOMIC_RELAXED);
    if (n < MAX_REPORTED_FAILURES)
	fprintf(stderr, "rxperf_client: call %lld failed: %s, code %d\n", callno, what, code);
    else if (n == MAX_REPORTED_FAILURES)
	fprintf(stderr, "rxperf_client: (further failures not shown)\n");
}

static int
write_pattern(struct rx_call *call, long long len)
{
    long long off = 0, bad = opt_corrupt ? len / 2 : -1;
    while (off < len) {
	int n = (len - off > CHUNK) ? CHUNK : (int)(len - off);
	if (bad >= off && bad < off + n) {
	    /* -x: send this chunk with the byte at offset len/2 altered */
	    char tmp[CHUNK];
	    memcpy(tmp, pattern + (off % PATTERN_MOD), n);
	    tmp[bad - off] ^= 0x5a;
	    if (rx_Write(call, tmp, n) != n)
		return -1;
	} else if (rx_Write(call, (char *)pattern + (off % PATTERN_MOD), n) != n)
	    return -1;
	off += n;
    }
    return 0;
}

/* 0 ok, -1 short read, 1 mismatch (*bad_off set) */
static int
read_reply(struct rx_call *call, char *buf, long long len, long long *bad_off)
{
    long long off = 0;
    while (off < len) {
	int want = (len - off > CHUNK) ? CHUNK : (int)(len - off);
	if (rx_Read(call, buf, want) != want)
	    return -1;
	if (opt_verify && memcmp(buf, pattern + (off % PATTERN_MOD), want) != 0) {
	    int i;
	    for (i = 0; i < want; i++)
		if ((unsigned char)buf[i] != (unsigned char)((off + i) % PATTERN_MOD))
		    break;
	    *bad_off = off + i;
	    return 1;
	}
	off += want;
    }
    return 0;
}

static struct rx_connection *
new_conn(void)
{
    struct rx_connection *c =
	rx_NewConnection(opt_host, htons((unsigned short)opt_port), RXPERF_SERVICE, secobj, secindex);
    if (c && opt_timeout > 0) {
	/* The library clamps the hard dead time to at least the dead time
	 * (default 12 s), so lower the dead time first for short timeouts. */
	if (opt_timeout < 12)
	    rx_SetConnDeadTime(c, opt_timeout);
	rx_SetConnHardDeadTime(c, opt_timeout);
    }
    return c;
}

/* One call; returns 0 on success. */
static int
one_call(struct worker *w, struct rx_connection *conn, long long callno)
{
    struct rx_call *call;
    afs_int32 hdr[6];
    int nw = 0, code, localcode = 0;
    const char *what = NULL;
    long long req = 0, rep = 0, bad_off = -1;
    afs_int32 cookie;

    hdr[nw++] = htonl((afs_uint32)opt_version);
    hdr[nw++] = htonl((afs_uint32)(opt_rawop >= 0 ? opt_rawop : opt_op));
    hdr[nw++] = htonl(RW_SIZE);
    hdr[nw++] = htonl(RW_SIZE);
    switch (opt_op) {
    case OP_SEND: req = opt_req; hdr[nw++] = htonl((afs_uint32)req); break;
    case OP_RECV: rep = opt_reply; hdr[nw++] = htonl((afs_uint32)rep); break;
    default:
	req = opt_req; rep = opt_reply;
	hdr[nw++] = htonl((afs_uint32)req);
	hdr[nw++] = htonl((afs_uint32)rep);
	break;
    }

    call = rx_NewCall(conn);
    if (call == NULL) {
	report_failure(callno, "rx_NewCall returned NULL", 0);
	return -1;
    }
    if (rx_Write(call, (char *)hdr, 4 * nw) != 4 * nw || write_pattern(call, req) != 0) {
	what = "writing the request";
    } else {
	int r = read_reply(call, w->buf, rep, &bad_off);
	if (r < 0) {
	    what = "reading the reply payload";
	} else if (r > 0) {
	    what = "verifying the reply payload";
	    localcode = CODE_MISMATCH;
	} else if (rx_Read(call, (char *)&cookie, 4) != 4) {
	    what = "reading the cookie";
	} else if (ntohl(cookie) != RXPERF_COOKIE) {
	    what = "checking the cookie";
	    localcode = CODE_BADCOOKIE;
	}
    }
    /* A local failure aborts the call with localcode (rx sends an ABORT). */
    code = rx_EndCall(call, localcode);
    if (what == NULL && code == 0)
	return 0;
    {
	char msg[160];
	if (localcode == CODE_MISMATCH)
	    snprintf(msg, sizeof msg, "reply payload mismatch at offset %lld (call aborted)", bad_off);
	else if (localcode == CODE_BADCOOKIE)
	    snprintf(msg, sizeof msg, "bad cookie 0x%08x (call aborted)", (unsigned)ntohl(cookie));
	else if (what == NULL)
	    snprintf(msg, sizeof msg, "rx_EndCall returned an error");
	else if (code != 0)
	    snprintf(msg, sizeof msg, "call aborted/errored while %s", what);
	else
	    snprintf(msg, sizeof msg, "short data (EOF) while %s", what);
	report_failure(callno, msg, code ? code : localcode);
    }
    return -1;
}

static void *
worker_main(void *arg)
{
    struct worker *w = arg;
    struct rx_connection *shared = opt_newconn ? NULL : conns[w->index % opt_nconns];

    for (;;) {
	long long callno;
	double t0, t1;
	struct rx_connection *conn;
	int rc;

	if (opt_calls >= 0) {
	    callno = __atomic_fetch_add(&next_call, 1, __ATOMIC_RELAXED);
	    if (callno >= opt_calls)
		break;
	} else {
	    callno = __atomic_fetch_add(&next_call, 1, __ATOMIC_RELAXED);
	}
	t0 = now_sec();
	if (deadline > 0 && t0 >= deadline)
	    break;

	if (opt_newconn) {
	    conn = new_conn();
	    if (conn == NULL) {
		report_failure(callno, "rx_NewConnection failed", 0);
		w->failed++;
		continue;
	    }
	} else {
	    conn = shared;
	}
	rc = one_call(w, conn, callno);
	if (opt_newconn)
	    rx_DestroyConnection(conn);
	t1 = now_sec();

	if (rc == 0) {
	    w->ok++;
	    if (w->nlat == w->caplat) {
		w->caplat = w->caplat ? 2 * w->caplat : 4096;
		w->lat = realloc(w->lat, w->caplat * sizeof(uint32_t));
		if (w->lat == NULL) {
		    perror("realloc");
		    exit(3);
		}
	    }
	    {
		double us = (t1 - t0) * 1e6;
		w->lat[w->nlat++] = us > 4e9 ? 4000000000u : (uint32_t)(us + 0.5);
	    }
	} else {
	    w->failed++;
	}
    }
    return NULL;
}

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* nearest-rank percentile of a sorted array */
static uint32_t
pct(const uint32_t *v, size_t n, double p)
{
    size_t rank;
    if (n == 0)
	return 0;
    rank = (size_t)(p * n + 0.999999999);
    if (rank < 1)
	rank = 1;
    if (rank > n)
	rank = n;
    return v[rank - 1];
}

static void
usage(const char *prog)
{
    fprintf(stderr,
	    "usage: %s [-h HOST] [-p PORT] [-m rpc|send|recv] [-s REQ_BYTES] [-r REPLY_BYTES]\n"
	    "          [-c CONCURRENCY] [-n CALLS | -d SECONDS] [-N] [-C CONNS] [-V] [-q]\n"
	    "          [-t TIMEOUT_SECS] [-u UDPBUF_KIB] [-L LINGER_SECS] [-v VERSION] [-o OP] [-x]\n"
	    "          [-S LEVEL (-k CONFIGDIR | -K KVNO:HEXKEY)]\n"
	    "  -h HOST   server address (default 127.0.0.1)\n"
	    "  -p PORT   server UDP port (default 7009)\n"
	    "  -m MODE   rpc (S bytes out, R back), send (S bytes out), recv (R bytes back); default rpc\n"
	    "  -s N      request payload bytes (default 4; K/M/G suffixes = 1024 multiples)\n"
	    "  -r N      reply payload bytes (default 4)\n"
	    "  -c N      concurrent caller threads (default 1)\n"
	    "  -n N      total calls (default 1000 unless -d is given)\n"
	    "  -d SECS   run for SECS seconds (with -n too: whichever ends first)\n"
	    "  -N        new connection for every call\n"
	    "  -C N      shared connections the threads spread over (default ceil(c/4))\n"
	    "  -V        verify reply payload bytes (i %% 251)\n"
	    "  -q        quiet (no settings line on stderr)\n"
	    "  -t SECS   per-call hard dead time (rx_SetConnHardDeadTime; default off)\n"
	    "  -u KIB    UDP socket buffer size in KiB (default: library default, 64)\n"
	    "  -L SECS   stay alive SECS seconds after the last call (for captures)\n"
	    "  -S LEVEL  rxkad (security index 2) at clear, auth or crypt; default: null security\n"
	    "  -k DIR    mint the ticket from the newest key in DIR/KeyFile, as -localauth does\n"
	    "  -K KEY    mint the ticket from KVNO:16 hex digits (a DES key)\n"
	    "  negative tests: -v VERSION (send this version word), -o OP (send this op word,\n"
	    "            payload as for -m), -x (flip the request payload byte at offset S/2)\n",
	    prog);
    exit(2);
}

int
main(int argc, char **argv)
{
    const char *hostname = "127.0.0.1", *mode = "rpc";
    struct worker *ws;
    int ch, i, udpkib = 0;
    double t_start, t_end, secs;
    long long ok = 0, failed = 0, per_call_bytes;
    size_t nlat = 0, k;
    uint32_t *all;

    while ((ch = getopt(argc, argv, "h:p:m:s:r:c:n:d:NC:Vqt:u:L:v:o:xS:k:K:")) != -1) {
	switch (ch) {
	case 'h': hostname = optarg; break;
	case 'p': opt_port = atoi(optarg); break;
	case 'm': mode = optarg; break;
	case 's': opt_req = parse_size(optarg); break;
	case 'r': opt_reply = parse_size(optarg); break;
	case 'c': opt_conc = atoi(optarg); break;
	case 'n': opt_calls = atoll(optarg); break;
	case 'd': opt_duration = atof(optarg); break;
	case 'N': opt_newconn = 1; break;
	case 'C': opt_nconns = atoi(optarg); break;
	case 'V': opt_verify = 1; break;
	case 'q': opt_quiet = 1; break;
	case 't': opt_timeout = atoi(optarg); break;
	case 'u': udpkib = atoi(optarg); break;
	case 'L': opt_linger = atof(optarg); break;
	case 'v': opt_version = atoi(optarg); break;
	case 'o': opt_rawop = atoi(optarg); break;
	case 'x': opt_corrupt = 1; break;
	case 'S':
	    if ((opt_level = rxperf_parse_level(optarg)) < 0)
		usage(argv[0]);
	    break;
	case 'k': opt_keydir = optarg; break;
	case 'K': opt_keyspec = optarg; break;
	default: usage(argv[0]);
	}
    }
    if (optind != argc || opt_port <= 0 || opt_port > 65535 || opt_conc < 1 || opt_nconns < 0
	|| opt_duration < 0 || (opt_level < 0 && (opt_keydir || opt_keyspec)))
	usage(argv[0]);
    if (strcmp(mode, "rpc") == 0)
	opt_op = OP_RPC;
    else if (strcmp(mode, "send") == 0)
	opt_op = OP_SEND;
    else if (strcmp(mode, "recv") == 0)
	opt_op = OP_RECV;
    else {
	fprintf(stderr, "rxperf_client: unknown mode '%s' (rpc|send|recv)\n", mode);
	return 2;
    }
    if (opt_calls < 0 && opt_duration <= 0)
	opt_calls = 1000;
    if (opt_nconns == 0)
	opt_nconns = (opt_conc + 3) / 4;

    {
	struct in_addr a;
	if (inet_pton(AF_INET, hostname, &a) == 1) {
	    opt_host = a.s_addr;
	} else {
	    struct hostent *h = gethostbyname(hostname);
	    if (h == NULL || h->h_addrtype != AF_INET) {
		fprintf(stderr, "rxperf_client: cannot resolve %s\n", hostname);
		return 2;
	    }
	    memcpy(&opt_host, h->h_addr_list[0], 4);
	}
    }

    for (k = 0; k < sizeof(pattern); k++)
	pattern[k] = (unsigned char)(k % PATTERN_MOD);

    if (udpkib > 0)
	rx_SetUdpBufSize(udpkib * 1024);
    if (rx_Init(0) != 0) {
	fprintf(stderr, "rxperf_client: rx_Init failed\n");
	return 1;
    }
    secobj = rxperf_client_security(opt_level, opt_keydir, opt_keyspec, &secindex);

    if (!opt_newconn) {
	conns = calloc(opt_nconns, sizeof(*conns));
	for (i = 0; i < opt_nconns; i++) {
	    conns[i] = new_conn();
	    if (conns[i] == NULL) {
		fprintf(stderr, "rxperf_client: rx_NewConnection failed\n");
		return 1;
	    }
	}
    }
    if (!opt_quiet)
	fprintf(stderr,
		"rxperf_client: %s:%d mode=%s req=%lld reply=%lld concurrency=%d %s%lld%s conns=%s%d%s%s security=%s\n",
		hostname, opt_port, mode, opt_op == OP_RECV ? 0 : opt_req,
		opt_op == OP_SEND ? 0 : opt_reply, opt_conc,
		opt_calls >= 0 ? "calls=" : "seconds=",
		opt_calls >= 0 ? opt_calls : (long long)opt_duration,
		(opt_calls >= 0 && opt_duration > 0) ? " (with time limit)" : "",
		opt_newconn ? "new-per-call" : "", opt_newconn ? 0 : opt_nconns,
		opt_verify ? " verify" : "", opt_timeout ? " hard-timeout" : "",
		opt_level < 0 ? "null" : rxperf_level_name(opt_level));

    ws = calloc(opt_conc, sizeof(*ws));
    t_start = now_sec();
    if (opt_duration > 0)
	deadline = t_start + opt_duration;
    for (i = 0; i < opt_conc; i++) {
	ws[i].index = i;
	ws[i].buf = malloc(CHUNK);
	if (pthread_create(&ws[i].tid, NULL, worker_main, &ws[i]) != 0) {
	    perror("pthread_create");
	    return 1;
	}
    }
    for (i = 0; i < opt_conc; i++)
	pthread_join(ws[i].tid, NULL);
    t_end = now_sec();
    secs = t_end - t_start;
    if (secs <= 0)
	secs = 1e-9;

    for (i = 0; i < opt_conc; i++) {
	ok += ws[i].ok;
	failed += ws[i].failed;
	nlat += ws[i].nlat;
    }
    all = malloc((nlat ? nlat : 1) * sizeof(uint32_t));
    nlat = 0;
    for (i = 0; i < opt_conc; i++) {
	if (ws[i].nlat)
	    memcpy(all + nlat, ws[i].lat, ws[i].nlat * sizeof(uint32_t));
	nlat += ws[i].nlat;
    }
    qsort(all, nlat, sizeof(uint32_t), cmp_u32);

    per_call_bytes = (opt_op == OP_RECV ? 0 : opt_req) + (opt_op == OP_SEND ? 0 : opt_reply);
    printf("RESULT calls=%lld ok=%lld failed=%lld seconds=%.3f calls_per_sec=%.1f MB_per_sec=%.3f "
	   "p50_us=%u p90_us=%u p99_us=%u p999_us=%u max_us=%u\n",
	   ok + failed, ok, failed, secs, ok / secs, (double)ok * per_call_bytes / 1e6 / secs,
	   pct(all, nlat, 0.50), pct(all, nlat, 0.90), pct(all, nlat, 0.99),
	   pct(all, nlat, 0.999), nlat ? all[nlat - 1] : 0);
    fflush(stdout);

    if (opt_linger > 0)
	usleep((useconds_t)(opt_linger * 1e6));
    if (!opt_newconn)
	for (i = 0; i < opt_nconns; i++)
	    rx_DestroyConnection(conns[i]);
    fflush(stderr);
    /* skip rx_Finalize(): exiting is enough, and it cannot block here */
    _exit((failed == 0 && ok > 0) ? 0 : 1);
}
