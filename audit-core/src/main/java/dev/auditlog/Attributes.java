package dev.auditlog;

import dev.auditlog.spi.SafeText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Normalises and validates attribute values of {@link dev.auditlog.AuditEvent}.
 *
 * <p>Allowed values are {@code String}, {@code Long}, {@code Boolean}, {@code List} and {@code Map<String, ?>}
 * of those, recursively; {@code Integer}, {@code Short} and {@code Byte} are widened to {@code Long}. The
 * normalised copy is deeply immutable and every map is sorted by key, so iteration (and hence serialisation)
 * order is deterministic.
 *
 * <p>Depth counts container levels: a scalar attribute has depth 0, a list of scalars depth 1, a list of maps of
 * scalars depth 2. Elements count every value in the tree: each attribute value, each list element and each map
 * value counts one (containers included).
 *
 * <p>Internal API: not exported from the module.
 */
final class Attributes {

    /** Attribute names and nested map keys must match this pattern. */
    public static final String NAME_REGEX = "[A-Za-z][A-Za-z0-9_.-]*";

    private Attributes() {
    }

    /** Validates an attribute name or map key (well-formed, pattern, length). */
    public static String checkName(String path, String name, int maxLength) {
        Objects.requireNonNull(name, path);
        if (!Validation.isAttributeName(name)) { // a match is non-empty ASCII: the text rules need no pass of their own
            Validation.text(path, name);
            throw new IllegalArgumentException(path + " must match " + NAME_REGEX + ", was " + Validation.describe(name));
        }
        Validation.maxLength(path, name, maxLength, "maxAttributeNameLength");
        return name;
    }

    /**
     * Returns a deeply immutable, normalised copy of {@code value}, checking types, nulls, names and depth.
     *
     * @param path the attribute path for messages, e.g. {@code attributes.roles[2]}
     * @param level container nesting level of {@code value}'s parent (0 for a top-level attribute)
     */
    public static Object normalise(String path, Object value, int level, AuditLimits limits) {
        if (value == null) {
            throw new NullPointerException(path);
        }
        if (value instanceof String || value instanceof Long || value instanceof Boolean
                || value instanceof Sensitive) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof List || value instanceof Map) {
            if (level + 1 > limits.maxAttributeDepth()) {
                throw new IllegalArgumentException(path + " must be nested at most " + limits.maxAttributeDepth()
                        + " levels of lists/maps deep (maxAttributeDepth), was " + (level + 1));
            }
            if (value instanceof List) {
                List<?> list = (List<?>) value;
                List<Object> copy = new ArrayList<>(list.size());
                int i = 0;
                for (Object element : list) {
                    copy.add(normalise(path + "[" + i + "]", element, level + 1, limits));
                    i++;
                }
                return Collections.unmodifiableList(copy);
            }
            Map<?, ?> map = (Map<?, ?>) value;
            SortedMap<String, Object> copy = new TreeMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object key = entry.getKey();
                if (key == null) {
                    throw new NullPointerException(path + " key");
                }
                if (!(key instanceof String)) {
                    throw new IllegalArgumentException(path + " keys must be String, was "
                            + key.getClass().getName());
                }
                String name = (String) key;
                checkName(path + " key", name, limits.maxAttributeNameLength());
                String childPath = path + "." + name;
                copy.put(name, normalise(childPath, entry.getValue(), level + 1, limits));
            }
            return Collections.unmodifiableSortedMap(copy);
        }
        throw new IllegalArgumentException(path + " must be String, Long, Boolean, List or Map (or Sensitive; Integer/Short/Byte "
                + "are widened to Long), was " + value.getClass().getName());
    }

    /**
     * Validates already normalised attributes, {@code count} name/value pairs in {@code pairs} (see
     * {@link AttributeMap}), against {@code limits}: count, strings (non-empty, well-formed, length), depth and
     * total elements; not the top-level names, which the builder checked when each was put. A valid scalar
     * attribute costs no allocation: paths are put together only for containers and failures.
     */
    public static void validate(Object[] pairs, int count, AuditLimits limits) {
        if (count > limits.maxAttributes()) {
            throw new IllegalArgumentException("attributes must have at most " + limits.maxAttributes()
                    + " entries (maxAttributes), was " + count);
        }
        int elements = 0;
        for (int i = 0; i < count; i++) {
            String name = (String) pairs[2 * i];
            Object value = pairs[2 * i + 1];
            // the name was checked against these limits when it was put (or when the event it came from was built)
            boolean plainScalar = value instanceof String v ? !v.isEmpty()
                    && v.length() <= limits.maxAttributeStringLength() && Validation.isPlain(v)
                    : value instanceof Long || value instanceof Boolean;
            if (plainScalar && elements < limits.maxAttributeElements()) {
                elements++;
                continue;
            }
            int[] counted = {elements};
            validateValue("attributes." + name, value, 0, limits, counted);
            elements = counted[0];
        }
    }

    private static void validateValue(String path, Object value, int level, AuditLimits limits, int[] elements) {
        if (++elements[0] > limits.maxAttributeElements()) {
            throw new IllegalArgumentException("attributes must contain at most " + limits.maxAttributeElements()
                    + " values in total (maxAttributeElements), exceeded at " + path);
        }
        if (value instanceof String) {
            if (SecretKeys.defaults().match(path) != null) {
                String s = (String) value;
                if (s.isEmpty() || s.length() > limits.maxAttributeStringLength() || SafeText.loneSurrogateIndex(s) >= 0
                        || s.indexOf('\u0000') >= 0) {
                    throw new IllegalArgumentException(path + " must be 1-" + limits.maxAttributeStringLength()
                            + " chars of well-formed UTF-16 without U+0000 (maxAttributeStringLength); value not shown:"
                            + " the name looks like a secret");
                }
            } else {
                Validation.text(path, (String) value, limits.maxAttributeStringLength(), "maxAttributeStringLength");
            }
        } else if (value instanceof Sensitive) {
            if (((Sensitive) value).length() > limits.maxAttributeStringLength()) {
                throw new IllegalArgumentException(path + " must be at most " + limits.maxAttributeStringLength()
                        + " chars (maxAttributeStringLength), was " + ((Sensitive) value).length()
                        + " chars (Sensitive, value not shown)");
            }
        } else if (value instanceof List || value instanceof Map) {
            if (level + 1 > limits.maxAttributeDepth()) {
                throw new IllegalArgumentException(path + " must be nested at most " + limits.maxAttributeDepth()
                        + " levels of lists/maps deep (maxAttributeDepth), was " + (level + 1));
            }
            if (value instanceof List) {
                int i = 0;
                for (Object element : (List<?>) value) {
                    validateValue(path + "[" + i + "]", element, level + 1, limits, elements);
                    i++;
                }
            } else {
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    String name = (String) entry.getKey();
                    checkName(path + " key", name, limits.maxAttributeNameLength());
                    String childPath = path + "." + name;
                    validateValue(childPath, entry.getValue(), level + 1, limits, elements);
                }
            }
        }
    }
}
