/*
 * The security classes of the rxperf C peers (see rxperf_security.h).
 */
#include <afs/param.h>
#include <afs/stds.h>
#include <rx/rx.h>
#include <rx/rx_null.h>
#include <rx/rxkad.h>
#include <afs/auth.h>
#include <afs/cellconfig.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rxperf_security.h"

#define SECIDX_NULL 0
#define SECIDX_KAD  2
#define TICKET_MAX  1024

static const char *level_names[] = { "clear", "auth", "crypt" };

int
rxperf_parse_level(const char *name)
{
    int i;
    for (i = 0; i < 3; i++)
	if (strcmp(name, level_names[i]) == 0 || (name[0] == '0' + i && name[1] == '\0'))
	    return i;
    return -1;
}

const char *
rxperf_level_name(int level)
{
    return level >= 0 && level < 3 ? level_names[level] : "null";
}

/* Odd parity in every byte, as DES keys carry it. */
static void
set_odd_parity(unsigned char *key)
{
    int i;
    for (i = 0; i < 8; i++) {
	unsigned char b = key[i] & 0xfe;
	if (__builtin_parity(b) == 0)
	    b |= 1;
	key[i] = b;
    }
}

static void
random_session_key(struct ktc_encryptionKey *session)
{
    unsigned char *k = (unsigned char *)session;
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0 || read(fd, k, 8) != 8) {
	perror("rxperf: /dev/urandom");
	exit(1);
    }
    close(fd);
    set_odd_parity(k);
}

/* "KVNO:0123456789abcdef" */
static void
parse_keyspec(const char *spec, afs_int32 *kvno, struct ktc_encryptionKey *key)
{
    unsigned char *k = (unsigned char *)key;
    const char *hex = strchr(spec, ':');
    int i;
    if (hex == NULL || strlen(hex + 1) != 16)
	goto bad;
    *kvno = atoi(spec);
    for (i = 0; i < 8; i++) {
	unsigned int v;
	if (sscanf(hex + 1 + 2 * i, "%2x", &v) != 1)
	    goto bad;
	k[i] = (unsigned char)v;
    }
    return;
  bad:
    fprintf(stderr, "rxperf: bad key '%s' (want KVNO:16 hex digits)\n", spec);
    exit(2);
}

struct rx_securityClass *
rxperf_client_security(int level, const char *keydir, const char *keyspec, int *index)
{
    struct ktc_encryptionKey key, session;
    afs_int32 kvno;
    char ticket[TICKET_MAX];
    int ticket_len = sizeof ticket, code;

    if (level < 0) {
	*index = SECIDX_NULL;
	return rxnull_NewClientSecurityObject();
    }
    if (keyspec != NULL) {
	parse_keyspec(keyspec, &kvno, &key);
    } else if (keydir != NULL) {
	struct afsconf_dir *dir = afsconf_Open(keydir);
	if (dir == NULL || afsconf_GetLatestKey(dir, &kvno, &key) != 0) {
	    fprintf(stderr, "rxperf: no DES key in %s/KeyFile\n", keydir);
	    exit(2);
	}
	afsconf_Close(dir);
    } else {
	fprintf(stderr, "rxperf: an rxkad level needs -k DIR or -K KVNO:KEY\n");
	exit(2);
    }
    random_session_key(&session);
    /* what -localauth mints: principal "afs", no cell, valid from 0 to "never" */
    code = tkt_MakeTicket(ticket, &ticket_len, &key, AUTH_SUPERUSER, "", "", 0, 0xffffffff, &session, 0,
			  "afs", "");
    if (code != 0) {
	fprintf(stderr, "rxperf: tkt_MakeTicket failed with %d\n", code);
	exit(1);
    }
    *index = SECIDX_KAD;
    return rxkad_NewClientSecurityObject((rxkad_level)level, &session, kvno, ticket_len, ticket);
}

struct rx_securityClass **
rxperf_server_security(const char *keydir, int min_level, int *count)
{
    struct rx_securityClass **classes = calloc(SECIDX_KAD + 1, sizeof(*classes));
    struct afsconf_dir *dir;

    if (keydir == NULL) {
	classes[SECIDX_NULL] = rxnull_NewServerSecurityObject();
	*count = 1;
	return classes;
    }
    dir = afsconf_Open(keydir);
    if (dir == NULL) {
	fprintf(stderr, "rxperf: cannot open server configuration folder %s\n", keydir);
	exit(2);
    }
    /* index 0 stays empty: a client without rxkad is refused */
    classes[SECIDX_KAD] =
	rxkad_NewServerSecurityObject((rxkad_level)(min_level < 0 ? rxkad_clear : min_level), dir,
				      afsconf_GetKey, NULL);
    *count = SECIDX_KAD + 1;
    return classes;
}

int
rxperf_call_level(struct rx_call *call)
{
    struct rx_connection *conn = rx_ConnectionOf(call);
    char name[MAXKTCNAMELEN], inst[MAXKTCNAMELEN], cell[MAXKTCREALMLEN];
    afs_uint32 expiry;
    afs_int32 kvno;
    rxkad_level level;
    if (rx_SecurityClassOf(conn) != SECIDX_KAD)
	return -1;
    if (rxkad_GetServerInfo(conn, &level, &expiry, name, inst, cell, &kvno) != 0)
	return -1;
    return level;
}
