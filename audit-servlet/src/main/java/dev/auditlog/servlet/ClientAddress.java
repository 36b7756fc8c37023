package dev.auditlog.servlet;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * Who the client is, from the socket peer and {@code X-Forwarded-For}: the header is believed only as far as it
 * was written by trusted proxies. Walking it from the right (the hop nearest to us), each address that a trusted
 * proxy reported is taken; the first one that is not itself a trusted proxy is the client. A malformed entry ends
 * the walk at the last address a trusted proxy vouched for. A peer that is not a trusted proxy is the client, and
 * its header is ignored (anyone can send one).
 */
final class ClientAddress {
    static final String X_FORWARDED_FOR = "X-Forwarded-For";

    private final List<IpRange> trusted;

    ClientAddress(List<IpRange> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** The outcome: the client's address (null when the peer is not an IP, e.g. a Unix socket), and the peer's. */
    record Resolved(byte[] client, byte[] peer, boolean forwardedInvalid) {
    }

    Resolved resolve(String remoteAddr, Enumeration<String> forwardedFor) {
        byte[] peer = IpRange.parseAddress(remoteAddr);
        if (peer == null || !trusted(peer) || forwardedFor == null) {
            return new Resolved(peer, peer, false);
        }
        List<String> hops = new ArrayList<>();
        while (forwardedFor.hasMoreElements()) {
            for (String h : forwardedFor.nextElement().split(",", -1)) {
                hops.add(h.strip());
            }
        }
        byte[] client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (hops.get(i).isEmpty() && hops.size() == 1) {
                break; // an empty header: nothing forwarded
            }
            byte[] hop = IpRange.parseAddress(withoutPort(hops.get(i)));
            if (hop == null) {
                return new Resolved(client, peer, true);
            }
            client = hop;
            if (!trusted(hop)) {
                break;
            }
        }
        return new Resolved(client, peer, false);
    }

    private boolean trusted(byte[] addr) {
        for (IpRange r : trusted) {
            if (r.contains(addr)) {
                return true;
            }
        }
        return false;
    }

    /** {@code 192.0.2.1:8080} and {@code [2001:db8::1]:443}, which some proxies write, without the port. */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            return close < 0 ? hop : hop.substring(0, close + 1);
        }
        int colon = hop.indexOf(':');
        return colon > 0 && colon == hop.lastIndexOf(':') && hop.indexOf('.') > 0 ? hop.substring(0, colon) : hop;
    }
}
