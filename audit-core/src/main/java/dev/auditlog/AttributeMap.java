package dev.auditlog;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The top-level attributes of an {@link AuditEvent}: an immutable map sorted by name, kept as one array of names and
 * values in turn. It replaces a {@code TreeMap} copy behind an unmodifiable view, which cost an entry object per
 * attribute and a copy per event; the builder hands over its array and copies it only if changed afterwards.
 * Nested map values stay unmodifiable {@code TreeMap}s.
 */
final class AttributeMap extends AbstractMap<String, Object> implements SortedMap<String, Object> {
    static final AttributeMap EMPTY = new AttributeMap(new Object[0], 0);

    /** name0, value0, name1, value1, ...: {@link #size} pairs sorted by name; may be longer (never changed). */
    private final Object[] pairs;
    private final int size;

    AttributeMap(Object[] pairs, int size) {
        this.pairs = pairs;
        this.size = size;
    }

    String name(int i) {
        return (String) pairs[2 * i];
    }

    Object value(int i) {
        return pairs[2 * i + 1];
    }

    /** The index of {@code name} in a sorted pairs array of {@code size} pairs, or {@code -(insertion point) - 1}. */
    static int indexOf(Object[] pairs, int size, String name) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = ((String) pairs[2 * mid]).compareTo(name);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String name)) {
            return null;
        }
        int i = indexOf(pairs, size, name);
        return i >= 0 ? pairs[2 * i + 1] : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String name && indexOf(pairs, size, name) >= 0;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        for (int i = 0; i < size; i++) {
            action.accept(name(i), value(i));
        }
    }

    @Override
    public java.util.Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(name(i), value(i));
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    @Override
    public Object put(String key, Object value) {
        throw new UnsupportedOperationException("attributes are immutable");
    }

    @Override
    public Object remove(Object key) {
        throw new UnsupportedOperationException("attributes are immutable");
    }

    @Override
    public void putAll(Map<? extends String, ?> m) {
        throw new UnsupportedOperationException("attributes are immutable");
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("attributes are immutable");
    }

    @Override
    public Comparator<? super String> comparator() {
        return null;
    }

    @Override
    public String firstKey() {
        if (size == 0) {
            throw new NoSuchElementException();
        }
        return name(0);
    }

    @Override
    public String lastKey() {
        if (size == 0) {
            throw new NoSuchElementException();
        }
        return name(size - 1);
    }

    // Views of a range are rare: served from a copy.
    @Override
    public SortedMap<String, Object> subMap(String fromKey, String toKey) {
        return asTreeMap().subMap(fromKey, toKey);
    }

    @Override
    public SortedMap<String, Object> headMap(String toKey) {
        return asTreeMap().headMap(toKey);
    }

    @Override
    public SortedMap<String, Object> tailMap(String fromKey) {
        return asTreeMap().tailMap(fromKey);
    }

    private SortedMap<String, Object> asTreeMap() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(this));
    }
}
