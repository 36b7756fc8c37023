package dev.auditlog.jdbc;

import dev.auditlog.spi.EventSummary;
import dev.auditlog.spi.SealedRecord;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Inserts records into PostgreSQL with {@code COPY ... FROM STDIN} (text format) through pgjdbc's copy API: one
 * stream per batch instead of bound parameters per row, the same columns and values as {@link Rows#bind}. Used only
 * when the connection is pgjdbc's (a pool's wrapper included); otherwise the sink uses its batched INSERT. COPY
 * inserts rows, so the table's constraints and append-only triggers apply as they do to INSERT, and it runs in
 * the sink's transaction: a failure rolls the whole batch back.
 */
final class PgCopy {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** Bytes per message to the server; the rows stream in chunks of about this size. */
    private static final int CHUNK = 1 << 16;

    private PgCopy() {
    }

    /** Whether {@code c} is a pgjdbc connection (pgjdbc may be absent: then the sink never gets here). */
    static boolean available(Connection c) {
        try {
            return c.isWrapperFor(PGConnection.class);
        } catch (SQLException | LinkageError e) {
            return false;
        }
    }

    /**
     * Whether pgjdbc rewrites batches into multi-row INSERTs ({@code reWriteBatchedInserts=true}); false when that
     * cannot be told (a wrapper that hides the connection, a driver version without the method).
     */
    static boolean rewritesBatches(Connection c) {
        try {
            return c.unwrap(org.postgresql.core.BaseConnection.class).getQueryExecutor()
                    .isReWriteBatchedInsertsEnabled();
        } catch (SQLException | LinkageError | RuntimeException e) {
            return false;
        }
    }

    static String sql(String prefix) {
        return "COPY " + JdbcSchema.recordsTable(prefix) + " (" + Rows.COLUMNS + ") FROM STDIN";
    }

