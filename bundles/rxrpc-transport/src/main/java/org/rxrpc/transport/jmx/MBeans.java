package org.rxrpc.transport.jmx;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.EndpointSnapshot;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.api.ServiceSnapshot;
import org.rxrpc.api.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's MBeans in the platform MBean server (the one Karaf's JMX and jconsole show): one per
 * open endpoint, {@code org.rxrpc:type=Endpoint,port=PORT}, and one per whiteboard service,
 * {@code org.rxrpc:type=Service,port=PORT,id=SERVICE}. {@link #sync} registers what is new and
 * unregisters what is gone; {@link #clear} unregisters all.
 */
public final class MBeans {
    public static final String DOMAIN = "org.rxrpc";
    private static final Logger LOG = LoggerFactory.getLogger(MBeans.class);

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final RxEndpoints transport;
    /** Guarded by this. */
    private final Map<RxEndpoint, ObjectName> endpoints = new IdentityHashMap<>();
    /** By "port/id". Guarded by this. */
    private final Map<String, ObjectName> services = new HashMap<>();

    public MBeans(RxEndpoints transport) {
        this.transport = transport;
    }

    public static ObjectName endpointName(int port) {
        return name("type=Endpoint,port=" + port);
    }

    public static ObjectName serviceName(int port, int serviceId) {
        return name("type=Service,port=" + port + ",id=" + serviceId);
    }

    private static ObjectName name(String properties) {
        try {
            return new ObjectName(DOMAIN + ":" + properties);
        } catch (JMException e) {
            throw new IllegalArgumentException(properties, e);
        }
    }

    /** Registers the MBeans of new endpoints and services, unregisters those of closed or gone ones. */
    public synchronized void sync(List<RxEndpoint> open, List<ServiceStatus> statuses) {
        Set<RxEndpoint> now = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        now.addAll(open);
        for (RxEndpoint e : new ArrayList<>(endpoints.keySet())) {
            if (!now.contains(e) || e.isClosed()) unregister(endpoints.remove(e));
        }
        for (RxEndpoint e : open) {
            if (endpoints.containsKey(e) || e.isClosed()) continue;
            InetSocketAddress a = e.localAddress();
            ObjectName n = endpointName(a.getPort());
            if (server.isRegistered(n)) {
                n = name("type=Endpoint,port=" + a.getPort() + ",address=" + ObjectName.quote(host(a)));
            }
            if (register(new StandardMBean(new EndpointBean(e), EndpointMXBean.class, true), n)) endpoints.put(e, n);
        }
        Map<String, ServiceStatus> byKey = new HashMap<>();
        for (ServiceStatus s : statuses) byKey.put(s.port() + "/" + s.serviceId(), s);
        for (String key : new ArrayList<>(services.keySet())) {
            if (!byKey.containsKey(key)) unregister(services.remove(key));
        }
        for (Map.Entry<String, ServiceStatus> s : byKey.entrySet()) {
            if (services.containsKey(s.getKey())) continue;
            ServiceStatus st = s.getValue();
            ObjectName n = serviceName(st.port(), st.serviceId());
            ServiceBean bean = new ServiceBean(transport, st.port(), st.serviceId());
            if (register(new StandardMBean(bean, ServiceMXBean.class, true), n)) services.put(s.getKey(), n);
        }
    }

    public synchronized void clear() {
        endpoints.values().forEach(this::unregister);
        services.values().forEach(this::unregister);
        endpoints.clear();
        services.clear();
    }

    private boolean register(Object bean, ObjectName n) {
        try {
            server.registerMBean(bean, n);
            return true;
        } catch (JMException | RuntimeException e) {
            LOG.warn("cannot register MBean {}: {}", n, e.toString());
            return false;
        }
    }

    private void unregister(ObjectName n) {
        if (n == null) return;
        try {
            server.unregisterMBean(n);
        } catch (JMException | RuntimeException e) {
            LOG.debug("cannot unregister MBean {}: {}", n, e.toString());
        }
    }

    static String host(InetSocketAddress a) {
        return a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    }

    static String address(InetSocketAddress a) {
        if (a == null) return "";
        String h = host(a);
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    /** An endpoint's settings as name = value, in EndpointOptions' own words. */
    static Map<String, String> settings(EndpointOptions o) {
        Map<String, String> m = new TreeMap<>();
        String s = o.toString();
        String body = s.substring(s.indexOf('[') + 1, s.lastIndexOf(']'));
        for (String kv : body.split(", ")) {
            int eq = kv.indexOf('=');
            if (eq > 0) m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    private static final class EndpointBean implements EndpointMXBean {
        private final RxEndpoint endpoint;

        EndpointBean(RxEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        private EndpointSnapshot look() {
            return endpoint.snapshot(0);
        }

        @Override
        public String getLocalAddress() {
            return address(endpoint.localAddress());
        }

        @Override
        public int getPort() {
            return endpoint.localAddress().getPort();
        }

        @Override
        public String getSocket() {
            return look().socket();
        }

        @Override
        public Map<String, String> getSettings() {
            return settings(look().options());
        }

        @Override
        public Map<String, Long> getCounters() {
            Map<String, Long> m = new TreeMap<>();
            var stats = endpoint.stats();
            for (Counter c : Counter.values()) m.put(c.name(), stats.get(c));
            return m;
        }

        @Override
        public Map<String, String> getServices() {
            Map<String, String> m = new TreeMap<>();
            for (ServiceSnapshot s : look().services()) m.put(Integer.toString(s.serviceId()), describe(s));
            return m;
        }

        @Override
        public int getLiveCalls() {
            return look().liveCalls();
        }

        @Override
        public int getPeers() {
            return look().peerCount();
        }

        @Override
        public int getConnections() {
            return look().connections();
        }

        @Override
        public int getFreePacketBuffers() {
            return look().freePacketBuffers();
        }

        @Override
        public long getCallsMadeLive() {
            return endpoint.stats().get(Counter.CALLS_MADE_LIVE);
        }

        @Override
        public long getBusySent() {
            return endpoint.stats().get(Counter.BUSY_SENT);
        }

        @Override
        public long getDatagramsReceived() {
            return endpoint.stats().get(Counter.DATAGRAMS_RECEIVED);
        }

        @Override
        public long getDatagramsSent() {
            return endpoint.stats().get(Counter.DATAGRAMS_SENT);
        }

        @Override
        public long getDrops() {
            return endpoint.stats().drops();
        }
    }

    static String describe(ServiceSnapshot s) {
        return (s.userSocket() ? "user-socket" : "kernel-service") + ", backlog " + s.backlog() + ", charged "
                + s.chargedCalls() + ", live " + s.liveCalls() + ", deferred " + s.deferredCalls() + ", busy sent "
                + s.busySent() + (s.draining() ? ", draining" : "");
    }

    private static final class ServiceBean implements ServiceMXBean {
        private final RxEndpoints transport;
        private final int port;
        private final int serviceId;

        ServiceBean(RxEndpoints transport, int port, int serviceId) {
            this.transport = transport;
            this.port = port;
            this.serviceId = serviceId;
        }

        private ServiceStatus status() {
            for (ServiceStatus s : transport.services()) {
                if (s.port() == port && s.serviceId() == serviceId) return s;
            }
            return new ServiceStatus(serviceId, port, "?", ServiceStatus.State.WAITING, null, "gone");
        }

        /** Its figures on its endpoint, or null while it does not listen. */
        private ServiceSnapshot figures() {
            ServiceStatus st = status();
            if (st.boundTo() == null) return null;
            for (RxEndpoint e : transport.endpoints()) {
                if (!e.localAddress().equals(st.boundTo())) continue;
                for (ServiceSnapshot s : e.snapshot(0).services()) if (s.serviceId() == serviceId) return s;
            }
            return null;
        }

        @Override
        public int getServiceId() {
            return serviceId;
        }

        @Override
        public String getName() {
            return status().name();
        }

        @Override
        public int getPort() {
            return port;
        }

        @Override
        public String getState() {
            return status().state().name();
        }

        @Override
        public String getBoundTo() {
            return address(status().boundTo());
        }

        @Override
        public String getDetail() {
            return status().detail();
        }

        @Override
        public int getBacklog() {
            ServiceSnapshot s = figures();
            return s == null ? -1 : s.backlog();
        }

        @Override
        public int getChargedCalls() {
            ServiceSnapshot s = figures();
            return s == null ? -1 : s.chargedCalls();
        }

        @Override
        public int getLiveCalls() {
            ServiceSnapshot s = figures();
            return s == null ? -1 : s.liveCalls();
        }

        @Override
        public int getDeferredCalls() {
            ServiceSnapshot s = figures();
            return s == null ? -1 : s.deferredCalls();
        }

        @Override
        public long getBusySent() {
            ServiceSnapshot s = figures();
            return s == null ? -1 : s.busySent();
        }
    }
}
