package dev.auditlog.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one scrubber every driver or store message passes before it reaches a log line, an exception message, a
 * stored notice or the CLI: it removes URL user info ({@code scheme://user:password@host} becomes
 * {@code scheme://***@host}), password-like parameters ({@code password=...}, {@code pwd=...}, {@code secret=...},
 * {@code token=...}, {@code apikey=...}), bearer tokens and JWTs; and, given the connection string the message may
 * stem from, every secret that string holds wherever it appears (a driver that misparses
 * {@code jdbc:mariadb://root:Sup3rS3cretPW@127.0.0.1:3306/x} reports {@code Incorrect port value :
 * Sup3rS3cretPW@127.0.0.1}). Record contents are the callers' part: they keep only a message's first line and
 * withhold quoted rows (see the JDBC sink).
 */
public final class Scrubber {
    /** What a removed secret becomes. */
    public static final String MASK = "***";

    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s?#]*@");
    private static final Pattern PARAMETER = Pattern.compile(
            "(?i)\\b(password|passwd|pwd|secret|token|apikey|api_key|access_key|secret_key)(\\s*[=:]\\s*)"
                    + "(\"[^\"]*\"|'[^']*'|[^\\s&;,)\"']+)");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    private Scrubber() {
    }

    /** {@code text} without URL user info, password-like parameters, bearer tokens and JWTs; null stays null. */
    public static String scrub(String text) {
        if (text == null) {
            return null;
        }
        String s = USER_INFO.matcher(text).replaceAll("$1" + MASK + "@");
        s = PARAMETER.matcher(s).replaceAll("$1$2" + MASK);
        s = BEARER.matcher(s).replaceAll("$1 " + MASK);
        return JWT.matcher(s).replaceAll(MASK);
    }

    /** Like {@link #scrub(String)}, and every secret of {@code connection} (see {@link #secretsOf}) masked too. */
    public static String scrub(String text, String connection) {
        return scrub(text, secretsOf(connection));
    }

    /** Like {@link #scrub(String)}, and every one of {@code secrets} masked wherever it appears. */
    public static String scrub(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        String s = text;
        for (String secret : secrets) {
            if (secret.length() >= 3) {
                s = s.replace(secret, MASK);
            }
        }
        return scrub(s);
    }

    /**
     * The secrets a connection string or store spec holds: the password of its user info (and, as drivers may
     * misparse it, the user info as a whole) and the values of password-like parameters.
     */
    public static List<String> secretsOf(String connection) {
        List<String> out = new ArrayList<>();
        if (connection == null) {
            return out;
        }
        int scheme = connection.indexOf("://");
        if (scheme >= 0) {
            int hostStart = scheme + 3;
            int end = hostStart;
            while (end < connection.length() && "/?#".indexOf(connection.charAt(end)) < 0) {
                end++;
            }
            int at = connection.lastIndexOf('@', end - 1);
            if (at >= hostStart) {
                String userInfo = connection.substring(hostStart, at);
                int colon = userInfo.indexOf(':');
                if (colon >= 0) {
                    out.add(userInfo.substring(colon + 1));
                    out.add(userInfo);
                }
            }
        }
        Matcher m = PARAMETER.matcher(connection);
        while (m.find()) {
            String v = m.group(3);
            if (v.length() > 1 && (v.startsWith("\"") || v.startsWith("'"))) {
                v = v.substring(1, v.length() - 1);
            }
            out.add(v);
        }
        out.sort((a, b) -> b.length() - a.length()); // longest first, so a part never leaves the rest showing
        return out;
    }
}
