package dev.auditlog;

/**
 * Action names from the OWASP Application Logging Vocabulary Cheat Sheet, for use with
 * {@link AuditEvent.Builder#action(String)}. Using a shared vocabulary lets detection rules and SIEM queries
 * work across applications. Every constant matches {@link AuditEvent#ACTION_REGEX}.
 *
 * @see <a href="https://cheatsheetseries.owasp.org/cheatsheets/Logging_Vocabulary_Cheat_Sheet.html">OWASP
 *     Logging Vocabulary Cheat Sheet</a>
 */
public final class AuditActions {

    /** OWASP vocabulary event {@code authn_login_success}. */
    public static final String AUTHN_LOGIN_SUCCESS = "authn_login_success";

    /** OWASP vocabulary event {@code authn_login_successafterfail}. */
    public static final String AUTHN_LOGIN_SUCCESSAFTERFAIL = "authn_login_successafterfail";

    /** OWASP vocabulary event {@code authn_login_fail}. */
    public static final String AUTHN_LOGIN_FAIL = "authn_login_fail";

    /** OWASP vocabulary event {@code authn_login_fail_max}. */
    public static final String AUTHN_LOGIN_FAIL_MAX = "authn_login_fail_max";

    /** OWASP vocabulary event {@code authn_login_lock}. */
    public static final String AUTHN_LOGIN_LOCK = "authn_login_lock";

    /** OWASP vocabulary event {@code authn_password_change}. */
    public static final String AUTHN_PASSWORD_CHANGE = "authn_password_change";

    /** OWASP vocabulary event {@code authn_password_change_fail}. */
    public static final String AUTHN_PASSWORD_CHANGE_FAIL = "authn_password_change_fail";

    /** OWASP vocabulary event {@code authn_impossible_travel}. */
    public static final String AUTHN_IMPOSSIBLE_TRAVEL = "authn_impossible_travel";

    /** OWASP vocabulary event {@code authn_token_created}. */
    public static final String AUTHN_TOKEN_CREATED = "authn_token_created";

    /** OWASP vocabulary event {@code authn_token_revoked}. */
    public static final String AUTHN_TOKEN_REVOKED = "authn_token_revoked";

    /** OWASP vocabulary event {@code authn_token_reuse}. */
    public static final String AUTHN_TOKEN_REUSE = "authn_token_reuse";

    /** OWASP vocabulary event {@code authn_token_delete}. */
    public static final String AUTHN_TOKEN_DELETE = "authn_token_delete";

    /** OWASP vocabulary event {@code authz_fail}. */
    public static final String AUTHZ_FAIL = "authz_fail";

    /** OWASP vocabulary event {@code authz_change}. */
    public static final String AUTHZ_CHANGE = "authz_change";

    /** OWASP vocabulary event {@code authz_admin}. */
    public static final String AUTHZ_ADMIN = "authz_admin";

    /** OWASP vocabulary event {@code excess_rate_limit_exceeded}. */
    public static final String EXCESS_RATE_LIMIT_EXCEEDED = "excess_rate_limit_exceeded";

    /** OWASP vocabulary event {@code upload_complete}. */
    public static final String UPLOAD_COMPLETE = "upload_complete";

    /** OWASP vocabulary event {@code upload_stored}. */
    public static final String UPLOAD_STORED = "upload_stored";

    /** OWASP vocabulary event {@code upload_validation}. */
    public static final String UPLOAD_VALIDATION = "upload_validation";

    /** OWASP vocabulary event {@code upload_delete}. */
    public static final String UPLOAD_DELETE = "upload_delete";

    /** OWASP vocabulary event {@code input_validation_fail}. */
    public static final String INPUT_VALIDATION_FAIL = "input_validation_fail";

    /** OWASP vocabulary event {@code malicious_excess_404}. */
    public static final String MALICIOUS_EXCESS_404 = "malicious_excess_404";

    /** OWASP vocabulary event {@code malicious_extraneous}. */
    public static final String MALICIOUS_EXTRANEOUS = "malicious_extraneous";

    /** OWASP vocabulary event {@code malicious_attack_tool}. */
    public static final String MALICIOUS_ATTACK_TOOL = "malicious_attack_tool";

    /** OWASP vocabulary event {@code malicious_cors}. */
    public static final String MALICIOUS_CORS = "malicious_cors";

    /** OWASP vocabulary event {@code malicious_direct_reference}. */
    public static final String MALICIOUS_DIRECT_REFERENCE = "malicious_direct_reference";

    /** OWASP vocabulary event {@code privilege_permissions_changed}. */
    public static final String PRIVILEGE_PERMISSIONS_CHANGED = "privilege_permissions_changed";

    /** OWASP vocabulary event {@code sensitive_create}. */
    public static final String SENSITIVE_CREATE = "sensitive_create";

    /** OWASP vocabulary event {@code sensitive_read}. */
    public static final String SENSITIVE_READ = "sensitive_read";

    /** OWASP vocabulary event {@code sensitive_update}. */
    public static final String SENSITIVE_UPDATE = "sensitive_update";

    /** OWASP vocabulary event {@code sensitive_delete}. */
    public static final String SENSITIVE_DELETE = "sensitive_delete";

    /** OWASP vocabulary event {@code sequence_fail}. */
    public static final String SEQUENCE_FAIL = "sequence_fail";

    /** OWASP vocabulary event {@code session_created}. */
    public static final String SESSION_CREATED = "session_created";

    /** OWASP vocabulary event {@code session_renewed}. */
    public static final String SESSION_RENEWED = "session_renewed";

    /** OWASP vocabulary event {@code session_expired}. */
    public static final String SESSION_EXPIRED = "session_expired";

    /** OWASP vocabulary event {@code session_use_after_expire}. */
    public static final String SESSION_USE_AFTER_EXPIRE = "session_use_after_expire";

    /** OWASP vocabulary event {@code sys_startup}. */
    public static final String SYS_STARTUP = "sys_startup";

    /** OWASP vocabulary event {@code sys_shutdown}. */
    public static final String SYS_SHUTDOWN = "sys_shutdown";

    /** OWASP vocabulary event {@code sys_restart}. */
    public static final String SYS_RESTART = "sys_restart";

    /** OWASP vocabulary event {@code sys_crash}. */
    public static final String SYS_CRASH = "sys_crash";

    /** OWASP vocabulary event {@code sys_monitor_disabled}. */
    public static final String SYS_MONITOR_DISABLED = "sys_monitor_disabled";

    /** OWASP vocabulary event {@code sys_monitor_enabled}. */
    public static final String SYS_MONITOR_ENABLED = "sys_monitor_enabled";

    /** OWASP vocabulary event {@code user_created}. */
    public static final String USER_CREATED = "user_created";

    /** OWASP vocabulary event {@code user_updated}. */
    public static final String USER_UPDATED = "user_updated";

    /** OWASP vocabulary event {@code user_archived}. */
    public static final String USER_ARCHIVED = "user_archived";

    /** OWASP vocabulary event {@code user_deleted}. */
    public static final String USER_DELETED = "user_deleted";

    private AuditActions() {
    }
}
