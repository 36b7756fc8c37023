package dev.auditlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidV7Test {

    @Test
    void hasVersion7AndRfcVariantAndCurrentTimestamp() {
        long before = System.currentTimeMillis();
        UUID id = UuidV7.next();
        long after = System.currentTimeMillis();
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.toString().charAt(14)).isEqualTo('7');
        assertThat(UuidV7.unixMillis(id)).isBetween(before, after + 1);
    }

    @Test
    void strictlyIncreasingInOneThread() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(UuidV7.next());
        }
        for (int i = 1; i < ids.size(); i++) {
            UUID prev = ids.get(i - 1);
            UUID cur = ids.get(i);
            // UUIDv7 sorts as unsigned bytes == string order; compare strings (UUID.compareTo is signed)
            assertThat(cur.toString()).isGreaterThan(prev.toString());
            assertThat(cur.version()).isEqualTo(7);
            assertThat(cur.variant()).isEqualTo(2);
        }
    }

    @Test
    void monotonicWithinOneMillisecondEvenPastCounterOverflowAndClockGoingBack() {
        long t = 1_900_000_000_000L;
        UuidV7 generator = new UuidV7();
        UUID prev = generator.generate(t);
        for (int i = 0; i < 10_000; i++) { // > 4096 ids in one "millisecond" overflows the 12-bit counter
            UUID cur = generator.generate(i % 2 == 0 ? t : t - 5);
            assertThat(cur.toString()).isGreaterThan(prev.toString());
            prev = cur;
        }
        assertThat(UuidV7.unixMillis(prev)).isGreaterThan(t);
        UUID later = generator.generate(t + 1_000_000);
        assertThat(UuidV7.unixMillis(later)).isEqualTo(t + 1_000_000);
        assertThat(later.toString()).isGreaterThan(prev.toString());
    }
}
