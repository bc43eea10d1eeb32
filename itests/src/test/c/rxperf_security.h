/*
 * rxperf_security: the security classes of the rxperf C peers. Without rxkad options they speak the
 * null class (index 0) as before; with them, rxkad (index 2) on Debian's libafsrpc/libafsauthent:
 *   client: a level and a ticket minted as OpenAFS's -localauth does (tkt_MakeTicket for "afs", start 0,
 *           end 0xffffffff, a random session key), sealed with the newest key of a server configuration
 *           folder (KeyFile) or with a key given as KVNO:HEX16;
 *   server: rxkad with a minimum level, keys looked up by kvno in a server configuration folder.
 */
#ifndef RXPERF_SECURITY_H
#define RXPERF_SECURITY_H

#include <rx/rx.h>

/* rxkad level from "clear", "auth", "crypt" (or 0, 1, 2); -1 if none of these. */
int rxperf_parse_level(const char *name);

/* Name of a level, for messages. */
const char *rxperf_level_name(int level);

/*
 * The client's security object and index: null (index 0) when level < 0, else rxkad at that level with a
 * ticket sealed by the newest key in keydir or by keyspec ("KVNO:16 hex digits"); exits 2 on a bad option.
 */
struct rx_securityClass *rxperf_client_security(int level, const char *keydir, const char *keyspec,
						int *index);

/*
 * The server's classes, indexed by security index: null only (*count 1) when keydir is NULL, else rxkad
 * alone at index 2 with minimum level min_level and keys from keydir (a null client is refused).
 */
struct rx_securityClass **rxperf_server_security(const char *keydir, int min_level, int *count);

/* The rxkad level of a call's connection, or -1 for the null class. */
int rxperf_call_level(struct rx_call *call);

#endif
