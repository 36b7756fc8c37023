package dev.auditlog.file;

import dev.auditlog.spi.CheckpointAnchor;

import java.util.Optional;

/** A read-only anchor that holds one given checkpoint (and retention statement), as a witness would. */
final class FixedAnchor implements CheckpointAnchor {
    private final String note;
    private final String retention;

    private FixedAnchor(String note, String retention) {
        this.note = note;
        this.retention = retention;
    }

    static CheckpointAnchor of(String note) {
        return new FixedAnchor(note, null);
    }

    /** With {@code retention} as the anchored retention statement; {@code null} for none. */
    static CheckpointAnchor of(String note, String retention) {
        return new FixedAnchor(note, retention);
    }

    @Override
    public String name() {
        return "fixed";
    }

    @Override
    public void anchor(String logId, String signedCheckpoint) {
        throw new UnsupportedOperationException("read-only test anchor");
    }

    @Override
    public Optional<String> latest(String logId) {
        return Optional.of(note);
    }

    @Override
    public Optional<String> latestRetention(String logId) {
        return Optional.ofNullable(retention);
    }
}
