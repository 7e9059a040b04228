package io.cinnabar.kernel.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Literal IPv4 / IPv6 addresses only, as Redis's inet_pton check for CLUSTER MEET (no DNS lookups). */
final class IpAddresses {
    private IpAddresses() {
    }

    /** The address in canonical text, or null when it is not a literal IPv4 or IPv6 address. */
    static String normalize(String ip) {
        if (ip.isEmpty()) {
            return null;
        }
        boolean v6 = ip.indexOf(':') >= 0;
        if (!v6) {
            String[] parts = ip.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            for (String p : parts) {
                if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                    return null;
                }
            }
        } else if (!ip.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return null;
        }
        try {
            return InetAddress.getByName(ip).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
