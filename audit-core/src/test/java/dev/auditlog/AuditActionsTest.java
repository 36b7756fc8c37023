package dev.auditlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditActionsTest {

    @Test
    void everyConstantIsAValidActionNamedAfterItsValue() throws Exception {
        List<String> values = new ArrayList<>();
        for (Field f : AuditActions.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != String.class) {
                continue;
            }
            String value = (String) f.get(null);
            values.add(value);
            assertThat(value).matches(AuditEvent.ACTION_REGEX).hasSizeBetween(1, AuditEvent.MAX_ACTION_LENGTH);
            assertThat(f.getName()).isEqualTo(value.toUpperCase(java.util.Locale.ROOT));
            // and the builder accepts it
            assertThat(AuditEvent.builder().action(value).actor(Actor.user("u")).outcome(Outcome.success())
                    .build().action()).isEqualTo(value);
        }
        assertThat(values).hasSize(46).doesNotHaveDuplicates()
                .contains("authn_login_fail", "authn_login_successafterfail", "malicious_excess_404",
                        "sys_monitor_enabled", "user_deleted");
    }
}
