/**
 * The AFS cache-manager callback service (RXAFSCB, service 1, UDP 7001): {@link
 * org.rxrpc.cm.CacheManagerServer} answers file servers, {@code cmdebug} and {@code xstat_cm_test}; a
 * {@link org.rxrpc.cm.CacheManager} supplies the data and receives callback breaks.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.rxrpc.cm;
