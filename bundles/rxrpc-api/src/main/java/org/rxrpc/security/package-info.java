/**
 * The security-class SPI of the Rx transport: what the transport asks of a security class (index 0 null,
 * 2 rxkad, 4 rxgk later) per connection and per packet.
 *
 * <p>Threading and allocation, the transport's rules: a server's per-connection state
 * ({@link org.rxrpc.security.ServerConnectionSecurity}) is made ahead of time by the service's charging
 * worker ({@link org.rxrpc.security.ServerSecurity#newConnectionState()}, which may allocate); everything
 * else on it runs on the endpoint's I/O thread: {@code open}, the challenge, the response, and per DATA
 * packet the header checksum, {@code secure} and {@code verify} in place in the packet's own buffer,
 * allocating nothing. A client's state is made when its connection is made
 * ({@link org.rxrpc.security.ClientSecurity#newConnection}). Failures are
 * {@link org.rxrpc.security.SecurityFailure}s carrying the abort code to send
 * ({@link org.rxrpc.security.SecurityAbortCodes}); they are preallocated, so a hostile packet costs no
 * allocation either.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.rxrpc.security;
