package dev.auditlog.jdbc;

import dev.auditlog.spi.EventSummary;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** The SQL of the records table, and how a sealed record becomes a row. */
final class Rows {
    /** Widest value the id-like columns hold; longer values are stored as NULL there (the line keeps them). */
    public static final int MAX_ID_COLUMN = 256;

    private Rows() {
    }

    /** The columns the sink writes, in the order of {@link #insertSql(String)}. */
    static final String COLUMNS = "log_id, seq, record_type, line, leaf_hash, chain_hash, event_id, occurred_at,"
            + " sealed_at, action, category, actor_id, actor_type, target_type, target_id, outcome, tenant_id, trace_id";

    /** The INSERT statement for a records table. */
    public static String insertSql(String prefix) {
        return "INSERT INTO " + JdbcSchema.recordsTable(prefix) + " (" + COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    /**
     * An INSERT that inserts no row but passes the privilege and read-only checks, naming every column the sink writes
     * (strict SQL modes reject an INSERT that leaves a NOT NULL column without a default, even for zero rows).
     */
    public static String probeSql(String prefix) {
        String table = JdbcSchema.recordsTable(prefix);
        return "INSERT INTO " + table + " (" + COLUMNS + ") SELECT " + COLUMNS + " FROM " + table + " WHERE 1 = 0";
    }

    /** Binds one record to {@link #insertSql(String)}. */
    public static void bind(PreparedStatement ps, SealedRecord r, Dialect dialect) throws SQLException, IOException {
        ps.setString(1, r.logId());
        ps.setLong(2, r.sequence());
        ps.setString(3, r.type());
        ps.setString(4, text(r));
        ps.setBytes(5, r.leafHash());
        ps.setBytes(6, r.chainHash());
        Optional<EventSummary> event;
        try {
            event = r.eventSummary(); // the indexed fields only, without building and validating the whole event
        } catch (IllegalArgumentException e) {
            throw new IOException("record " + r.sequence() + " of log " + r.logId() + " carries a malformed event: "
                    + e.getMessage(), e);
        }
        Instant sealed = r.sealedAt();
        setTime(ps, 9, sealed, dialect);
        if (event.isPresent()) {
            EventSummary e = event.get();
            ps.setString(7, e.eventId().toString());
            setTime(ps, 8, e.occurredAt() == null ? sealed : e.occurredAt(), dialect);
            ps.setString(10, e.action());
            ps.setString(11, e.category().name());
            setId(ps, 12, e.actorId());
            ps.setString(13, e.actorType().name());
            setId(ps, 14, e.targetType().orElse(null));
            setId(ps, 15, e.targetId().orElse(null));
            ps.setString(16, e.outcome().name());
            setId(ps, 17, e.tenantId().orElse(null));
            setId(ps, 18, e.traceId().orElse(null));
        } else {
            ps.setNull(7, Types.VARCHAR);
            setTime(ps, 8, null, dialect);
            for (int i = 10; i <= 18; i++) {
                ps.setNull(i, Types.VARCHAR);
            }
        }
    }

    /** Binds a record with only what the line itself is: nothing derived from the event (see writeUnindexed). */
    public static void bindUnindexed(PreparedStatement ps, SealedRecord r, Dialect dialect) throws SQLException,
            IOException {
        ps.setString(1, r.logId());
        ps.setLong(2, r.sequence());
        ps.setString(3, r.type());
        ps.setString(4, text(r));
        ps.setBytes(5, r.leafHash());
        ps.setBytes(6, r.chainHash());
        ps.setNull(7, Types.VARCHAR);
        setTime(ps, 8, null, dialect);
        setTime(ps, 9, r.sealedAt(), dialect);
        for (int i = 10; i <= 18; i++) {
            ps.setNull(i, Types.VARCHAR);
        }
    }

    private static void setId(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null || value.length() > MAX_ID_COLUMN) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    /** Binds an instant at microsecond precision (truncated), the precision every dialect stores. */
    public static void setTime(PreparedStatement ps, int index, Instant t, Dialect dialect) throws SQLException {
        if (t == null) {
            ps.setNull(index, dialect == Dialect.MARIADB ? Types.TIMESTAMP : Types.TIMESTAMP_WITH_TIMEZONE);
            return;
        }
        // ofEpochSecond, not ofInstant: ofInstant builds a ZoneRules for UTC on every call (JDK 17)
        LocalDateTime utc = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano() / 1000 * 1000, ZoneOffset.UTC);
        if (dialect == Dialect.MARIADB) {
            ps.setObject(index, utc); // DATETIME(6) holds UTC
        } else {
            ps.setObject(index, OffsetDateTime.of(utc, ZoneOffset.UTC));
        }
    }

    /** The line as text; the sink stores text, so the bytes must be well-formed UTF-8 (sealed records are). */
    private static final ThreadLocal<CharsetDecoder> STRICT_UTF8 = ThreadLocal.withInitial(() ->
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT));

    public static String text(SealedRecord r) throws IOException {
        byte[] line = r.line();
        if (ascii(line)) {
            return new String(line, StandardCharsets.ISO_8859_1); // nothing to validate; one copy, no char buffer
        }
        try {
            return STRICT_UTF8.get().reset().decode(r.lineBuffer()).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("record " + r.sequence() + " of log " + r.logId()
                    + " is not well-formed UTF-8 and cannot be stored as text without changing its bytes", e);
        }
    }

    private static boolean ascii(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of a stored line. */
    public static byte[] bytes(String line) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(line);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
