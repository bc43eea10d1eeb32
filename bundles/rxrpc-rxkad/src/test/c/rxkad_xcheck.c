/*
 * rxkad_xcheck: OpenAFS's own rxkad primitives (Debian libopenafs-dev, static libafsrpc.a) on inputs
 * given in hex, printing results in hex, for the Java cross-check (OpenAfsCrossCheckTest):
 *   fcrypt KEY IV DATA                               -> ecb=<first block> pcbc=<all of DATA>
 *   maketicket KEY SESSION NAME INST CELL START END  -> ticket=<hex>
 *   decodeticket KEY TICKET                          -> code= name= inst= cell= session= start= end=
 *   maketicket5 ENCTYPE KEY KVNO SESSION NAME INST CELL START END -> kvno= ticket=<hex>
 *   cksum RESPONSE56                                 -> cksum=<8 hex digits>
 *   derivedes ENCTYPE KEY                            -> des=<hex>
 * Empty strings are passed as "-".
 */
#include <afs/param.h>
#include <afs/stds.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <rx/rx.h>
#include <rx/rxkad.h>

/* Not in the installed headers; exported by libafsrpc.a (src/rxkad/ticket5.c, rxkad_common.c). */
extern int tkt_MakeTicket5(char *ticket, int *ticketLen, int enctype, int *kvno, void *key, size_t keylen,
                           char *name, char *inst, char *cell, afs_uint32 start, afs_uint32 end,
                           struct ktc_encryptionKey *sessionKey, char *sname, char *sinst);
extern int tkt_DeriveDesKey(int enctype, void *keydata, size_t keylen, struct ktc_encryptionKey *output);
/* rxkad_CksumChallengeResponse is declared by rxkad_prototypes.h on an incomplete struct. */

static size_t unhex(const char *s, unsigned char *out, size_t max)
{
    size_t n = strlen(s) / 2, i;
    if (n > max) { fprintf(stderr, "input too long\n"); exit(2); }
    for (i = 0; i < n; i++) {
        unsigned int v;
        sscanf(s + 2 * i, "%2x", &v);
        out[i] = (unsigned char)v;
    }
    return n;
}

static void hex(const char *label, const unsigned char *b, size_t n)
{
    size_t i;
    printf("%s=", label);
    for (i = 0; i < n; i++) printf("%02x", b[i]);
    printf("\n");
}

static char *str(char *s) { return strcmp(s, "-") == 0 ? "" : s; }

int main(int argc, char **argv)
{
    static unsigned char a[16384], b[16384], c[16384];
    rxkad_Init(); /* the per-thread statistics fcrypt counts into */
    if (argc >= 5 && strcmp(argv[1], "fcrypt") == 0) {
        fc_KeySchedule s;
        afs_uint32 iv[2];
        size_t n;
        unhex(argv[2], a, 8);
        fc_keysched((struct ktc_encryptionKey *)a, s);
        unhex(argv[3], (unsigned char *)iv, 8);
        n = unhex(argv[4], b, sizeof b);
        fc_ecb_encrypt(b, c, s, 1);
        hex("ecb", c, 8);
        fc_cbc_encrypt(b, c, n, s, iv, 1);
        hex("pcbc", c, n);
        return 0;
    }
    if (argc >= 9 && strcmp(argv[1], "maketicket") == 0) {
        int len = 0, code;
        unhex(argv[2], a, 8);
        unhex(argv[3], b, 8);
        code = tkt_MakeTicket((char *)c, &len, (struct ktc_encryptionKey *)a, str(argv[4]), str(argv[5]),
                              str(argv[6]), strtoul(argv[7], 0, 10), strtoul(argv[8], 0, 10),
                              (struct ktc_encryptionKey *)b, 0, "afs", "");
        if (code) { printf("code=%d\n", code); return 1; }
        hex("ticket", c, len);
        return 0;
    }
    if (argc >= 4 && strcmp(argv[1], "decodeticket") == 0) {
        char name[MAXKTCNAMELEN], inst[MAXKTCNAMELEN], cell[MAXKTCREALMLEN];
        struct ktc_encryptionKey session;
        afs_int32 host;
        afs_uint32 start, end;
        size_t n;
        int code;
        unhex(argv[2], a, 8);
        n = unhex(argv[3], b, sizeof b);
        code = tkt_DecodeTicket((char *)b, n, (struct ktc_encryptionKey *)a, name, inst, cell, &session, &host,
                                &start, &end);
        printf("code=%d\n", code);
        if (code) return 0;
        printf("name=%s\ninst=%s\ncell=%s\n", name, inst, cell);
        hex("session", (unsigned char *)&session, 8);
        printf("start=%u\nend=%u\n", start, end);
        return 0;
    }
    if (argc >= 11 && strcmp(argv[1], "maketicket5") == 0) {
        int len = sizeof c, kvno = atoi(argv[4]), code;
        size_t keylen = unhex(argv[3], a, 64);
        unhex(argv[5], b, 8);
        code = tkt_MakeTicket5((char *)c, &len, atoi(argv[2]), &kvno, a, keylen, str(argv[6]), str(argv[7]),
                               str(argv[8]), strtoul(argv[9], 0, 10), strtoul(argv[10], 0, 10),
                               (struct ktc_encryptionKey *)b, "afs", "");
        if (code) { printf("code=%d\n", code); return 1; }
        printf("kvno=%d\n", kvno);
        hex("ticket", c, len);
        return 0;
    }
    if (argc >= 3 && strcmp(argv[1], "cksum") == 0) {
        unhex(argv[2], a, 56);
        printf("cksum=%08x\n", ntohl(rxkad_CksumChallengeResponse((struct rxkad_v2ChallengeResponse *)a)));
        return 0;
    }
    if (argc >= 4 && strcmp(argv[1], "derivedes") == 0) {
        struct ktc_encryptionKey out;
        size_t n = unhex(argv[3], a, 64);
        int code = tkt_DeriveDesKey(atoi(argv[2]), a, n, &out);
        if (code) { printf("code=%d\n", code); return 1; }
        hex("des", (unsigned char *)&out, 8);
        return 0;
    }
    fprintf(stderr, "usage: see the comment at the top of rxkad_xcheck.c\n");
    return 2;
}
