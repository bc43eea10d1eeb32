/**
 * The Rx transport API: open a UDP endpoint, listen for incoming calls with a preallocated backlog
 * (kernel-service mode with charge and notifiers, or user-socket mode with accept / reject / manual
 * charge), make client calls, and stream request and reply bytes through {@link org.rxrpc.api.RxCall}.
 *
 * <p>Threading: every endpoint has one I/O thread that owns all protocol state. Notifier callbacks
 * ({@link org.rxrpc.api.NewCallNotifier}, {@link org.rxrpc.api.ReceiveNotifier}) run on that thread and
 * must only signal other threads. {@link org.rxrpc.api.RxCall#send} and {@link org.rxrpc.api.RxCall#receive}
 * block and must never be called from a notifier.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package org.rxrpc.api;
