package dev.auditlog.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The DDL of the JDBC sink's tables, per {@link Dialect}, as text: for the owner role to run by hand (or through
 * the CLI) when the writer must not hold DDL privileges, and applied by {@link JdbcAuditSink} on open when
 * {@link JdbcAuditSink.Builder#createSchema(boolean) createSchema} is on.
 *
 * <p>Tables, for a table prefix {@code p} (default {@code audit_}):
 * <ul>
 *   <li>{@code p_schema_version(version, applied_at)}: the schema versions applied; this is version
 *       {@value #VERSION}.</li>
 *   <li>{@code p_records}: one row per sealed record, keyed by {@code (log_id, seq)}, holding the exact record
 *       {@code line}, its {@code leaf_hash} and {@code chain_hash}, and columns extracted from the event for
 *       queries.</li>
 *   <li>{@code p_checkpoints(log_id, size, note, created)}: signed checkpoint notes.</li>
 *   <li>{@code p_retention(log_id, first_seq, statement_seq, created)} (version 2): one row per prune, naming the
 *       retention record (at {@code statement_seq}) that allows removing the log's records before
 *       {@code first_seq} (docs/FORMAT.md section 11).</li>
 *   <li>{@code p_chains(chain_id, log_id, instance_id, holder, registered, leased_at)} (version 2): the chain
 *       registry, one row per chain a writer ever opened, naming its current or last lease holder.</li>
 *   <li>{@code p_chain_leases(chain_id)} (H2 only): the rows whose locks are H2's chain leases.</li>
 * </ul>
 * The {@code log_id} column of the records, checkpoints and retention tables holds the chain id ({@code <log
 * id>@<instance id>}; its name predates chains).
 * Triggers reject UPDATE and DELETE on every table except the chain registry's UPDATE (and TRUNCATE on
 * PostgreSQL), with one exception: a DELETE of a record that a retention row covers ({@code seq < first_seq} for its
 * log). The database cannot check the statement's signature; the verifier does, and reports a log that starts after
 * 0 without a valid one. Every
 * statement is idempotent ({@code IF NOT EXISTS}, or drop-and-create for PostgreSQL triggers), so the script may be
 * run again. See {@code docs/DATABASE.md}.
 */
public final class JdbcSchema {

    /** The schema version this library writes and reads. */
    public static final int VERSION = 2;

    /** The default table prefix. */
    public static final String DEFAULT_PREFIX = "audit_";

    /** The rule for table prefixes. */
    public static final String PREFIX_REGEX = "[a-z][a-z0-9_]{0,30}";

    /** The class H2 instantiates for the append-only triggers. */
    static final String H2_TRIGGER_CLASS = "dev.auditlog.jdbc.internal.H2AppendOnlyTrigger";

    private static final Pattern PREFIX = Pattern.compile(PREFIX_REGEX);

    private JdbcSchema() {
    }

    /**
     * Checks a table prefix.
     *
     * @return the prefix
     * @throws IllegalArgumentException unless it matches {@value #PREFIX_REGEX}
     */
    public static String checkPrefix(String prefix) {
        Objects.requireNonNull(prefix, "tablePrefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("tablePrefix must match " + PREFIX_REGEX + ", was \""
                    + (prefix.length() > 40 ? prefix.substring(0, 40) + "..." : prefix) + "\"");
        }
        return prefix;
    }

    /** The name of the records table for a prefix. */
    public static String recordsTable(String prefix) {
        return checkPrefix(prefix) + "records";
    }

    /** The name of the checkpoints table for a prefix. */
    public static String checkpointsTable(String prefix) {
        return checkPrefix(prefix) + "checkpoints";
    }

    /** The name of the retention table for a prefix (version 2). */
    public static String retentionTable(String prefix) {
        return checkPrefix(prefix) + "retention";
    }

    /** The name of the chain registry table for a prefix. */
    public static String chainsTable(String prefix) {
        return checkPrefix(prefix) + "chains";
    }

    /** The name of H2's chain lease table for a prefix. */
    static String leasesTable(String prefix) {
        return checkPrefix(prefix) + "chain_leases";
    }

    /** The name of the schema version table for a prefix. */
    public static String versionTable(String prefix) {
        return checkPrefix(prefix) + "schema_version";
    }

    /**
     * The whole DDL script for a dialect and prefix: the {@link #statements statements} each terminated by
     * {@code ;} and a blank line. It runs as is in {@code psql}, the {@code mariadb} client and H2's
     * {@code RUNSCRIPT}.
     */
    public static String ddl(Dialect dialect, String prefix) {
        StringBuilder sb = new StringBuilder("-- auditlog JDBC schema version ").append(VERSION).append(" for ")
                .append(dialect).append(", table prefix ").append(prefix).append("\n\n");
        for (String s : statements(dialect, prefix)) {
            if (dialect == Dialect.MARIADB && s.contains("END IF")) {
                // A compound trigger body holds semicolons: the mariadb client needs another delimiter around it.
                sb.append("DELIMITER //\n").append(s).append(" //\nDELIMITER ;\n\n");
            } else {
                sb.append(s).append(";\n\n");
            }
        }
        return sb.toString();
    }

    /** The DDL statements for a dialect and prefix, in order, without terminators. */
    public static List<String> statements(Dialect dialect, String prefix) {
        Objects.requireNonNull(dialect, "dialect");
        checkPrefix(prefix);
        return switch (dialect) {
            case POSTGRESQL -> postgres(prefix);
            case MARIADB -> mariadb(prefix);
            case H2 -> h2(prefix);
        };
    }

    /** The statement creating the schema version table (the first of {@link #statements}). */
    static String versionTableDdl(Dialect dialect, String p) {
        String ts = switch (dialect) {
            case POSTGRESQL -> "TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP";
            case MARIADB -> "DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)";
            case H2 -> "TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP";
        };
        return "CREATE TABLE IF NOT EXISTS " + p + "schema_version (\n  version INTEGER NOT NULL PRIMARY KEY,\n"
                + "  applied_at " + ts + "\n)" + (dialect == Dialect.MARIADB ? " ENGINE=InnoDB" : "");
    }

    private static String recordColumns(String text, String collate, String lob, String bin, String ts) {
        String t = " " + text + collate;
        return "  log_id" + t.replace("%", "128") + " NOT NULL,\n"
                + "  seq BIGINT NOT NULL,\n"
                + "  record_type" + t.replace("%", "32") + " NOT NULL,\n"
                + "  line " + lob + " NOT NULL,\n"
                + "  leaf_hash " + bin + " NOT NULL,\n"
                + "  chain_hash " + bin + " NOT NULL,\n"
                + "  event_id" + t.replace("%", "36") + ",\n"
                + "  occurred_at " + ts + ",\n"
                + "  sealed_at " + ts + " NOT NULL,\n"
                + "  action" + t.replace("%", "128") + ",\n"
                + "  category" + t.replace("%", "32") + ",\n"
                + "  actor_id" + t.replace("%", "256") + ",\n"
                + "  actor_type" + t.replace("%", "32") + ",\n"
                + "  target_type" + t.replace("%", "64") + ",\n"
                + "  target_id" + t.replace("%", "256") + ",\n"
                + "  outcome" + t.replace("%", "16") + ",\n"
                + "  tenant_id" + t.replace("%", "256") + ",\n"
                + "  trace_id" + t.replace("%", "256") + ",\n";
    }

    /** The chain registry: one row per chain, never deleted; the holder columns change with each lease. */
    private static String chainsDdl(String p, String collate, String ts, String extra) {
        return "CREATE TABLE IF NOT EXISTS " + p + "chains (\n"
                + "  chain_id VARCHAR(128)" + collate + " NOT NULL PRIMARY KEY,\n"
                + "  log_id VARCHAR(128)" + collate + " NOT NULL,\n"
                + "  instance_id VARCHAR(64)" + collate + " NOT NULL,\n"
                + "  holder VARCHAR(512) NOT NULL,\n"
                + "  registered " + ts + " NOT NULL DEFAULT CURRENT_TIMESTAMP" + (ts.startsWith("DATETIME") ? "(6)" : "")
                + ",\n  leased_at " + ts + (ts.startsWith("DATETIME") ? " NULL" : "") + extra + "\n)";
    }

    private static List<String> indexes(String p, boolean ifNotExists) {
        String ine = ifNotExists ? "IF NOT EXISTS " : "";
        String r = p + "records";
        return List.of(
                "CREATE INDEX " + ine + r + "_actor ON " + r + " (log_id, actor_id, occurred_at)",
                "CREATE INDEX " + ine + r + "_target ON " + r + " (log_id, target_type, target_id, occurred_at)",
                "CREATE INDEX " + ine + r + "_action ON " + r + " (log_id, action, occurred_at)",
                "CREATE INDEX " + ine + r + "_time ON " + r + " (log_id, occurred_at)");
    }

    private static List<String> postgres(String p) {
        List<String> s = new ArrayList<>();
        s.add(versionTableDdl(Dialect.POSTGRESQL, p));
        s.add("CREATE TABLE IF NOT EXISTS " + p + "records (\n"
                + recordColumns("VARCHAR(%)", " COLLATE \"C\"", "TEXT", "BYTEA", "TIMESTAMPTZ")
                + "  CONSTRAINT " + p + "records_pk PRIMARY KEY (log_id, seq),\n"
                + "  CONSTRAINT " + p + "records_event_id UNIQUE (event_id)\n)");
        s.add("CREATE TABLE IF NOT EXISTS " + p + "checkpoints (\n"
                + "  log_id VARCHAR(128) COLLATE \"C\" NOT NULL,\n  size BIGINT NOT NULL,\n  note TEXT NOT NULL,\n"
                + "  created TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
                + "  CONSTRAINT " + p + "checkpoints_pk PRIMARY KEY (log_id, size)\n)");
        s.add("CREATE TABLE IF NOT EXISTS " + p + "retention (\n"
                + "  log_id VARCHAR(128) COLLATE \"C\" NOT NULL,\n  first_seq BIGINT NOT NULL,\n"
                + "  statement_seq BIGINT NOT NULL,\n"
                + "  created TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
                + "  CONSTRAINT " + p + "retention_pk PRIMARY KEY (log_id, first_seq)\n)");
        s.addAll(indexes(p, true));
        s.add("CREATE OR REPLACE FUNCTION " + p + "guard_records() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                + "BEGIN\n"
                + "  IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM " + p + "retention r WHERE r.log_id = OLD.log_id"
                + " AND r.first_seq > OLD.seq) THEN\n"
                + "    RETURN OLD;\n"
                + "  END IF;\n"
                + "  RAISE EXCEPTION 'auditlog: % on % rejected: audit tables are append-only (records go only under"
                + " a retention statement)', TG_OP, TG_TABLE_NAME\n"
                + "    USING ERRCODE = 'insufficient_privilege';\n"
                + "END\n$$");
        s.add(chainsDdl(p, " COLLATE \"C\"", "TIMESTAMPTZ", ""));
        s.add("CREATE INDEX IF NOT EXISTS " + p + "chains_log ON " + p + "chains (log_id)");
        s.add("CREATE OR REPLACE FUNCTION " + p + "reject_change() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                + "BEGIN\n"
                + "  RAISE EXCEPTION 'auditlog: % on % rejected: audit tables are append-only', TG_OP, TG_TABLE_NAME\n"
                + "    USING ERRCODE = 'insufficient_privilege';\n"
                + "END\n$$");
        for (String table : List.of(p + "records", p + "checkpoints", p + "retention")) {
            s.add("DROP TRIGGER IF EXISTS " + table + "_append_only ON " + table);
            s.add("CREATE TRIGGER " + table + "_append_only BEFORE UPDATE OR DELETE ON " + table
                    + " FOR EACH ROW EXECUTE FUNCTION " + p + (table.endsWith("records") ? "guard_records()"
                    : "reject_change()"));
            s.add("DROP TRIGGER IF EXISTS " + table + "_no_truncate ON " + table);
            s.add("CREATE TRIGGER " + table + "_no_truncate BEFORE TRUNCATE ON " + table
                    + " FOR EACH STATEMENT EXECUTE FUNCTION " + p + "reject_change()");
        }
        s.add("DROP TRIGGER IF EXISTS " + p + "chains_no_delete ON " + p + "chains");
        s.add("CREATE TRIGGER " + p + "chains_no_delete BEFORE DELETE ON " + p + "chains"
                + " FOR EACH ROW EXECUTE FUNCTION " + p + "reject_change()");
        s.add("DROP TRIGGER IF EXISTS " + p + "chains_no_truncate ON " + p + "chains");
        s.add("CREATE TRIGGER " + p + "chains_no_truncate BEFORE TRUNCATE ON " + p + "chains"
                + " FOR EACH STATEMENT EXECUTE FUNCTION " + p + "reject_change()");
        s.add("INSERT INTO " + p + "schema_version (version) VALUES (" + VERSION + ") ON CONFLICT DO NOTHING");
        return List.copyOf(s);
    }

    private static List<String> mariadb(String p) {
        List<String> s = new ArrayList<>();
        String tableOptions = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
        s.add(versionTableDdl(Dialect.MARIADB, p));
        List<String> idx = new ArrayList<>();
        for (String i : indexes(p, false)) {
            // CREATE INDEX r_actor ON r (cols) -> INDEX r_actor (cols), inline in CREATE TABLE
            idx.add("  INDEX " + i.substring("CREATE INDEX ".length()).replaceFirst(" ON " + p + "records", ""));
        }
        s.add("CREATE TABLE IF NOT EXISTS " + p + "records (\n"
                + recordColumns("VARCHAR(%)", "", "LONGTEXT", "BINARY(32)", "DATETIME(6)")
                + "  PRIMARY KEY (log_id, seq),\n"
                + "  UNIQUE KEY " + p + "records_event_id (event_id),\n"
                + String.join(",\n", idx) + "\n)" + tableOptions);
        s.add("CREATE TABLE IF NOT EXISTS " + p + "checkpoints (\n"
                + "  log_id VARCHAR(128) NOT NULL,\n  size BIGINT NOT NULL,\n  note LONGTEXT NOT NULL,\n"
                + "  created DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),\n"
                + "  PRIMARY KEY (log_id, size)\n)" + tableOptions);
        s.add("CREATE TABLE IF NOT EXISTS " + p + "retention (\n"
                + "  log_id VARCHAR(128) NOT NULL,\n  first_seq BIGINT NOT NULL,\n  statement_seq BIGINT NOT NULL,\n"
                + "  created DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),\n"
                + "  PRIMARY KEY (log_id, first_seq)\n)" + tableOptions);
        s.add(chainsDdl(p, "", "DATETIME(6)", ",\n  INDEX " + p + "chains_log (log_id)") + tableOptions);
        s.add("CREATE TRIGGER IF NOT EXISTS " + p + "chains_no_delete BEFORE DELETE ON " + p + "chains FOR EACH ROW"
                + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'auditlog: DELETE on " + p + "chains rejected: audit"
                + " tables are append-only'");
        for (String table : List.of(p + "records", p + "checkpoints", p + "retention")) {
            for (String op : List.of("UPDATE", "DELETE")) {
                String name = table + "_no_" + op.toLowerCase(java.util.Locale.ROOT);
                String reject = "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'auditlog: " + op + " on " + table
                        + " rejected: audit tables are append-only'";
                if (table.endsWith("records") && op.equals("DELETE")) {
                    s.add("DROP TRIGGER IF EXISTS " + name); // version 1 refused every delete
                    s.add("CREATE TRIGGER " + name + " BEFORE DELETE ON " + table + " FOR EACH ROW\n"
                            + "IF NOT EXISTS (SELECT 1 FROM " + p + "retention r WHERE r.log_id = OLD.log_id"
                            + " AND r.first_seq > OLD.seq) THEN\n  " + reject + ";\nEND IF");
                } else {
                    s.add("CREATE TRIGGER IF NOT EXISTS " + name + " BEFORE " + op + " ON " + table
                            + " FOR EACH ROW " + reject);
                }
            }
        }
        s.add("INSERT IGNORE INTO " + p + "schema_version (version) VALUES (" + VERSION + ")");
        return List.copyOf(s);
    }

    private static List<String> h2(String p) {
        List<String> s = new ArrayList<>();
        s.add(versionTableDdl(Dialect.H2, p));
        s.add("CREATE TABLE IF NOT EXISTS " + p + "records (\n"
                + recordColumns("VARCHAR(%)", "", "CHARACTER LARGE OBJECT", "BINARY(32)",
                "TIMESTAMP(9) WITH TIME ZONE")
                + "  CONSTRAINT " + p + "records_pk PRIMARY KEY (log_id, seq),\n"
                + "  CONSTRAINT " + p + "records_event_id UNIQUE (event_id)\n)");
        s.add("CREATE TABLE IF NOT EXISTS " + p + "checkpoints (\n"
                + "  log_id VARCHAR(128) NOT NULL,\n  size BIGINT NOT NULL,\n  note CHARACTER LARGE OBJECT NOT NULL,\n"
                + "  created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
                + "  CONSTRAINT " + p + "checkpoints_pk PRIMARY KEY (log_id, size)\n)");
        s.add("CREATE TABLE IF NOT EXISTS " + p + "retention (\n"
                + "  log_id VARCHAR(128) NOT NULL,\n  first_seq BIGINT NOT NULL,\n  statement_seq BIGINT NOT NULL,\n"
                + "  created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
                + "  CONSTRAINT " + p + "retention_pk PRIMARY KEY (log_id, first_seq)\n)");
        s.addAll(indexes(p, true));
        for (String table : List.of(p + "records", p + "checkpoints", p + "retention")) {
            s.add("CREATE TRIGGER IF NOT EXISTS " + table + "_append_only BEFORE UPDATE, DELETE ON " + table
                    + " FOR EACH ROW CALL '" + H2_TRIGGER_CLASS + "'");
        }
        s.add(chainsDdl(p, "", "TIMESTAMP WITH TIME ZONE", ""));
        s.add("CREATE INDEX IF NOT EXISTS " + p + "chains_log ON " + p + "chains (log_id)");
        s.add("CREATE TRIGGER IF NOT EXISTS " + p + "chains_no_delete BEFORE DELETE ON " + p + "chains"
                + " FOR EACH ROW CALL '" + H2_TRIGGER_CLASS + "'");
        s.add("CREATE TABLE IF NOT EXISTS " + p + "chain_leases (\n  chain_id VARCHAR(128) NOT NULL PRIMARY KEY\n)");
        s.add("MERGE INTO " + p + "schema_version (version) KEY (version) VALUES (" + VERSION + ")");
        return List.copyOf(s);
    }
}
