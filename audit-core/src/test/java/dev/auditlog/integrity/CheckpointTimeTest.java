package dev.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint's fast time parser answers only for times {@code Instant.toString()} writes, with the same instant,
 * and does answer for every such time of year 0000-9999; anything else is left to the slow path.
 */
class CheckpointTimeTest {

    @Test
    void fastPathAcceptsExactlyTheCanonicalTimesWithTheSameInstant() {
        Random rnd = new Random(5);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        String digits = "0123456789";
        for (int i = 0; i < 300_000; i++) {
            long second = min + (long) (rnd.nextDouble() * (max - min));
            int nanos = switch (rnd.nextInt(4)) {
                case 0 -> 0;
                case 1 -> rnd.nextInt(1000) * 1_000_000;
                case 2 -> rnd.nextInt(1_000_000) * 1000;
                default -> rnd.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(second, nanos);
            String text = t.toString();
            assertThat(Checkpoint.canonicalTime(text)).as(text).isEqualTo(t);
            // A one-character change: the fast path answers only when the slow one accepts, with the same instant.
            char[] c = text.toCharArray();
            c[rnd.nextInt(c.length)] = rnd.nextInt(4) == 0 ? ':' : digits.charAt(rnd.nextInt(10));
            String mutated = rnd.nextInt(10) == 0 ? text.replace("Z", "0Z") : new String(c);
            Instant fast = Checkpoint.canonicalTime(mutated);
            if (fast != null) {
                assertThat(Instant.parse(mutated)).as(mutated).isEqualTo(fast);
                assertThat(fast.toString()).as(mutated).isEqualTo(mutated);
            } else {
                try {
                    assertThat(Instant.parse(mutated).toString()).as(mutated).isNotEqualTo(mutated);
                } catch (DateTimeParseException expected) {
                    // neither accepts it
                }
            }
        }
    }
}
