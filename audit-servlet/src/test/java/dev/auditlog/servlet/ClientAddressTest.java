package dev.auditlog.servlet;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressTest {
    private static ClientAddress trusting(String... cidrs) {
        return new ClientAddress(java.util.Arrays.stream(cidrs).map(c -> IpRange.parse("trustedProxies", c)).toList());
    }

    private static String client(ClientAddress a, String peer, String... xff) {
        ClientAddress.Resolved r = a.resolve(peer, Collections.enumeration(List.of(xff)));
        return r.client() == null ? null : IpRange.format(r.client());
    }

    @Test
    void theHeaderOfAnUntrustedPeerIsIgnored() {
        ClientAddress a = trusting("10.0.0.0/8");
        assertThat(client(a, "198.51.100.4", "203.0.113.9")).isEqualTo("198.51.100.4");
        assertThat(client(trusting(), "10.1.1.1", "203.0.113.9")).isEqualTo("10.1.1.1");
    }

    @Test
    void trustedHopsAreWalkedFromTheRightToTheFirstUntrustedAddress() {
        ClientAddress a = trusting("10.0.0.0/8", "2001:db8::/32");
        // The client forged the first entry; the proxies appended the rest.
        assertThat(client(a, "10.0.0.1", "1.2.3.4, 203.0.113.9, 10.0.0.7")).isEqualTo("203.0.113.9");
        assertThat(client(a, "10.0.0.1", "1.2.3.4", "203.0.113.9:5555, [2001:db8::5]:443")).isEqualTo("203.0.113.9");
        assertThat(client(a, "2001:db8::1", "2001:db8::2, 10.9.9.9")).as("all trusted: the leftmost")
                .isEqualTo("2001:db8:0:0:0:0:0:2");
        assertThat(client(a, "[2001:db8::1]", "198.51.100.1")).as("a bracketed peer").isEqualTo("198.51.100.1");
        assertThat(client(a, "::ffff:10.0.0.1", "198.51.100.1")).as("an IPv4-mapped peer").isEqualTo("198.51.100.1");
    }

    @Test
    void aMalformedEntryStopsTheWalkAtTheLastVouchedAddress() {
        ClientAddress a = trusting("10.0.0.0/8");
        ClientAddress.Resolved r = a.resolve("10.0.0.1", Collections.enumeration(List.of("203.0.113.9, unknown")));
        assertThat(IpRange.format(r.client())).isEqualTo("10.0.0.1");
        assertThat(r.forwardedInvalid()).isTrue();
        assertThat(client(a, "10.0.0.1", "evil.example.com")).as("never a DNS name").isEqualTo("10.0.0.1");
        assertThat(client(a, "10.0.0.1", "010.1.1.1")).as("no leading zeros").isEqualTo("10.0.0.1");
        assertThat(a.resolve("unix:/tmp/sock", null).client()).isNull();
    }

    @Test
    void rangesAreValidatedEagerlyWithTheRuleAndTheValue() {
        assertThatThrownBy(() -> IpRange.parse("trustedProxies", "10.0.0.1/8"))
                .hasMessageContaining("trustedProxies").hasMessageContaining("10.0.0.1/8")
                .hasMessageContaining("did you mean 10.0.0.0/8");
        assertThatThrownBy(() -> IpRange.parse("trustedProxies", "10.0.0.0/33"))
                .hasMessage("trustedProxies prefix length must be 0-32 for IPv4, was \"10.0.0.0/33\"");
        assertThatThrownBy(() -> IpRange.parse("trustedProxies", "proxy.internal"))
                .hasMessageContaining("must be an IP address or CIDR range");
        assertThatThrownBy(() -> IpRange.parse("trustedProxies", "10.0.0.0/"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(IpRange.parse("p", "0.0.0.0/0").contains(IpRange.parseAddress("8.8.8.8"))).isTrue();
        assertThat(IpRange.parse("p", "2001:db8::/32").contains(IpRange.parseAddress("2001:db9::1"))).isFalse();
        assertThat(IpRange.parse("p", "192.0.2.1").contains(IpRange.parseAddress("192.0.2.2"))).isFalse();
    }
}
