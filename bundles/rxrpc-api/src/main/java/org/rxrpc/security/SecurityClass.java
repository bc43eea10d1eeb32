package org.rxrpc.security;

/** A security class as the wire names it: the header's securityIndex and a name for logs. */
public interface SecurityClass {
    /** Index 0: no security (OpenAFS rx_null, Linux "insecure"). */
    int NULL_INDEX = 0;
    /** Index 2: rxkad (Kerberos 4 style tickets, fcrypt). */
    int RXKAD_INDEX = 2;
    /** Index 4: rxgk (GSS-API keys), reserved for a later class. */
    int RXGK_INDEX = 4;

    /** The securityIndex this class is carried under in every packet header. */
    int index();

    /** A short name for logs and status ("null", "rxkad"). */
    String name();
}
