package dev.auditlog.cli;

import dev.auditlog.AuditEvent;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.SealedRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

@Command(name = "tail", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  auditlog tail file:/var/audit -n 20",
                "  auditlog tail jdbc:postgresql://db/audit --log payments --follow"},
        description = "Print the last records of a log in any store that can be read back; --follow"
        + " keeps printing new ones.")
final class TailCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--log", description = "Log id: the records of all its chains, by seal time (default: the only"
            + " log in the store).")
    String logId;

    @Option(names = "--chain", paramLabel = "CHAIN", description = "Only this chain (<log>@<instance>).")
    String chainId;

    @Option(names = {"-n", "--lines"}, defaultValue = "10", description = "Records to show (default ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = "--follow", description = "Keep printing new records until interrupted.")
    boolean follow;

    @Option(names = "--raw", description = "Print the stored record lines unchanged.")
    boolean raw;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Stores.Store st = store.store();
        try (AuditReader reader = st.reader()) {
            if (lines < 0) {
                throw new IllegalArgumentException("-n must be >= 0, was " + lines);
            }
            if (logId != null && chainId != null) {
                throw new IllegalArgumentException("--log and --chain: give one, --log for a whole log or --chain"
                        + " for one of its chains");
            }
            List<String> chains;
            if (chainId != null) {
                ChainIds.check(chainId);
                if (!reader.chainIds().contains(chainId)) {
                    throw new IOException("no chain " + chainId + " in " + st.display());
                }
                chains = List.of(chainId);
            } else {
                chains = VerifyCommand.logChains(reader, logId, st);
            }
            boolean several = chains.size() > 1;
            Map<String, Long> next = new TreeMap<>();
            List<SealedRecord> latest = new ArrayList<>();
            for (String id : chains) {
                long first = -1;
                long last = -1;
                try (Stream<SealedRecord> s = reader.read(id, 0)) {
                    for (Iterator<SealedRecord> it = s.iterator(); it.hasNext(); ) {
                        last = it.next().sequence();
                        first = first < 0 ? last : first;
                    }
                }
                // Sequence numbers, not counts: a pruned log does not start at 0.
                long from = last < 0 ? 0 : Math.max(first, last + 1 - lines);
                next.put(id, from);
            }
            int limit = lines;
            do {
                latest.clear();
                for (Map.Entry<String, Long> e : next.entrySet()) {
                    try (Stream<SealedRecord> s = reader.read(e.getKey(), e.getValue())) {
                        for (Iterator<SealedRecord> it = s.iterator(); it.hasNext(); ) {
                            SealedRecord r = it.next();
                            latest.add(r);
                            e.setValue(r.sequence() + 1);
                        }
                    }
                }
                // one chain: sequence order; a whole log: by seal time over its chains, the last N of them at first
                latest.sort(Comparator.comparing(SealedRecord::sealedAt).thenComparing(SealedRecord::logId)
                        .thenComparingLong(SealedRecord::sequence));
                List<SealedRecord> shown = latest.subList(Math.max(0, latest.size() - limit), latest.size());
                for (SealedRecord r : shown) {
                    out.println(raw ? r.lineText() : (several ? r.logId() + " " : "") + describe(r));
                }
                limit = Integer.MAX_VALUE;
                out.flush();
                if (follow) {
                    LockSupport.parkNanos(500_000_000L);
                }
            } while (follow && !Thread.currentThread().isInterrupted());
        }
        return Main.VALID;
    }

    static String describe(SealedRecord r) {
        return describe(r, false);
    }

    /** One line per record: sequence, time, action, outcome, actor, targets; the time is occurredAt if asked for. */
    static String describe(SealedRecord r, boolean occurredAt) {
        StringBuilder b = new StringBuilder();
        b.append(r.sequence()).append(' ');
        b.append(occurredAt ? r.event().flatMap(AuditEvent::occurredAt).map(Object::toString).orElse("-")
                : r.sealedAt().toString()).append(' ');
        if (r.event().isPresent()) {
            AuditEvent e = r.event().get();
            b.append(e.action()).append(' ').append(e.outcome().status()).append(" actor=")
                    .append(e.actor().type()).append(':').append(e.actor().id());
            e.targets().forEach(t -> b.append(" target=").append(t.type()).append(':').append(t.id()));
            e.origin().flatMap(o -> o.ip()).ifPresent(ip -> b.append(" ip=").append(ip));
        } else {
            b.append(r.type());
        }
        return b.toString();
    }
}
