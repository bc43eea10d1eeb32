/**
 * The serving support: write an {@link org.rxrpc.service.RxCallHandler}, publish it as an OSGi service
 * with the properties of {@link org.rxrpc.api.RxEndpoints} (service id, port, backlog, most live calls),
 * and this bundle serves it: it registers the handler's new-call and discard notifiers for the
 * transport's whiteboard, charges the preallocation from a worker of the service's own, and runs calls
 * on handler threads started on demand. {@link org.rxrpc.service.ServiceHost} does the same without
 * OSGi, on an endpoint you opened.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.rxrpc.service;
