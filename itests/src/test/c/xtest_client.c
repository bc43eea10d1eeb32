/*
 * The cross-check client: calls every procedure of everything.xg on a server (ours in Java) through the
 * client stubs of OpenAFS's own rxgen, with the golden values of xtest_golden.h, and checks every reply
 * against its own copy of them. Prints "OK name" or "FAIL name: why" per check, then
 *   RESULT ok=<n> failed=<n>
 * Usage: xtest_client HOST PORT SERVICE
 */
#include <afsconfig.h>
#include <afs/param.h>
#include <rx/rx.h>
#include <rx/rx_null.h>
#include <rx/xdr.h>
#include <rx/rx_multi.h>
#include <arpa/inet.h>
#include <afs/rxgen_consts.h>
#include "xtest_golden.h"


static int ok, failed;

static void check(const char *name, int good, const char *why)
{
    if (good) {
        ok++;
        printf("OK %s\n", name);
    } else {
        failed++;
        printf("FAIL %s: %s\n", name, why);
    }
    fflush(stdout);
}

static void echo(struct rx_connection *conn)
{
    scalars in, out, bad;
    aggregate a, b;
    int rc;
    golden_scalars(&in);
    memset(&out, 0, sizeof(out));
    rc = TEST_Echo(conn, &in, &out);
    check("Echo", rc == 0 && same_xdr((xdrproc_t)xdr_scalars, &out, &in), "reply differs from the golden scalars");
    golden_scalars2(&bad);
    rc = TEST_Echo(conn, &bad, &out);
    check("Echo of a non-golden value aborts 1001", rc == 1001, "expected abort 1001");
    golden_aggregate(&a);
    memset(&b, 0, sizeof(b));
    rc = TEST_EchoAggregate(conn, &a, &b);
    check("EchoAggregate", rc == 0 && same_xdr((xdrproc_t)xdr_aggregate, &b, &a), "reply differs from the golden aggregate");
}

static void shapes(struct rx_connection *conn)
{
    int i;
    for (i = 0; i < 4; i++) {
        shape s, t;
        afs_int32 counter = i * 10;
        char name[32];
        int rc;
        golden_shape(&s, i);
        memset(&t, 0, sizeof(t));
        rc = TEST_EchoShape(conn, &s, &counter, &t);
        snprintf(name, sizeof(name), "EchoShape arm %d", i);
        check(name, rc == 0 && counter == i * 10 + 1 && same_xdr((xdrproc_t)xdr_shape, &t, &s), "wrong shape or counter");
    }
}

static void names(struct rx_connection *conn)
{
    const char *start = "thirty-two-bytes-at-the-bound-32";
    idlist ids;
    shortname first = NULL;
    int rc, i, good;
    memset(&ids, 0, sizeof(ids));
    rc = TEST_Names(conn, start, MAX_ITEMS, &ids, &first);
    good = rc == 0 && ids.idlist_len == MAX_ITEMS && first != NULL && strcmp(first, start) == 0;
    for (i = 0; good && i < MAX_ITEMS; i++) good = ids.idlist_val[i] == (afs_uint32)(1000 + i);
    check("Names at the bounds", good, "wrong ids or name");
    rc = TEST_Names(conn, "x", MAX_ITEMS + 1, &ids, &first);
    check("Names over the bound aborts RXGEN_SS_MARSHAL", rc == RXGEN_SS_MARSHAL, "expected -452");
}

static void bulk(struct rx_connection *conn)
{
    struct rx_call *call = rx_NewCall(conn);
    char out[XTEST_BULK_BYTES], back[XTEST_BULK_BYTES];
    afs_int32 sum = 0, expected = 0;
    int i, rc, good = 1;
    for (i = 0; i < XTEST_BULK_BYTES; i++) {
        out[i] = (char)golden_bulk_byte(i);
        expected += golden_bulk_byte(i);
    }
    rc = StartTEST_Bulk(call, XTEST_BULK_BYTES);
    if (rc == 0 && rx_Write(call, out, XTEST_BULK_BYTES) != XTEST_BULK_BYTES) good = 0;
    if (rc == 0 && good && rx_Read(call, back, XTEST_BULK_BYTES) != XTEST_BULK_BYTES) good = 0;
    if (rc == 0 && good) rc = EndTEST_Bulk(call, &sum);
    rc = rx_EndCall(call, rc);
    check("Bulk (split)", rc == 0 && good && sum == expected && memcmp(out, back, XTEST_BULK_BYTES) == 0,
          "bytes or sum differ");
}

static void others(struct rx_connection *conn)
{
    afs_int32 y = 0;
    int rc;
    check("Nothing", TEST_Nothing(conn) == 0, "expected 0");
    check("Fail aborts with its code", TEST_Fail(conn, 363524) == 363524, "expected 363524");
    check("Ping", TEST_Ping(conn, 41, &y) == 0 && y == 42, "expected 42");
    y = 0;
    rc = -1;
    multi_Rx(&conn, 1) {
        multi_TEST_Ping(INT_MAX - 1, &y);
        rc = multi_error;
    }
    multi_End;
    check("Ping through multi_Rx", rc == 0 && y == INT_MAX, "expected INT_MAX");
}

int main(int argc, char **argv)
{
    struct rx_connection *conn;
    struct in_addr host;
    if (argc != 4 || inet_aton(argv[1], &host) == 0) {
        fprintf(stderr, "usage: xtest_client HOST PORT SERVICE\n");
        return 2;
    }
    if (rx_Init(0) != 0) {
        fprintf(stderr, "xtest_client: rx_Init failed\n");
        return 1;
    }
    conn = rx_NewConnection(host.s_addr, htons((unsigned short)atoi(argv[2])), (unsigned short)atoi(argv[3]),
                            rxnull_NewClientSecurityObject(), 0);
    echo(conn);
    shapes(conn);
    names(conn);
    bulk(conn);
    others(conn);
    printf("RESULT ok=%d failed=%d\n", ok, failed);
    rx_DestroyConnection(conn);
    return failed == 0 ? 0 : 1;
}
