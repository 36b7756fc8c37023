package dev.auditlog.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.auditlog.Actor;
import dev.auditlog.AuditLog;
import dev.auditlog.AuditPage;
import dev.auditlog.AuditQuery;
import dev.auditlog.Category;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.jdbc.JdbcAuditReader;
import dev.auditlog.jdbc.JdbcAuditSink;
import dev.auditlog.spi.SealedRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "query", description = "Query a database log (who did what, to which resource, when). Every query"
        + " is itself recorded as an audit.log.read event, in the log named by --audit-log-id.")
final class QueryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--jdbc", required = true, description = "JDBC URL.")
    String jdbc;

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
    @Option(names = "--outcome", description = "SUCCESS, FAILURE, DENIED, PENDING or UNKNOWN.")
    OutcomeStatus outcome;
    @Option(names = "--category", description = "Event category, e.g. AUTHENTICATION.")
    Category category;
    @Option(names = "--tenant", description = "Tenant id.")
    String tenant;
    @Option(names = "--from", description = "Occurred at or after (RFC 3339, e.g. 2026-11-22T00:00:00Z).")
    Instant from;
    @Option(names = "--to", description = "Occurred before (RFC 3339).")
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
        try (AuditLog reads = AuditLog.builder().logId(auditLogId).sink(JdbcAuditSink.builder(jdbc).build())
                .shutdownHook(false).build();
             JdbcAuditReader r = JdbcAuditReader.builder(jdbc).auditTo(reads).build()) {
            AuditPage page = r.query(query, Actor.user(reader));
            if (json) {
                JsonGenerator g = Json.pretty(out);
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
