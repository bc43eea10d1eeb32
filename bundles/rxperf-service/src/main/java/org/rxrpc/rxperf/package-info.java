/** The rxperf protocol (OpenAFS src/tools/rxperf, Linux net/rxrpc/rxperf.c): server and client. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.rxrpc.rxperf;
