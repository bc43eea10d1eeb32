package org.rxrpc.cm;

import java.net.Inet4Address;
import java.util.Objects;

/** One network interface the cache manager reports (WhoAreYou / TellMeAboutYourself), netmask as an int. */
public record CmInterface(Inet4Address address, int netmask, int mtu) {
    public CmInterface {
        Objects.requireNonNull(address, "address");
    }
}
