package dev.auditlog.integrity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Package-private SHA-256 helpers: one reusable {@link MessageDigest} per thread. */
final class Sha256 {

    /** Length of a SHA-256 digest in bytes. */
    static final int SIZE = 32;

    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Sha256::newDigest);

    private Sha256() {
    }

    /** Returns a fresh SHA-256 digest; SHA-256 is mandatory on every Java platform. */
    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available on this JVM", e);
        }
    }

    /** Returns this thread's digest, reset and ready for use. */
    static MessageDigest digest() {
        MessageDigest md = DIGEST.get();
        md.reset();
        return md;
    }
}
