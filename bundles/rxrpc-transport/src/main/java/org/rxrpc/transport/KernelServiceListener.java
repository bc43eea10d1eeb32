package org.rxrpc.transport;

import java.util.Objects;
import org.rxrpc.api.AttachCallback;
import org.rxrpc.api.DiscardNotifier;
import org.rxrpc.api.NewCallNotifier;
import org.rxrpc.api.ReceiveNotifier;
import org.rxrpc.api.RxService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernel-service mode (rxrpc_kernel_charge_accept): the owner charges calls bound to its own IDs and is
 * told of each call made live, so its worker can recharge.
 */
final class KernelServiceListener extends Listener implements RxService {
    private static final Logger LOG = LoggerFactory.getLogger(KernelServiceListener.class);

    private final NewCallNotifier newCall;
    private final DiscardNotifier discard;

    KernelServiceListener(
            Endpoint endpoint,
            int serviceId,
            int backlog,
            org.rxrpc.security.ServiceSecurity security,
            NewCallNotifier newCall,
            DiscardNotifier discard) {
        super(endpoint, serviceId, backlog, security);
        this.newCall = Objects.requireNonNull(newCall, "new-call notifier");
        this.discard = Objects.requireNonNull(discard, "discard notifier");
    }

    @Override
    public int serviceId() {
        return serviceId;
    }

    @Override
    public int backlog() {
        return backlogMax;
    }

    @Override
    public int chargedCalls() {
        return backlog.calls.count();
    }

    @Override
    public void charge(long userCallId, AttachCallback attach, ReceiveNotifier notifyRx) {
        Objects.requireNonNull(attach, "attach");
        if (userCallId == -1) throw new IllegalArgumentException("user call ID -1 is reserved");
        Accept.charge(this, userCallId, notifyRx, attach);
    }

    @Override
    void callMadeLive(Call call) {
        try {
            newCall.newCall(this, call, call.userCallId);
        } catch (RuntimeException e) {
            LOG.warn("new-call notifier of service {} threw", serviceId, e);
        }
    }

    @Override
    void discarded(Call call) {
        try {
            discard.discard(call, call.userCallId);
        } catch (RuntimeException e) {
            LOG.warn("discard notifier of service {} threw", serviceId, e);
        }
    }
}
