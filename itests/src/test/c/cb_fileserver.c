/*
 * cb_fileserver: the file-server side of the RXAFSCB protocol, built on the
 * OpenAFS rx library (pthread flavour, Debian libopenafs-dev), null security.
 * It calls a cache manager's callback service (service 1) as a file server
 * does when it breaks callbacks:
 *
 *   1. RXAFSCB_Probe (op 206): request = the opcode only; reply empty
 *   2. CALLS times RXAFSCB_CallBack (op 204): request = opcode, AFSCBFids
 *      (count, then volume, vnode, unique per FID), AFSCBs (count, then
 *      version, expiration, type per callback); reply empty.  One AFSCallBack
 *      per FID: version 1, expiration 0, type 3 (CB_DROPPED).
 *
 * Marshalled by hand as XDR big-endian int32 words (no rxgen).  A call counts
 * as ok iff every rx_Write is complete, the reply carries no data and
 * rx_EndCall returns 0.
 *
 * Prints one machine-parsed line on stdout:
 *   RESULT ok=<n> failed=<n>
 * (the probe counts as a call).  Exit status 0 iff failed == 0; 1 otherwise;
 * 2 for usage errors.
 *
 * Build: gcc -O2 -Wall -DAFS_PTHREAD_ENV cb_fileserver.c -lafsrpc -lpthread
 */
#include <afs/param.h>
#include <rx/rx.h>
#include <rx/rx_null.h>
#include <rx/rx_globals.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RXAFSCB_SERVICE     1
#define OP_CALLBACK         204
#define OP_PROBE            206
#define AFSCBMAX            50
#define CB_VERSION          1
#define CB_EXPIRATION       0
#define CB_DROPPED          3

static int nfids;
static uint32_t fids[AFSCBMAX][3];

static void
usage(void)
{
    fprintf(stderr,
	    "usage: cb_fileserver [-h HOST] -p PORT -f VOLUME.VNODE.UNIQUE [-f ...] [-n CALLS] [-t SECS]\n"
	    "  RXAFSCB (service 1): one Probe (206), then CALLS (default 1) CallBack (204)\n"
	    "  calls carrying the FIDs, one callback each (version 1, expiration 0, type 3)\n");
}

/* Appends one XDR word (big-endian) to buf. */
static void
put(uint32_t *buf, int *n, uint32_t v)
{
    buf[(*n)++] = htonl(v);
}

/* One call: writes nwords words, expects an empty reply. Returns 0 iff ok. */
static int
one_call(struct rx_connection *conn, const char *what, uint32_t *words, int nwords)
{
    struct rx_call *call;
    int len = nwords * 4, wrote, got, code;
    char extra[4];

    call = rx_NewCall(conn);
    if (call == NULL) {
	fprintf(stderr, "cb_fileserver: %s: rx_NewCall failed\n", what);
	return -1;
    }
    wrote = rx_Write(call, (char *)words, len);
    /* The reply is empty: a read returns 0 at its end (or on an abort). */
    got = (wrote == len) ? rx_Read(call, extra, sizeof extra) : 0;
    code = rx_EndCall(call, wrote == len ? 0 : RX_PROTOCOL_ERROR);
    if (wrote != len || got != 0 || code != 0) {
	fprintf(stderr, "cb_fileserver: %s failed: wrote %d of %d bytes, %d reply bytes, rx_EndCall %d\n",
		what, wrote, len, got, code);
	return -1;
    }
    return 0;
}

int
main(int argc, char **argv)
{
    const char *hostname = "127.0.0.1";
    int port = 0, calls = 1, timeout = 0, opt, i, ok = 0, failed = 0;
    uint32_t host;
    struct rx_securityClass *secobj;
    struct rx_connection *conn;
    static uint32_t words[2 + 2 * 3 * AFSCBMAX + 1];
    int n;

    while ((opt = getopt(argc, argv, "h:p:f:n:t:")) != -1) {
	switch (opt) {
	case 'h':
	    hostname = optarg;
	    break;
	case 'p':
	    port = atoi(optarg);
	    break;
	case 'f': {
	    unsigned long v, vn, u;
	    char tail;
	    if (nfids == AFSCBMAX) {
		fprintf(stderr, "cb_fileserver: at most %d FIDs\n", AFSCBMAX);
		return 2;
	    }
	    if (sscanf(optarg, "%lu.%lu.%lu%c", &v, &vn, &u, &tail) != 3
		|| v > 0xffffffffUL || vn > 0xffffffffUL || u > 0xffffffffUL) {
		fprintf(stderr, "cb_fileserver: bad FID '%s' (VOLUME.VNODE.UNIQUE)\n", optarg);
		return 2;
	    }
	    fids[nfids][0] = (uint32_t)v;
	    fids[nfids][1] = (uint32_t)vn;
	    fids[nfids][2] = (uint32_t)u;
	    nfids++;
	    break;
	}
	case 'n':
	    calls = atoi(optarg);
	    break;
	case 't':
	    timeout = atoi(optarg);
	    break;
	default:
	    usage();
	    return 2;
	}
    }
    if (port <= 0 || port > 65535 || nfids == 0 || calls < 0 || optind != argc) {
	usage();
	return 2;
    }
    {
	struct in_addr a;
	if (inet_pton(AF_INET, hostname, &a) == 1) {
	    host = a.s_addr;
	} else {
	    struct hostent *h = gethostbyname(hostname);
	    if (h == NULL || h->h_addrtype != AF_INET) {
		fprintf(stderr, "cb_fileserver: cannot resolve %s\n", hostname);
		return 2;
	    }
	    memcpy(&host, h->h_addr_list[0], 4);
	}
    }

    if (rx_Init(0) != 0) {
	fprintf(stderr, "cb_fileserver: rx_Init failed\n");
	return 1;
    }
    secobj = rxnull_NewClientSecurityObject();
    conn = rx_NewConnection(host, htons((unsigned short)port), RXAFSCB_SERVICE, secobj, 0);
    if (conn == NULL) {
	fprintf(stderr, "cb_fileserver: rx_NewConnection failed\n");
	return 1;
    }
    if (timeout > 0) {
	rx_SetConnDeadTime(conn, timeout < 12 ? timeout : 12);
	rx_SetConnHardDeadTime(conn, timeout);
    }

    n = 0;
    put(words, &n, OP_PROBE);
    if (one_call(conn, "Probe", words, n) == 0)
	ok++;
    else
	failed++;

    n = 0;
    put(words, &n, OP_CALLBACK);
    put(words, &n, (uint32_t)nfids);
    for (i = 0; i < nfids; i++) {
	put(words, &n, fids[i][0]);
	put(words, &n, fids[i][1]);
	put(words, &n, fids[i][2]);
    }
    put(words, &n, (uint32_t)nfids);
    for (i = 0; i < nfids; i++) {
	put(words, &n, CB_VERSION);
	put(words, &n, CB_EXPIRATION);
	put(words, &n, CB_DROPPED);
    }
    for (i = 0; i < calls; i++) {
	if (one_call(conn, "CallBack", words, n) == 0)
	    ok++;
	else
	    failed++;
    }

    printf("RESULT ok=%d failed=%d\n", ok, failed);
    fflush(stdout);
    rx_DestroyConnection(conn);
    /* No rx_Finalize: it can block; exiting ends the listener thread. */
    return failed == 0 ? 0 : 1;
}