    /** Copies {@code records} into the records table; the caller commits. */
    static void insert(Connection c, String prefix, List<SealedRecord> records) throws SQLException, IOException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql(prefix));
        try {
            Out rows = new Out(CHUNK + 4096);
            for (SealedRecord r : records) {
                row(rows, r);
                if (rows.size >= CHUNK) {
                    rows.sendTo(in);
                }
            }
            rows.sendTo(in);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy(); // a failure (SQLException or a malformed record) leaves no half-sent COPY behind
            }
        }
    }

    /**
     * One row in COPY's text format: tab-separated, {@code \N} for NULL, as {@link Rows#bind} binds it. The line goes
     * from the record's bytes straight into the buffer (checked to be UTF-8, as {@link Rows#text} checks it), not
     * through a String and back.
     */
    static void row(Out b, SealedRecord r) throws IOException {
        b.text(r.logId()).tab().number(r.sequence()).tab();
        b.text(r.type()).tab();
        b.line(r).tab();
        b.bytea(r.leafHash()).tab();
        b.bytea(r.chainHash()).tab();
        Optional<EventSummary> event;
        try {
            event = r.eventSummary();
        } catch (IllegalArgumentException e) {
            throw new IOException("record " + r.sequence() + " of log " + r.logId() + " carries a malformed event: "
                    + e.getMessage(), e);
        }
        Instant sealed = r.sealedAt();
        if (event.isPresent()) {
            EventSummary e = event.get();
            b.ascii(e.eventId().toString()).tab();
            b.time(e.occurredAt() == null ? sealed : e.occurredAt()).tab();
            b.time(sealed).tab();
            b.text(e.action()).tab();
            b.text(e.category().name()).tab();
            b.id(e.actorId()).tab();
            b.text(e.actorType().name()).tab();
            b.id(e.targetType().orElse(null)).tab();
            b.id(e.targetId().orElse(null)).tab();
            b.text(e.outcome().name()).tab();
            b.id(e.tenantId().orElse(null)).tab();
            b.id(e.traceId().orElse(null)).newline();
        } else {
            b.ascii("\\N\t\\N\t");
            b.time(sealed);
            for (int i = 10; i <= 18; i++) {
                b.ascii("\t\\N");
            }
            b.newline();
        }
    }

    /** A growable byte buffer of COPY text rows. */
    static final class Out {
        private byte[] buf;
        private int size;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        private void room(int n) {
            if (size + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }

        private Out put(byte x) {
            room(1);
            buf[size++] = x;
            return this;
        }

        Out tab() {
            return put((byte) '\t');
        }

        Out newline() {
            return put((byte) '\n');
        }

        /** Text known to be ASCII without COPY's special characters (digits, UUIDs, instants). */
        Out ascii(String s) {
            int n = s.length();
            room(n);
            for (int i = 0; i < n; i++) {
                buf[size++] = (byte) s.charAt(i);
            }
            return this;
        }

        Out number(long v) {
            return ascii(Long.toString(v));
        }

        /**
         * At microsecond precision (truncated), as {@code Rows.setTime}; ISO 8601 in UTC, written digit by digit
         * ({@code Instant.toString} goes through a formatter that allocates about 1 KB per call).
         */
        Out time(Instant t) {
            LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
            if (d.getYear() < 0 || d.getYear() > 9999) {
                return ascii(t.truncatedTo(ChronoUnit.MICROS).toString());
            }
            room(27);
            digits(d.getYear(), 4).put((byte) '-').digits(d.getMonthValue(), 2).put((byte) '-')
                    .digits(d.getDayOfMonth(), 2).put((byte) 'T').digits(d.getHour(), 2).put((byte) ':')
                    .digits(d.getMinute(), 2).put((byte) ':').digits(d.getSecond(), 2).put((byte) '.')
                    .digits(d.getNano() / 1000, 6);
            return put((byte) 'Z');
        }

        private Out digits(int value, int width) {
            room(width);
            for (int i = width - 1; i >= 0; i--) {
                buf[size + i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            size += width;
            return this;
        }

        /** Like {@code Rows.setId}: NULL when absent or wider than the column. */
        Out id(String value) {
            if (value == null || value.length() > Rows.MAX_ID_COLUMN) {
                return ascii("\\N");
            }
            return text(value);
        }

        /** Any string, UTF-8 encoded, with what COPY's text format gives a meaning escaped. */
        Out text(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            return escaped(bytes, 0, bytes.length);
        }

        /** The record's line: must be well-formed UTF-8, since the column is text and its bytes must come back. */
        Out line(SealedRecord r) throws IOException {
            java.nio.ByteBuffer line = r.lineBuffer();
            byte[] bytes;
            int from;
            if (line.hasArray()) {
                bytes = line.array();
                from = line.arrayOffset() + line.position();
            } else {
                bytes = new byte[line.remaining()];
                line.duplicate().get(bytes);
                from = 0;
            }
            int n = line.remaining();
            for (int i = from, end = from + n; i < end; i++) {
                if (bytes[i] < 0) {
                    Rows.text(r); // not ASCII: the strict decoder decides (and names the record when it refuses)
                    break;
                }
            }
            return escaped(bytes, from, n);
        }

        private Out escaped(byte[] s, int from, int n) {
            room(n + 16);
            for (int i = from, end = from + n; i < end; i++) {
                byte c = s[i];
                byte escape = switch (c) {
                    case '\\' -> (byte) '\\';
                    case '\n' -> (byte) 'n';
                    case '\r' -> (byte) 'r';
                    case '\t' -> (byte) 't';
                    default -> 0;
                };
                if (escape == 0) {
                    buf[size++] = c;
                } else {
                    room(2 + end - i);
                    buf[size++] = '\\';
                    buf[size++] = escape;
                }
            }
            return this;
        }

        /** bytea in hex input form ({@code \x...}), its backslash escaped for COPY. */
        Out bytea(byte[] bytes) {
            room(3 + 2 * bytes.length);
            buf[size++] = '\\';
            buf[size++] = '\\';
            buf[size++] = 'x';
            for (byte x : bytes) {
                buf[size++] = (byte) HEX[(x >> 4) & 0xf];
                buf[size++] = (byte) HEX[x & 0xf];
            }
            return this;
        }

        void sendTo(CopyIn in) throws SQLException {
            if (size > 0) {
                in.writeToCopy(buf, 0, size);
                size = 0;
            }
        }

        @Override
        public String toString() {
            return new String(buf, 0, size, StandardCharsets.UTF_8);
        }
    }
}
