package dev.auditlog.spi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The allocation-free writers must produce exactly what Instant.toString and UUID.toString produce: it is hashed. */
class TextsTest {
    private static String instant(Instant t) {
        byte[] buf = new byte[64];
        int end = Texts.instant(t, buf, 0);
        return end < 0 ? null : new String(buf, 0, end, StandardCharsets.US_ASCII);
    }

    @Test
    void instantsMatchInstantToString() {
        SplittableRandom random = new SplittableRandom(7);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long second = random.nextLong(min, max + 1);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(second, nano);
            assertThat(instant(t)).as("%s", t).isEqualTo(t.toString());
        }
        for (String edge : new String[]{"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
                "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00.100Z",
                "1900-03-01T00:00:00.000001Z", "2024-12-31T23:59:59.000000001Z"}) {
            assertThat(instant(Instant.parse(edge))).isEqualTo(edge);
        }
    }

    @Test
    void yearsOutsideFourDigitsFallBack() {
        assertThat(instant(Instant.MAX)).isNull();
        assertThat(instant(Instant.MIN)).isNull();
        assertThat(instant(Instant.parse("+10000-01-01T00:00:00Z"))).isNull();
        assertThat(instant(Instant.parse("-0001-12-31T23:59:59Z"))).isNull();
    }

    @Test
    void uuidsMatchUuidToString() {
        SplittableRandom random = new SplittableRandom(11);
        byte[] buf = new byte[36];
        for (int i = 0; i < 100_000; i++) {
            UUID u = new UUID(random.nextLong(), random.nextLong());
            assertThat(new String(buf, 0, Texts.uuid(u, buf, 0), StandardCharsets.US_ASCII)).isEqualTo(u.toString());
        }
        UUID zero = new UUID(0, 0);
        assertThat(new String(buf, 0, Texts.uuid(zero, buf, 0), StandardCharsets.US_ASCII)).isEqualTo(zero.toString());
    }
}
