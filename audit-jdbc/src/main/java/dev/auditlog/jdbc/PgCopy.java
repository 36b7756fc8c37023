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

    static String sql(String prefix) {
        return "COPY " + JdbcSchema.recordsTable(prefix) + " (" + Rows.COLUMNS + ") FROM STDIN";
    }

    /** Copies {@code records} into the records table; the caller commits. */
    static void insert(Connection c, String prefix, List<SealedRecord> records) throws SQLException, IOException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql(prefix));
        try {
            StringBuilder rows = new StringBuilder(CHUNK + 2048);
            for (SealedRecord r : records) {
                row(rows, r);
                if (rows.length() >= CHUNK) {
                    send(in, rows);
                }
            }
            send(in, rows);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy(); // a failure (SQLException or a malformed record) leaves no half-sent COPY behind
            }
        }
    }

    private static void send(CopyIn in, StringBuilder rows) throws SQLException {
        if (rows.length() > 0) {
            byte[] b = rows.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(b, 0, b.length);
            rows.setLength(0);
        }
    }

    /** One row in COPY's text format: tab-separated, {@code \N} for NULL, as {@link Rows#bind} binds it. */
    static void row(StringBuilder b, SealedRecord r) throws IOException {
        text(b, r.logId()).append('\t').append(r.sequence()).append('\t');
        text(b, r.type()).append('\t');
        text(b, Rows.text(r)).append('\t');
        bytea(b, r.leafHash()).append('\t');
        bytea(b, r.chainHash()).append('\t');
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
            b.append(e.eventId()).append('\t');
            time(b, e.occurredAt() == null ? sealed : e.occurredAt()).append('\t');
            time(b, sealed).append('\t');
            text(b, e.action()).append('\t');
            text(b, e.category().name()).append('\t');
            id(b, e.actorId()).append('\t');
            text(b, e.actorType().name()).append('\t');
            id(b, e.targetType().orElse(null)).append('\t');
            id(b, e.targetId().orElse(null)).append('\t');
            text(b, e.outcome().name()).append('\t');
            id(b, e.tenantId().orElse(null)).append('\t');
            id(b, e.traceId().orElse(null)).append('\n');
        } else {
            b.append("\\N\t\\N\t");
            time(b, sealed);
            for (int i = 10; i <= 18; i++) {
                b.append("\t\\N");
            }
            b.append('\n');
        }
    }

    /** Like {@code Rows.setId}: NULL when absent or wider than the column. */
    private static StringBuilder id(StringBuilder b, String value) {
        if (value == null || value.length() > Rows.MAX_ID_COLUMN) {
            return b.append("\\N");
        }
        return text(b, value);
    }

    /** Escapes what COPY's text format gives a meaning: backslash, and the row and column delimiters. */
    static StringBuilder text(StringBuilder b, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b;
    }

    /** bytea in hex input form ({@code \x...}), its backslash escaped for COPY. */
    private static StringBuilder bytea(StringBuilder b, byte[] bytes) {
        b.append("\\\\x");
        for (byte x : bytes) {
            b.append(HEX[(x >> 4) & 0xf]).append(HEX[x & 0xf]);
        }
        return b;
    }

    /** At microsecond precision (truncated), as {@code Rows.setTime}; ISO 8601 in UTC. */
    private static StringBuilder time(StringBuilder b, Instant t) {
        return b.append(t.truncatedTo(ChronoUnit.MICROS));
    }
}
