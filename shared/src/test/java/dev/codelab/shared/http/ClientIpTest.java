package dev.codelab.shared.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientIpTest {

    private final ClientIp ip = ClientIp.create("127.0.0.1/32, 10.0.0.0/8,::1");

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreIgnored() {
        assertThat(ip.resolve("203.0.113.9", List.of("1.2.3.4")), is("203.0.113.9"));
    }

    @Test
    void aTrustedProxyNamesTheFirstUntrustedHopFromTheRight() {
        assertThat(ip.resolve("127.0.0.1", List.of("6.6.6.6, 198.51.100.7, 10.1.2.3")), is("198.51.100.7"));
        assertThat(ip.resolve("10.9.9.9", List.of("6.6.6.6", "198.51.100.8")), is("198.51.100.8"));
        assertThat(ip.resolve("::1", List.of("2001:db8::1")), is("2001:db8::1"));
    }

    @Test
    void aTrustedPeerWithoutForwardingIsTheClient() {
        assertThat(ip.resolve("127.0.0.1", List.of()), is("127.0.0.1"));
        assertThat(ip.resolve("127.0.0.1", List.of("10.0.0.5")), is("10.0.0.5"));
    }

    @Test
    void nothingIsTrustedByDefaultAndHostNamesAreNeverResolved() {
        assertThat(ClientIp.create("").resolve("127.0.0.1", List.of("1.1.1.1")), is("127.0.0.1"));
        assertThat(ip.isTrusted("localhost"), is(false));
        assertThrows(IllegalArgumentException.class, () -> ClientIp.create("not-an-ip"));
    }
}
