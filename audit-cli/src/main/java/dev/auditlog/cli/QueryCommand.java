package dev.auditlog.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.auditlog.AuditLog;
import dev.auditlog.AuditPage;
import dev.auditlog.AuditQuery;
import dev.auditlog.AuditQueryable;
import dev.auditlog.Category;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.spi.SealedRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Function;

@Command(name = "query", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  auditlog query jdbc:postgresql://db/audit --log payments --actor alice \\",
                "      --from 2026-12-01",
                "  auditlog query jdbc:postgresql://db/audit --log payments --outcome failure \\",
                "      --action-prefix authn_ --from 2026-12-01T10:00 --to 2026-12-01T12:00"},
        description = "Query a log in a store that answers queries, such as a database (who did"
        + " what, to which resource, when). Every query is itself recorded as an audit.log.read event, in the log named"
        + " by --audit-log-id in the same store. Exit 3 when the store does not answer queries.")
final class QueryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--log", required = true, description = "Log id to query.")
    String logId;

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
    @Option(names = "--json", description = "Print the page as JSON (records as stored).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (logId.equals(auditLogId)) {
            throw new IllegalArgumentException("--audit-log-id must differ from --log: the queried log has its own"
                    + " writer, and two writers would fork its chain");
        }
        AuditQuery.Builder q = AuditQuery.builder().logId(logId).pageSize(pageSize);
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
        AuditQuery query = q.build();
        PrintWriter out = spec.commandLine().getOut();
        Stores.Store s = store.store();
        Function<AuditLog, AuditQueryable> queries = s.queryable(); // before any log is opened: supported at all?
        try (AuditLog reads = AuditLog.builder().logId(auditLogId).sink(s.sink()).shutdownHook(false).build()) {
            AuditQueryable queryable = queries.apply(reads);
            AuditPage page;
            try {
                page = queryable.query(query, reader);
            } finally {
                if (queryable instanceof AutoCloseable c) {
                    c.close();
                }
            }
            if (json) {
                JsonGenerator g = JsonOutput.pretty(out);
                g.writeStartObject();
                g.writeArrayFieldStart("records");
                for (SealedRecord rec : page.records()) {
                    g.writeRawValue(rec.lineText());
                }
                g.writeEndArray();
                if (page.nextPageToken().isPresent()) {
                    g.writeStringField("nextPageToken", page.nextPageToken().get());
                }
                g.writeEndObject();
                g.flush();
                out.println();
            } else {
                for (SealedRecord rec : page.records()) {
                    out.println(TailCommand.describe(rec));
                }
                out.println(page.records().size() + " record(s)" + page.nextPageToken()
                        .map(t -> "; next page: --page-token " + t).orElse(""));
            }
        }
        return Main.VALID;
    }
}
