package dev.auditlog.example;

import dev.auditlog.Category;
import dev.auditlog.spring.Audited;
import org.springframework.stereotype.Service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A tiny document store; deleting is audited and guarded. */
@Service
public class Documents {
    private final Map<String, String> documents = new ConcurrentHashMap<>(Map.of(
            "d-1", "Quarterly report", "d-2", "Price list", "secret-1", "Merger plan"));

    /**
     * Deletes a document. The guard may refuse first (secret documents are for admin only, see
     * {@link ShopProtection}); the outcome (deleted, or the exception's class) is recorded either way.
     */
    @Audited(action = "document.delete", category = Category.DATA_CHANGE, targetType = "document",
            targetId = "#id", attributes = "reason=#reason", guarded = true)
    public String delete(String id, String reason) {
        if (documents.remove(id) == null) {
            throw new IllegalArgumentException("no such document");
        }
        return id;
    }

    public Map<String, String> list() {
        return Map.copyOf(documents);
    }
}
