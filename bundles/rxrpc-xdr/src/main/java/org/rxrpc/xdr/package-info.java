/**
 * The runtime of rxgen-generated code: XDR ({@link org.rxrpc.xdr.XdrEncoder}, {@link org.rxrpc.xdr.XdrDecoder}
 * over a small sink/source), the base of generated client stubs ({@link org.rxrpc.xdr.RxgenClient}: blocking
 * calls with timeouts over an {@link org.rxrpc.api.RxEndpoint}; split procedures through
 * {@link org.rxrpc.xdr.SplitCall}), the base of generated dispatchers ({@link org.rxrpc.xdr.RxgenDispatcher},
 * one entry point {@link org.rxrpc.xdr.Dispatcher#dispatch} for an incoming call) and error tables
 * ({@link org.rxrpc.xdr.ErrorTable}).
 *
 * <p>Failures follow OpenAFS's rxgen: a client whose request cannot be encoded aborts its call with
 * {@code RXGEN_CC_MARSHAL}, one whose reply cannot be decoded with {@code RXGEN_CC_UNMARSHAL}; a server aborts
 * an unknown opcode with {@code RXGEN_OPCODE}, a short or overlong request with {@code RXGEN_SS_UNMARSHAL}, and
 * an application error ({@link org.rxrpc.api.RxAbortException}, thrown by the service) with its code. Client methods report every abort
 * as an {@link org.rxrpc.api.RxCallAbortedException} carrying the code.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.rxrpc.xdr;
