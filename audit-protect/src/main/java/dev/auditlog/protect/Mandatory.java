package dev.auditlog.protect;

import dev.auditlog.AuditEvent;
import dev.auditlog.Category;
import dev.auditlog.OutcomeStatus;

/** The events no recording policy may drop or sample. */
final class Mandatory {
    private Mandatory() {
    }

    /** Why {@code event} is mandatory, or null when it is not. */
    public static String reason(AuditEvent event) {
        return reason(event.action(), event.category(), event.outcome().status());
    }

    public static String reason(String action, Category category, OutcomeStatus status) {
        if (action != null && action.startsWith("audit.")) {
            return "the library's own audit.* records";
        }
        if (category == Category.CONFIGURATION) {
            return "configuration changes (category CONFIGURATION)";
        }
        if (category == Category.AUDIT_LOG_ACCESS) {
            return "access to audit logs (category AUDIT_LOG_ACCESS)";
        }
        if (category == Category.AUTHENTICATION && status == OutcomeStatus.FAILURE) {
            return "authentication failures (category AUTHENTICATION, outcome FAILURE)";
        }
        if (status == OutcomeStatus.DENIED) {
            return "authorization denials (outcome DENIED)";
        }
        if (category == Category.AUTHORIZATION && status == OutcomeStatus.FAILURE) {
            return "authorization denials (category AUTHORIZATION, outcome FAILURE)";
        }
        return null;
    }
}
