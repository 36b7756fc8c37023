package dev.auditlog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LibraryVersionTest {

    @Test
    void isThePomVersion() {
        // Set by surefire from ${project.version} (audit-core/pom.xml).
        String pom = System.getProperty("auditlog.expectedVersion");
        assertThat(pom).as("system property auditlog.expectedVersion (surefire configuration)").isNotBlank()
                .doesNotContain("${");
        assertThat(LibraryVersion.get()).isEqualTo(pom);
    }

    @Test
    void anUnfilteredOrEmptyValueIsAnError() {
        assertThatThrownBy(() -> LibraryVersion.check("${project.version}"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("filtering");
        assertThatThrownBy(() -> LibraryVersion.check(" ")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LibraryVersion.check(null)).isInstanceOf(IllegalStateException.class);
        assertThat(LibraryVersion.check("1.2.3\n")).isEqualTo("1.2.3");
    }
}
