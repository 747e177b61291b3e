package dev.codelab.shared.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves the client's address: the socket peer, or — only when the peer is a trusted proxy — the right-most
 * address in {@code X-Forwarded-For} that is not itself a trusted proxy. Forwarded headers from anyone else
 * are ignored, so a client cannot choose its own rate-limit bucket.
 */
public final class ClientIp {

    private final List<Cidr> trusted;

    private ClientIp(List<Cidr> trusted) {
        this.trusted = trusted;
    }

    /**
     * @param trustedProxies comma-separated CIDRs or addresses, e.g. {@code 127.0.0.1/32,10.0.0.0/8}; blank trusts
     *                       none
     */
    public static ClientIp create(String trustedProxies) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String part : trustedProxies == null ? new String[0] : trustedProxies.split(",")) {
            if (!part.isBlank()) {
                cidrs.add(Cidr.parse(part.strip()));
            }
        }
        return new ClientIp(List.copyOf(cidrs));
    }

    public String of(ServerRequest req) {
        return resolve(peerAddress(req), req.headers().values(HeaderNames.X_FORWARDED_FOR));
    }

    /**
     * The client address given the socket peer and the {@code X-Forwarded-For} header values in order.
     */
    public String resolve(String peer, List<String> forwardedFor) {
        if (!isTrusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor) {
            for (String hop : value.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.strip());
                }
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (!isTrusted(hops.get(i))) {
                return hops.get(i);
            }
        }
        return hops.isEmpty() ? peer : hops.getFirst();
    }

    boolean isTrusted(String address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static String peerAddress(ServerRequest req) {
        if (req.remotePeer().address() instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return req.remotePeer().host();
    }

    private record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            byte[] address = literal(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("Not an IP address or CIDR: " + text);
            }
            int prefix = slash < 0 ? address.length * 8 : Integer.parseInt(text.substring(slash + 1));
            return new Cidr(address, prefix);
        }

        boolean contains(String text) {
            byte[] address = literal(text);
            if (address == null || address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        /** Parses only IP literals (never a DNS lookup): digits, dots, hex and colons. */
        private static byte[] literal(String text) {
            if (text.isEmpty() || !text.matches("[0-9A-Fa-f.:]+")) {
                return null;
            }
            try {
                return InetAddress.getByName(text).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }
}
