/**
 * rxkad, security index 2, as OpenAFS and Linux AF_RXRPC speak it, on the {@link org.rxrpc.security} SPI:
 * {@link org.rxrpc.rxkad.RxkadServerSecurity} (a service's side, with its {@link org.rxrpc.rxkad.ServerKeySource}
 * and minimum level) and {@link org.rxrpc.rxkad.RxkadClientSecurity} (a client's, from a
 * {@link org.rxrpc.rxkad.Token}); {@link org.rxrpc.rxkad.Fcrypt}; tickets ({@link org.rxrpc.rxkad.DesTicket},
 * {@link org.rxrpc.rxkad.Krb5Ticket}); keys from an OpenAFS configuration folder
 * ({@link org.rxrpc.rxkad.OpenAfsKeyFolder}) or from properties ({@link org.rxrpc.rxkad.ServerKeyRing#fromProperties});
 * {@link org.rxrpc.rxkad.LocalAuth}.
 *
 * <p>Key material is never logged and never printed: every class holding a key or a ticket redacts it in
 * {@code toString()}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.rxrpc.rxkad;
