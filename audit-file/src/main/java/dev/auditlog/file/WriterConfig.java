package dev.auditlog.file;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** The settings of a file sink, validated by its builder. */
record WriterConfig(Path directory, Durability durability, Duration forceInterval, long segmentSize,
                           Duration segmentAge, boolean groupReadable, Clock clock, Forcer forcer) {
}
