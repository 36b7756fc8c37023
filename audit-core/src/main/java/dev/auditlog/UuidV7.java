package dev.auditlog;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates time-ordered UUIDv7 values (RFC 9562 §5.7).
 *
 * <p>Layout: 48-bit Unix epoch milliseconds, version {@code 0b0111}, a 12-bit {@code rand_a} field used as a
 * monotonic counter within one millisecond (RFC 9562 §6.2, method 1), the {@code 0b10} variant, and 62 random
 * bits from {@link ThreadLocalRandom}. The counter is seeded randomly each new millisecond with its top bit
 * clear (leaving room to count up); when it overflows, or when the wall clock steps backwards, the embedded
 * timestamp is advanced logically so ids generated in this JVM are strictly increasing.
 *
 * <p>Internal API: not exported from the module.
 */
final class UuidV7 {

    private static final long MAX_COUNTER = 0xFFF;
    private static final UuidV7 SHARED = new UuidV7();

    /**
     * The last id's milliseconds and counter as one number, {@code millis << 12 | counter}, so that one
     * compare-and-set takes the next id without a lock; adding one to it when the counter is exhausted moves to the
     * next millisecond with a counter of 0, as the rule above says.
     */
    private final AtomicLong last = new AtomicLong(-1); // before any millisecond

    /** Creates an independent generator; production code uses the shared one through {@link #next()}. */
    UuidV7() {
    }

    /** Returns a new UUIDv7 for the current wall-clock time from the JVM-wide generator. */
    public static UUID next() {
        return SHARED.generate(System.currentTimeMillis());
    }

    /**
     * Returns a new UUIDv7 for the given Unix time in milliseconds. Monotonic with all other ids from this
     * generator, even if {@code nowMillis} goes backwards.
     */
    UUID generate(long nowMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long now = nowMillis & 0xFFFF_FFFF_FFFFL;
        long next;
        while (true) {
            long prev = last.get();
            next = now > prev >> 12 ? now << 12 | random.nextLong(MAX_COUNTER >>> 1) // top bit clear
                    : prev + 1;
            if (last.compareAndSet(prev, next)) {
                break;
            }
        }
        long msb = ((next >>> 12 & 0xFFFF_FFFF_FFFFL) << 16) | 0x7000L | (next & MAX_COUNTER);
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** Returns the 48-bit Unix millisecond timestamp embedded in a UUIDv7. */
    public static long unixMillis(UUID uuid) {
        return uuid.getMostSignificantBits() >>> 16;
    }
}
