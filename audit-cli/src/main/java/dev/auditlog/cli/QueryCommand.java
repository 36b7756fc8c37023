package dev.auditlog.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditException;
import dev.auditlog.AuditLog;
import dev.auditlog.AuditPage;
import dev.auditlog.AuditQuery;
import dev.auditlog.AuditQueryable;
import dev.auditlog.Category;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.ChainLeaseException;
import dev.auditlog.spi.SealedRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

@Command(name = "query", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  auditlog query jdbc:postgresql://db/audit --log payments --actor alice \\",
                "      --from 2026-12-01",
                "  auditlog query jdbc:postgresql://db/audit --log payments --outcome failure \\",
                "      --action-prefix authn_ --from 2026-12-01T10:00 --to 2026-12-01T12:00"},
        description = "Query a log (all its chains, or one with --chain) in a store that answers queries, such as a"
        + " database (who did what, to which resource, when). Every query is itself recorded as an audit.log.read"
        + " event, in the log named by --audit-log-id in the same store, on the operator's own chain (--instance), so"
        + " operators can query at once; --key signs it. Exit 3 when the store does not answer queries.")
final class QueryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--log", required = true, description = "Log id to query: every chain of it.")
    String logId;

    @Option(names = "--chain", paramLabel = "CHAIN", description = "Only this chain of the log (<log>@<instance>).")
    String chainId;

    @Option(names = "--instance", paramLabel = "ID", description = "The instance id of the chain that records the"
            + " reads (default: --as and the host name, e.g. alice.host1): one chain per operator. A run waits (up to"
            + " --lease-wait) while another run of the same operator holds it.")
    String instanceId;

    @Option(names = "--lease-wait", paramLabel = "DURATION", defaultValue = "30s", description = "How long to wait"
            + " for the reads chain while another run holds it (default ${DEFAULT-VALUE}).")
    Duration leaseWait;

    @Option(names = "--key", paramLabel = "FILE", description = "Private key file: sign the reads chain with"
            + " checkpoints (auditlog keygen).")
    Path key;

    @Option(names = "--as", defaultValue = "${sys:user.name}", description = "Who is reading (recorded; default:"
            + " the OS user).")
    String reader;

    @Option(names = "--audit-log-id", defaultValue = "auditlog-reads", description = "Log that records the read"
            + " (default: ${DEFAULT-VALUE}); never the queried log, which has its own writer.")
    String auditLogId;

    @Option(names = "--actor", description = "Actor id.")
    String actor;
    @Option(names = "--action", description = "Exact action.")
    String action;
    @Option(names = "--action-prefix", description = "Action prefix, e.g. authn_.")
    String actionPrefix;
    @Option(names = "--target-type", description = "Target type.")
    String targetType;
    @Option(names = "--target-id", description = "Target id (needs --target-type).")
    String targetId;
    @Option(names = "--outcome", description = "${COMPLETION-CANDIDATES} (any case).")
    OutcomeStatus outcome;
    @Option(names = "--category", description = "Event category: ${COMPLETION-CANDIDATES} (any case).")
    Category category;
    @Option(names = "--tenant", description = "Tenant id.")
    String tenant;
    @Option(names = "--from", paramLabel = "TIME", description = "Occurred at or after: 2026-12-01 (the start of"
            + " that day, UTC), 2026-12-01T10:00 (UTC), or with a zone: 2026-12-01T10:00:00Z,"
            + " 2026-12-01T10:00:00+01:00.")
    Instant from;
    @Option(names = "--to", paramLabel = "TIME", description = "Occurred before; the same forms as --from.")
    Instant to;
    @Option(names = "--page-size", defaultValue = "100", description = "1-1000 (default ${DEFAULT-VALUE}).")
    int pageSize;
    @Option(names = "--page-token", description = "Continue after a previous page.")
    String pageToken;
    @Option(names = "--json", description = "Print the page as JSON (records as stored); same as --format json.")
    boolean json;
    @Option(names = "--all", description = "Fetch every page, not just the first (each page is recorded as a read).")
    boolean all;
    @Option(names = "--format", description = "table (default), json (records as stored) or csv (RFC 4180, with a"
            + " header row).")
    Format format;

    /** How the records are printed. */
    enum Format { table, json, csv }

    /** The columns of --format csv, in order. */
    static final List<String> CSV_HEADER = List.of("seq", "occurredAt", "sealedAt", "action", "category",
            "severity", "outcome", "actorType", "actorId", "targets", "ip", "tenant", "eventId", "message");

    @Override
    public Integer call() throws Exception {
        if (logId.equals(auditLogId)) {
            throw new IllegalArgumentException("--audit-log-id must differ from --log: the queried log has its own"
                    + " writer, and two writers would fork its chain");
        }
        AuditQuery.Builder q = AuditQuery.builder().logId(logId).pageSize(pageSize);
        if (chainId != null) {
            q.chainId(chainId);
        }
        String instance = instanceId != null ? ChainIds.checkInstance("--instance", instanceId)
                : operatorInstance(reader);
        if (leaseWait.isNegative()) {
            throw new IllegalArgumentException("--lease-wait must be >= 0, was " + leaseWait);
        }
        SigningKey signing = key == null ? null : KeyFiles.privateKey(key);
        if (actor != null) {
            q.actorId(actor);
        }
        if (action != null) {
            q.action(action);
        }
        if (actionPrefix != null) {
            q.actionPrefix(actionPrefix);
        }
        if (targetId != null) {
            if (targetType == null) {
                throw new IllegalArgumentException("--target-id needs --target-type");
            }
            q.target(targetType, targetId);
        } else if (targetType != null) {
            q.targetType(targetType);
        }
        if (outcome != null) {
            q.outcome(outcome);
        }
        if (category != null) {
            q.category(category);
        }
        if (tenant != null) {
            q.tenantId(tenant);
        }
        if (from != null) {
            q.from(from);
        }
        if (to != null) {
            q.to(to);
        }
        if (pageToken != null) {
            q.pageToken(pageToken);
        }
        q.build(); // the query is well-formed before any store is opened
        if (json && format != null && format != Format.json) {
            throw new IllegalArgumentException("--json and --format " + format + " contradict each other: give one");
        }
        Format f = json ? Format.json : format == null ? Format.table : format;
        PrintWriter out = spec.commandLine().getOut();
        Stores.Store s = store.store();
        Function<AuditLog, AuditQueryable> queries = s.queryable(); // before any log is opened: supported at all?
        requireLog(s); // before the read is recorded: a query for a log that is not there creates nothing
        Printer printer = new Printer(out, f);
        // Page by page, so that --all runs in constant memory however many records match.
        try (AuditLog reads = openReads(s, instance, signing)) {
            AuditQueryable queryable = queries.apply(reads);
            try {
                AuditQuery page = q.build();
                printer.begin();
                while (true) {
                    AuditPage p = queryable.query(page, reader);
                    printer.page(p.records());
                    if (!all || p.nextPageToken().isEmpty()) {
                        printer.end(p.nextPageToken());
                        break;
                    }
                    page = q.pageToken(p.nextPageToken().get()).build();
                }
            } finally {
                if (queryable instanceof AutoCloseable c) {
                    c.close();
                }
            }
        }
        return Main.VALID;
    }

    /**
     * The log that records the reads, on this operator's chain. Another run of the same operator may hold the chain
     * for a moment: wait for it, up to --lease-wait, rather than fail.
     */
    private AuditLog openReads(Stores.Store s, String instance, SigningKey signing) throws Exception {
        long deadline = System.nanoTime() + leaseWait.toNanos();
        while (true) {
            AuditLog.Builder b = AuditLog.builder().logId(auditLogId).instanceId(instance).sink(s.sink())
                    .shutdownHook(false);
            if (signing != null) {
                b.checkpoints(signing);
            }
            try {
                return b.build();
            } catch (AuditException e) {
                if (!(e.getCause() instanceof ChainLeaseException) || System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(100_000_000L); // a query run holds the chain for about a second
            }
        }
    }

    /** The default instance of an operator's reads chain: the reader's name and the host, made to fit the rule. */
    static String operatorInstance(String reader) {
        String host = ChainIds.hostName();
        String raw = reader + "." + host;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < raw.length() && b.length() < 64; i++) {
            char c = raw.charAt(i);
            boolean ok = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
            if (b.length() == 0 && !(c < 128 && Character.isLetterOrDigit(c))) {
                continue;
            }
            b.append(ok ? c : '-');
        }
        return b.length() == 0 ? "operator" : b.toString();
    }

    /**
     * Fails with one line naming the log and the logs there are when the store does not hold {@link #logId}, rather
     * than answering "0 record(s)". A store that cannot list its logs (no reader) is asked the query as it is.
     */
    private void requireLog(Stores.Store s) throws Exception {
        Set<String> ids;
        try (AuditReader r = s.reader()) {
            ids = r.chainIds();
        } catch (UnsupportedOperationException e) {
            return;
        }
        if (chainId != null ? !ids.contains(chainId) : ids.stream().noneMatch(id -> ChainIds.belongsTo(id, logId))) {
            Set<String> logs = new TreeSet<>();
            ids.forEach(id -> logs.add(ChainIds.logOf(id)));
            throw new IllegalArgumentException("no " + (chainId != null ? "chain \"" + chainId : "log \"" + logId)
                    + "\" in " + s.display() + "; the logs there: " + (logs.isEmpty() ? "none"
                    : String.join(", ", logs)));
        }
    }

    /** Prints the records in one of the formats, a page at a time. */
    private static final class Printer {
        private final PrintWriter out;
        private final Format format;
        private JsonGenerator json;
        private long count;

        Printer(PrintWriter out, Format format) {
            this.out = out;
            this.format = format;
        }

        void begin() throws IOException {
            switch (format) {
                case json -> {
                    json = JsonOutput.pretty(out);
                    json.writeStartObject();
                    json.writeArrayFieldStart("records");
                }
                case csv -> out.print(csvRow(new StringBuilder(), CSV_HEADER));
                default -> out.println("seq occurredAt action outcome actor targets");
            }
        }

        void page(List<SealedRecord> records) throws IOException {
            for (SealedRecord rec : records) {
                switch (format) {
                    case json -> json.writeRawValue(rec.lineText());
                    case csv -> out.print(csvRow(new StringBuilder(), csvFields(rec)));
                    default -> out.println(TailCommand.describe(rec, true));
                }
            }
            count += records.size();
            if (json != null) {
                json.flush();
            }
            out.flush();
        }

        void end(Optional<String> next) throws IOException {
            switch (format) {
                case json -> {
                    json.writeEndArray();
                    if (next.isPresent()) {
                        json.writeStringField("nextPageToken", next.get());
                    }
                    json.writeEndObject();
                    json.flush();
                    out.println();
                }
                case csv -> {
                }
                default -> out.println(count + " record(s)" + next.map(t -> "; next page: --page-token " + t)
                        .orElse(""));
            }
            out.flush();
        }
    }

    /** One CSV row per RFC 4180: fields separated by commas, CRLF at the end, quoted when they must be. */
    static StringBuilder csvRow(StringBuilder b, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            String v = fields.get(i);
            if (v.indexOf('"') >= 0 || v.indexOf(',') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                b.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                b.append(v);
            }
        }
        return b.append("\r\n");
    }

    private static List<String> csvFields(SealedRecord rec) {
        List<String> v = new ArrayList<>(List.of(Long.toString(rec.sequence())));
        Optional<AuditEvent> ev = rec.event();
        if (ev.isEmpty()) {
            v.addAll(List.of("", rec.sealedAt().toString(), rec.type()));
            while (v.size() < CSV_HEADER.size()) {
                v.add("");
            }
            return v;
        }
        AuditEvent e = ev.get();
        v.add(e.occurredAt().map(Instant::toString).orElse(""));
        v.add(rec.sealedAt().toString());
        v.add(e.action());
        v.add(e.category().name());
        v.add(e.severity().name());
        v.add(e.outcome().status().name());
        v.add(e.actor().type().name());
        v.add(e.actor().id());
        v.add(String.join(" ", e.targets().stream().map(t -> t.type() + ":" + t.id()).toList()));
        v.add(e.origin().flatMap(o -> o.ip()).orElse(""));
        v.add(e.tenantId().orElse(""));
        v.add(e.eventId().toString());
        v.add(e.message().orElse(""));
        return v;
    }
}
