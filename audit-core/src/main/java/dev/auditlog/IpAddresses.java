package dev.auditlog;

/**
 * A strict, purely textual validator for IP address literals. It never performs a DNS lookup (unlike
 * {@code InetAddress.getByName}), so it is safe to run on untrusted text.
 *
 * <p>Accepted: IPv4 dotted-quad with decimal octets 0–255 and no leading zeros (except {@code "0"}); IPv6 per
 * RFC 4291 §2.2 including one {@code ::} compression and an embedded IPv4 tail; an IPv6 literal may carry a
 * {@code %zone} suffix (RFC 4007/6874) of 1–64 unreserved chars ({@code A-Z a-z 0-9 - . _ ~}).
 *
 * <p>Internal API: not exported from the module.
 */
final class IpAddresses {

    /** Human-readable rule, used in error messages. */
    public static final String RULE = "be an IPv4 dotted-quad or IPv6 literal (optionally with %zone)";

    private static final int MAX_ZONE_LENGTH = 64;

    private IpAddresses() {
    }

    /** Returns whether {@code s} is a valid IPv4 or IPv6 literal as described on this class. */
    public static boolean isValid(String s) {
        return isIpv4(s) || isIpv6WithOptionalZone(s);
    }

    /** Returns whether {@code s} is a strict IPv4 dotted-quad. */
    public static boolean isIpv4(String s) {
        return isIpv4(s, 0, s.length());
    }

    private static boolean isIpv4(String s, int from, int to) {
        int parts = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 4 && isDigit(s.charAt(i))) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int len = i - start;
            if (len == 0 || len > 3 || value > 255 || (len > 1 && s.charAt(start) == '0')) {
                return false;
            }
            parts++;
            if (i == to) {
                return parts == 4;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
    }

    private static boolean isIpv6WithOptionalZone(String s) {
        int percent = s.indexOf('%');
        if (percent < 0) {
            return isIpv6(s, 0, s.length());
        }
        int zoneLength = s.length() - percent - 1;
        if (zoneLength < 1 || zoneLength > MAX_ZONE_LENGTH) {
            return false;
        }
        for (int i = percent + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || c == '-' || c == '.' || c == '_' || c == '~')) {
                return false;
            }
        }
        return isIpv6(s, 0, percent);
    }

    private static boolean isIpv6(String s, int from, int to) {
        int compression = s.indexOf("::", from);
        if (compression >= to - 1) {
            compression = -1;
        }
        if (compression < 0) {
            return groups(s, from, to, true) == 8;
        }
        int secondCompression = s.indexOf("::", compression + 1);
        if (secondCompression >= 0 && secondCompression < to - 1) {
            return false; // a second "::" or ":::"
        }
        int head = compression == from ? 0 : groups(s, from, compression, false);
        int tail = compression + 2 == to ? 0 : groups(s, compression + 2, to, true);
        return head >= 0 && tail >= 0 && head + tail <= 7;
    }

    /** Counts 16-bit groups in a non-empty colon-separated run, or returns -1 when malformed. */
    private static int groups(String s, int from, int to, boolean ipv4TailAllowed) {
        int count = 0;
        int i = from;
        while (true) {
            int start = i;
            while (i < to && s.charAt(i) != ':') {
                i++;
            }
            boolean last = i == to;
            if (last && ipv4TailAllowed && s.indexOf('.', start) >= 0 && s.indexOf('.', start) < to) {
                return isIpv4(s, start, to) ? count + 2 : -1;
            }
            int len = i - start;
            if (len < 1 || len > 4) {
                return -1;
            }
            for (int k = start; k < i; k++) {
                if (!isHex(s.charAt(k))) {
                    return -1;
                }
            }
            count++;
            if (last) {
                return count;
            }
            i++; // skip ':'
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
