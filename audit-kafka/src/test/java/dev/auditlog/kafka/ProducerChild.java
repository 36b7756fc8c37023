package dev.auditlog.kafka;

import dev.auditlog.AuditLog;
import dev.auditlog.AuditReceipt;
import dev.auditlog.integrity.Ed25519Keys;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * An application node in a JVM of its own, for the broker kill test: writes one chain to Kafka in four phases of
 * {@code perPhase} events. Prints {@code acked N} for every record whose receipt became durable, {@code flushed P}
 * after flushing phases 0 and 2, and {@code produced N} then {@code done} at the end; waits for {@code go P} on
 * standard input before phases 2 and 3. Arguments: kafka spec, chain id, events per phase, signing key file.
 */
public final class ProducerChild {
    private ProducerChild() {
    }

    public static void main(String[] args) throws Exception {
        String spec = args[0];
        String chain = args[1];
        int perPhase = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        long count = 0;
        try (AuditLog log = Fleet.log(spec, chain, Ed25519Keys.readSigningKey(Path.of(args[3]))).build()) {
            for (int phase = 0; phase < 4; phase++) {
                if (phase == 1 || phase == 3) {
                    log.flush();
                    say(out, "flushed " + (phase - 1));
                }
                if (phase >= 2) {
                    String go;
                    while ((go = in.readLine()) != null && !go.equals("go " + phase)) {
                        // only the expected command moves the phase on
                    }
                }
                for (int i = 0; i < perPhase; i++) {
                    AuditReceipt r = log.record(Fleet.event(chain, phase * perPhase + i));
                    long seq = r.sequence();
                    count++;
                    r.durable().thenRun(() -> say(out, "acked " + seq));
                }
            }
            log.flush();
        } catch (RuntimeException e) {
            say(out, "error " + e);
        }
        say(out, "produced " + count);
        say(out, "done");
    }

    private static void say(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
        }
    }
}
