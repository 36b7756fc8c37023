package dev.auditlog.jdbc;

import dev.auditlog.integrity.ChainVerifier;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.spi.AuditReader;

import java.io.IOException;

/** Verification of test logs written without a signing key. */
final class Verify {
    private Verify() {
    }

    /**
     * The hash chain alone, through the same {@link AuditReader#scan} walk that {@code LogVerifier} uses: what these
     * tests check is the rows, not the signatures (their logs have no key).
     */
    static VerificationReport chain(AuditReader reader, String logId) throws IOException {
        ChainVerifier v = ChainVerifier.fromGenesis(logId);
        v.readFrom(reader);
        return v.finish();
    }
}
