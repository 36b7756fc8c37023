package dev.auditlog.spring.boot;

import dev.auditlog.Actor;
import dev.auditlog.Channel;
import dev.auditlog.Origin;
import jakarta.servlet.http.HttpServletRequest;

import java.util.Optional;

/** Turns what a request or a login tells into valid actors and origins: never throws on odd input. */
final class Requests {
    /** The actor id recorded when the name given cannot be an actor id (empty, too long, malformed). */
    static final String INVALID_NAME = "(invalid-name)";
    private static final int MAX_ID = 256;
    private static final int MAX_AGENT = 512;

    private Requests() {
    }

    /** A user actor named {@code name}, or {@link #INVALID_NAME} when the name is not a valid id. */
    static Actor user(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_ID || !wellFormed(name)) {
            return Actor.user(INVALID_NAME);
        }
        return Actor.user(name);
    }

    /** The origin of a servlet request: the peer address (never a forwarded header), user agent, channel. */
    static Optional<Origin> origin(HttpServletRequest request, Channel channel) {
        if (request == null) {
            return Optional.empty();
        }
        Origin.Builder b = Origin.builder().channel(channel);
        ip(request.getRemoteAddr()).ifPresent(b::ip);
        String agent = request.getHeader("User-Agent");
        if (agent != null && !agent.isBlank() && wellFormed(agent)) {
            b.userAgent(agent.length() > MAX_AGENT ? agent.substring(0, MAX_AGENT) : agent);
        }
        return Optional.of(b.build());
    }

    /** An origin with just an IP, when it is a valid literal. */
    static Optional<Origin> originOfIp(String ip, Channel channel) {
        return ip(ip).map(a -> Origin.builder().ip(a).channel(channel).build());
    }

    static Optional<String> ip(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        try {
            Origin.builder().ip(a); // the library's own rule for an IP literal
            return Optional.of(a);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The request's path within the application (without the context path); never empty. */
    static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        String p = uri.startsWith(context) ? uri.substring(context.length()) : uri;
        return p.isEmpty() ? "/" : p;
    }
}
