package dev.auditlog.protect;

import java.util.LinkedHashMap;
import java.util.Map;

/** A size-capped map evicting the least recently used entry, counting evictions. Not thread-safe. */
final class LruMap<K, V> extends LinkedHashMap<K, V> {
    private static final long serialVersionUID = 1L;
    private final int cap;
    private long evictions;

    public LruMap(int cap) {
        super(16, 0.75f, true);
        this.cap = cap;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        if (size() > cap) {
            evictions++;
            return true;
        }
        return false;
    }

    public int cap() {
        return cap;
    }

    public long evictions() {
        return evictions;
    }
}
