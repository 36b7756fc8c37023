package dev.auditlog.spring;

import dev.auditlog.Category;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Records each call of a Spring bean's method as an audit record, with the audit-spring-boot-starter:
 *
 * <pre>{@code
 * @Audited(action = "document.delete", category = Category.DATA_CHANGE, targetType = "document",
 *          targetId = "#id", attributes = "reason=#reason", guarded = true)
 * public void delete(String id, String reason) { ... }
 * }</pre>
 *
 * <ul>
 *   <li>The action, category and target type are literal; the target id, the attribute values and the actor are
 *       SpEL expressions over the method's arguments ({@code #id}, {@code #p0}, {@code #a0}), {@code #root.method},
 *       {@code #root.target} and beans ({@code @name}), evaluated before the method runs. Parameter names need the
 *       compiler's {@code -parameters} flag (Spring Boot's parent sets it); {@code #p0} always works.</li>
 *   <li>The outcome comes from the call: SUCCESS when it returns, FAILURE (reason code {@code exception}, attribute
 *       {@code exception.class}, never the message) when it throws; the exception is rethrown unchanged.</li>
 *   <li>The actor is the authenticated user (Spring Security), else {@code SYSTEM:application}, unless
 *       {@link #actor()} says otherwise. In a web request the client's address is the origin.</li>
 *   <li>{@link #guarded()}: the log's guard is asked first (the decision is recorded durably); on DENY the method
 *       does not run and {@link dev.auditlog.GuardDeniedException} is thrown; on ALLOW the outcome is recorded with
 *       the decision's correlation id.</li>
 * </ul>
 *
 * <p>Works on Spring beans called through their proxy (a call from the same object does not pass the proxy, as
 * with {@code @Transactional}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Audited {

    /** The action, such as {@code document.delete}: lower case words separated by dots. */
    String action();

    /** The category. */
    Category category() default Category.OTHER;

    /** The target's type, such as {@code document}; with {@link #targetId()}. No target when empty. */
    String targetType() default "";

    /** SpEL for the target's id, such as {@code #id}; required with {@link #targetType()}. */
    String targetId() default "";

    /** Attributes, each {@code name=SpEL}, such as {@code "amount=#order.total"}; a null value is left out. */
    String[] attributes() default {};

    /** SpEL for the actor's (user) id; by default the authenticated user. */
    String actor() default "";

    /** Ask the guard first: a DENY throws {@link dev.auditlog.GuardDeniedException} before the method runs. */
    boolean guarded() default false;
}
