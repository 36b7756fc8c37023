package dev.auditlog.example;

import dev.auditlog.GuardDeniedException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** The API the demo drives with curl. */
@RestController
public class ShopApi {
    private final Documents documents;

    ShopApi(Documents documents) {
        this.documents = documents;
    }

    @GetMapping({"/", "/api/hello"})
    Map<String, String> hello(Authentication user) {
        return Map.of("hello", user.getName());
    }

    @GetMapping("/api/documents")
    Map<String, String> list() {
        return documents.list();
    }

    @PostMapping("/api/documents/{id}/delete")
    Map<String, String> delete(@PathVariable("id") String id, @RequestParam("reason") String reason) {
        return Map.of("deleted", documents.delete(id, reason));
    }

    /** The guard said no: the method did not run, and the decision is in the log. */
    @ExceptionHandler(GuardDeniedException.class)
    ResponseEntity<Map<String, String>> denied(GuardDeniedException e) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Map.of("error", "denied",
                "correlationId", e.decision().correlationId()));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> notFound(IllegalArgumentException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
    }
}
