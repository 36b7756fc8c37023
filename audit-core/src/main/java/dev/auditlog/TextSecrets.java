package dev.auditlog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets inside free text and ids (the message, the outcome reason, the ids): bearer and basic credentials, JWTs,
 * password-like {@code key=value} parameters, and payment card numbers (13-19 digits, optionally grouped by spaces
 * or dashes, passing the Luhn check). Each is replaced by {@value Redaction#REDACTED} (a bearer token keeps its
 * scheme word, a parameter its name). A cheap scan decides first whether any pattern can match, so ordinary text
 * costs one pass over its chars.
 */
final class TextSecrets {
    private static final Pattern AUTH = Pattern.compile("(?i)\\b(bearer|basic)(\\s+)[A-Za-z0-9._~+/-]{8,}=*");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");
    private static final Pattern PARAMETER = Pattern.compile(
            "(?i)\\b(password|passwd|pwd|secret|token|api_?key|access_?token|client_secret)(=|:\\s*)"
                    + "(?!\\[REDACTED\\])[^\\s&;,\"']+");
    private static final Pattern CARD = Pattern.compile("(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])");

    private TextSecrets() {
    }

    /** {@code text} with its secrets replaced, or {@code text} itself (the same instance) when it holds none. */
    static String redact(String text) {
        if (!mightHold(text)) {
            return text;
        }
        String s = AUTH.matcher(text).replaceAll("$1$2" + Redaction.REDACTED);
        s = JWT.matcher(s).replaceAll(Redaction.REDACTED);
        s = PARAMETER.matcher(s).replaceAll("$1$2" + Matcher.quoteReplacement(Redaction.REDACTED));
        Matcher m = CARD.matcher(s);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            if (luhn(m.group())) {
                if (out == null) {
                    out = new StringBuilder(s.length());
                }
                out.append(s, last, m.start()).append(Redaction.REDACTED);
                last = m.end();
            }
        }
        if (out != null) {
            s = out.append(s, last, s.length()).toString();
        }
        return s.equals(text) ? text : s;
    }

    /** Whether a pattern can match: a long digit run, "eyJ", "=" or ":", or "bearer"/"basic" in any case. */
    static boolean mightHold(String s) {
        int digits = 0;
        int maxDigits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                maxDigits = Math.max(maxDigits, ++digits);
            } else if (c != ' ' && c != '-') {
                digits = 0;
            }
            if (c == '=' || c == ':' || (c == 'e' && s.startsWith("eyJ", i))
                    || ((c == 'b' || c == 'B') && (s.regionMatches(true, i, "bearer", 0, 6)
                    || s.regionMatches(true, i, "basic", 0, 5)))) {
                return true;
            }
        }
        return maxDigits >= 13;
    }

    private static boolean luhn(String grouped) {
        int sum = 0;
        int n = 0;
        for (int i = grouped.length() - 1; i >= 0; i--) {
            char c = grouped.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (n++ % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return n >= 13 && n <= 19 && sum % 10 == 0;
    }
}
