package dev.auditlog.servlet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 CIDR range ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), or one address ({@code 192.0.2.1} is
 * {@code /32}, {@code ::1} is {@code /128}). Addresses are parsed as literals only, never looked up in DNS; an
 * IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}) is the IPv4 address.
 */
final class IpRange {
    private final byte[] network;
    private final int prefix;
    private final String text;

    private IpRange(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /**
     * Parses a range for the setting {@code field}.
     *
     * @throws IllegalArgumentException naming the field, the rule and the value
     */
    static IpRange parse(String field, String cidr) {
        String rule = " must be an IP address or CIDR range such as 10.0.0.0/8 or 2001:db8::/32, was \"" + cidr + "\"";
        if (cidr == null) {
            throw new NullPointerException(field);
        }
        int slash = cidr.indexOf('/');
        byte[] addr = parseAddress(slash < 0 ? cidr : cidr.substring(0, slash));
        if (addr == null) {
            throw new IllegalArgumentException(field + rule);
        }
        int max = addr.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = cidr.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (prefix = Integer.parseInt(p)) > max) {
                throw new IllegalArgumentException(field + " prefix length must be 0-" + max + " for "
                        + (max == 32 ? "IPv4" : "IPv6") + ", was \"" + cidr + "\"");
            }
        }
        byte[] masked = mask(addr, prefix);
        if (!Arrays.equals(masked, addr)) {
            throw new IllegalArgumentException(field + " must not set bits after the prefix (a range starts at its"
                    + " network address), was \"" + cidr + "\"; did you mean " + format(masked) + "/" + prefix + "?");
        }
        return new IpRange(masked, prefix, cidr);
    }

    boolean contains(byte[] addr) {
        return addr.length == network.length && Arrays.equals(mask(addr, prefix), network);
    }

    @Override
    public String toString() {
        return text;
    }

    private static byte[] mask(byte[] addr, int prefix) {
        byte[] out = addr.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - bits)));
        }
        return out;
    }

    /** The canonical text of an address: dotted quad, or RFC 5952-ish IPv6 as the JDK writes it. */
    static String format(byte[] addr) {
        try {
            return InetAddress.getByAddress(addr).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + addr.length + " bytes", e); // 4 or 16: cannot happen
        }
    }

    /**
     * The 4 or 16 bytes of an IP literal ({@code [v6]} brackets allowed), or null when it is not one. IPv4 must be
     * a strict dotted quad (no leading zeros); IPv6 only hex digits, colons and an embedded dotted quad, no zone.
     * No DNS: a string the JDK could take for a host name is refused before it gets there.
     */
    static byte[] parseAddress(String s) {
        if (s == null || s.isEmpty() || s.length() > 45 + 2) {
            return null;
        }
        if (s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
            s = s.substring(1, s.length() - 1);
        }
        if (s.indexOf(':') < 0) {
            return ipv4(s);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                return null;
            }
        }
        try {
            // Only a literal reaches here (it has a colon and hex characters only), which the JDK never resolves.
            return InetAddress.getByName(s).getAddress(); // a mapped ::ffff:a.b.c.d comes back as 4 bytes
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || p.length() > 1 && p.charAt(0) == '0'
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }
}
