/**
 * Active protection for an audit log, installed as one interceptor
 * ({@link dev.auditlog.protect.Protection}): a recording policy, detection rules that raise alerts (recorded in
 * the chain and handed to listeners such as a webhook), and a guard whose rules can deny an action before it
 * runs. See {@code docs/PROTECTION.md}.
 */
module dev.auditlog.protect {
    requires transitive dev.auditlog;
    requires com.fasterxml.jackson.core;
    requires java.net.http;

    exports dev.auditlog.protect;
}
