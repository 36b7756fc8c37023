package dev.auditlog.spi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TimesTest {
    private static final long MIN = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Test
    void theFastParseOfACanonicalTimeIsInstantParseOnRandomInstantsOfEveryPrecision() {
        SplittableRandom random = new SplittableRandom(20261201);
        List<ChronoUnit> units = List.of(ChronoUnit.SECONDS, ChronoUnit.MILLIS, ChronoUnit.MICROS, ChronoUnit.NANOS);
        for (int i = 0; i < 200_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(MIN, MAX + 1), random.nextInt(1_000_000_000))
                    .truncatedTo(units.get(i % 4));
            String text = t.toString();
            byte[] b = ("\"" + text + "\"").getBytes(StandardCharsets.US_ASCII);
            assertThat(Times.parseCanonical(b, 1, b.length - 1)).as(text).isEqualTo(t).isEqualTo(Instant.parse(text));
            assertThat(Times.parseCanonical(text)).as(text).isEqualTo(t);
        }
    }

    @Test
    void whatIsNotCanonicalIsLeftToInstantParse() {
        for (String s : List.of("2026-12-01T17:29:02.500Z", "2026-12-01T17:29:02.000Z", "2026-12-01T17:29:02.123000Z",
                "2026-02-30T00:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T17:29:02+00:00", "2026-12-01 17:29:02Z",
                "+10000-01-01T00:00:00Z", "2026-12-01T17:29:02.1Z", "2026-12-01T17:29:0aZ", "")) {
            Instant fast = Times.parseCanonical(s);
            if (s.equals("2026-12-01T17:29:02.500Z")) {
                assertThat(fast).isEqualTo(Instant.parse(s)); // whole milliseconds: three digits are canonical
            } else {
                assertThat(fast).as(s).isNull();
            }
        }
    }
}
