/*
 * The cross-check server: everything.xg's procedures on OpenAFS's rx library, server stubs from OpenAFS's
 * own rxgen. Each procedure checks its arguments against the golden values (xtest_golden.h) and answers:
 *   Echo / EchoAggregate / EchoShape: abort 1001 / 1002 / 1003 unless the argument is golden, else it
 *     echoes it (EchoShape also returns counter + 1);
 *   Names: ids 1000, 1001 ... (count of them; over 8 the stub's encoding fails: RXGEN_SS_MARSHAL),
 *     first = start;  Bulk: reads length raw bytes, writes them back, sum = their unsigned sum;
 *   Fail: aborts with code;  Ping: y = x + 1;  Nothing: nothing.
 * Usage: xtest_server PORT SERVICE   (prints "READY" once listening)
 *        xtest_server --dump         (prints the XDR bytes of every golden value, hex)
 */
#include <afsconfig.h>
#include <afs/param.h>
#include <rx/rx.h>
#include <rx/rx_null.h>
#include <rx/xdr.h>
#include <arpa/inet.h>
#include "xtest_golden.h"

afs_int32 STEST_Echo(struct rx_call *call, struct scalars *in, struct scalars *out)
{
    scalars g;
    golden_scalars(&g);
    if (!same_xdr((xdrproc_t)xdr_scalars, in, &g)) return 1001;
    return xdr_copy((xdrproc_t)xdr_scalars, in, out) ? 0 : 1001;
}

afs_int32 STEST_EchoAggregate(struct rx_call *call, aggregate *a, aggregate *b)
{
    aggregate g;
    golden_aggregate(&g);
    if (!same_xdr((xdrproc_t)xdr_aggregate, a, &g)) return 1002;
    return xdr_copy((xdrproc_t)xdr_aggregate, a, b) ? 0 : 1002;
}

afs_int32 STEST_EchoShape(struct rx_call *call, shape *s, afs_int32 *counter, shape *t)
{
    shape g;
    int which = s->kind == RED ? 0 : s->kind == GREEN ? 1 : s->kind == BLUE ? 2 : 3;
    golden_shape(&g, which);
    if (!same_xdr((xdrproc_t)xdr_shape, s, &g)) return 1003;
    *counter += 1;
    return xdr_copy((xdrproc_t)xdr_shape, s, t) ? 0 : 1003;
}

afs_int32 STEST_Nothing(struct rx_call *call)
{
    return 0;
}

afs_int32 STEST_Names(struct rx_call *call, char *start, afs_int32 count, idlist *ids, shortname *first)
{
    int i;
    if (count < 0 || count > 1000) return 1004;
    ids->idlist_len = count;
    ids->idlist_val = calloc(count + 1, sizeof(afs_uint32));
    for (i = 0; i < count; i++) ids->idlist_val[i] = 1000 + i;
    *first = strdup(start);
    return 0;
}

afs_int32 STEST_Bulk(struct rx_call *call, afs_int32 length, afs_int32 *sum)
{
    char *buf;
    afs_int32 i, s = 0;
    if (length < 0 || length > 1 << 20) return 1005;
    buf = malloc(length + 1);
    if (rx_Read(call, buf, length) != length) {
        free(buf);
        return 1005;
    }
    for (i = 0; i < length; i++) s += (unsigned char)buf[i];
    if (rx_Write(call, buf, length) != length) {
        free(buf);
        return 1005;
    }
    free(buf);
    *sum = s;
    return 0;
}

afs_int32 STEST_Fail(struct rx_call *call, afs_int32 code)
{
    return code;
}

afs_int32 STEST_Ping(struct rx_call *call, afs_int32 x, afs_int32 *y)
{
    *y = x + 1;
    return 0;
}

static void dump(void)
{
    scalars s;
    aggregate a;
    shape sh;
    int i;
    char name[16];
    golden_scalars(&s);
    dump_xdr("scalars", (xdrproc_t)xdr_scalars, &s);
    golden_scalars2(&s);
    dump_xdr("scalars2", (xdrproc_t)xdr_scalars, &s);
    golden_aggregate(&a);
    dump_xdr("aggregate", (xdrproc_t)xdr_aggregate, &a);
    for (i = 0; i < 4; i++) {
        golden_shape(&sh, i);
        snprintf(name, sizeof(name), "shape%d", i);
        dump_xdr(name, (xdrproc_t)xdr_shape, &sh);
    }
}

int main(int argc, char **argv)
{
    struct rx_securityClass *sc[1];
    struct rx_service *service;
    if (argc == 2 && strcmp(argv[1], "--dump") == 0) {
        dump();
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: xtest_server PORT SERVICE | --dump\n");
        return 2;
    }
    if (rx_InitHost(htonl(INADDR_LOOPBACK), htons((unsigned short)atoi(argv[1]))) != 0) {
        fprintf(stderr, "xtest_server: rx_InitHost failed\n");
        return 1;
    }
    sc[0] = rxnull_NewServerSecurityObject();
    service = rx_NewService(0, (unsigned short)atoi(argv[2]), "xtest", sc, 1, TEST_ExecuteRequest);
    if (service == NULL) {
        fprintf(stderr, "xtest_server: rx_NewService failed\n");
        return 1;
    }
    rx_SetMaxProcs(service, 4);
    printf("READY\n");
    fflush(stdout);
    rx_StartServer(1); /* donates this thread; never returns */
    return 0;
}
