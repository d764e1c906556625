/*
 * guard.c - the SSRF guard: decide whether an address is a public unicast
 * one we may connect to on behalf of a feed or a page.
 *
 * A feed URL is chosen by whoever runs the feed, so without this a feed
 * could make the crawler fetch http://127.0.0.1:6379/ or the cloud metadata
 * service at 169.254.169.254.  The check runs on the address libcurl is
 * about to connect to (see the opensocket callback in fetch.c), not on the
 * host name, so DNS rebinding and redirects cannot get around it; the
 * pre-request callback checks the connection's address again, because
 * libcurl may reuse a connection another transfer opened.
 *
 * Ranges: IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890
 * and its updates); everything not globally reachable is refused.
 */
#include "base/compat.h"
#include "net/net.h"

#include <arpa/inet.h>
#include <netinet/in.h>

static enum td_net_addr_class classify_v4(uint32_t a)
{
    uint8_t b0 = a >> 24, b1 = (a >> 16) & 0xff, b2 = (a >> 8) & 0xff;

    if (b0 == 0)
        return TD_NET_ADDR_UNSPECIFIED; /* "this network", RFC 791 / 1122 */
    if (b0 == 127)
        return TD_NET_ADDR_LOOPBACK;
    if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168))
        return TD_NET_ADDR_PRIVATE; /* RFC 1918 */
    if (b0 == 100 && (b1 & 0xc0) == 64)
        return TD_NET_ADDR_PRIVATE; /* shared address space (CGNAT), RFC 6598 */
    if (b0 == 169 && b1 == 254)
        return TD_NET_ADDR_LINK_LOCAL; /* RFC 3927 */
    if (a == 0xffffffffu)
        return TD_NET_ADDR_MULTICAST; /* limited broadcast */
    if ((b0 & 0xf0) == 224)
        return TD_NET_ADDR_MULTICAST;
    if ((b0 & 0xf0) == 240)
        return TD_NET_ADDR_RESERVED; /* RFC 1112 "future use" */
    if (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2))
        return TD_NET_ADDR_RESERVED; /* IETF protocol assignments, TEST-NET-1 */
    if (b0 == 198 && (b1 & 0xfe) == 18)
        return TD_NET_ADDR_RESERVED; /* benchmarking, RFC 2544 */
    if ((b0 == 198 && b1 == 51 && b2 == 100) || (b0 == 203 && b1 == 0 && b2 == 113))
        return TD_NET_ADDR_RESERVED; /* TEST-NET-2, TEST-NET-3 */
    return TD_NET_ADDR_PUBLIC;
}

static uint32_t v4_at(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

static enum td_net_addr_class classify_v6(const uint8_t *a)
{
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const uint8_t nat64[12] = {0x00, 0x64, 0xff, 0x9b};

    if (all_zero(a, 15))
        return a[15] == 0   ? TD_NET_ADDR_UNSPECIFIED
               : a[15] == 1 ? TD_NET_ADDR_LOOPBACK
                            : TD_NET_ADDR_RESERVED;
    if (!memcmp(a, mapped, 12) || !memcmp(a, nat64, 12) || all_zero(a, 12))
        return classify_v4(v4_at(a + 12)); /* mapped, NAT64 (RFC 6052), compatible */
    if (a[0] == 0x20 && a[1] == 0x02)
        return classify_v4(v4_at(a + 2)); /* 6to4, RFC 3056 */
    if (a[0] == 0xff)
        return TD_NET_ADDR_MULTICAST;
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
        return TD_NET_ADDR_LINK_LOCAL;
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0)
        return TD_NET_ADDR_PRIVATE; /* deprecated site-local, RFC 3879 */
    if ((a[0] & 0xfe) == 0xfc)
        return TD_NET_ADDR_PRIVATE; /* unique local, RFC 4193 */
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8)
        return TD_NET_ADDR_RESERVED; /* documentation, RFC 3849 */
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0)
        return TD_NET_ADDR_RESERVED; /* Teredo: tunnels to an arbitrary IPv4 host */
    if (a[0] == 0x01 && all_zero(a + 1, 7))
        return TD_NET_ADDR_RESERVED; /* discard-only, RFC 6666 */
    if ((a[0] & 0xe0) != 0x20)
        return TD_NET_ADDR_RESERVED; /* outside 2000::/3, the global unicast space */
    return TD_NET_ADDR_PUBLIC;
}

enum td_net_addr_class td_net_addr_classify(const struct sockaddr *sa, socklen_t len)
{
    if (!sa)
        return TD_NET_ADDR_INVALID;
    if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return classify_v4(ntohl(in->sin_addr.s_addr));
    }
    if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        return classify_v6(in6->sin6_addr.s6_addr);
    }
    return TD_NET_ADDR_INVALID;
}

enum td_net_addr_class td_net_addr_classify_str(const char *ip)
{
    struct sockaddr_in in4 = {.sin_family = AF_INET};
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};

    if (!ip)
        return TD_NET_ADDR_INVALID;
    if (inet_pton(AF_INET, ip, &in4.sin_addr) == 1)
        return td_net_addr_classify((struct sockaddr *)&in4, sizeof(in4));
    if (inet_pton(AF_INET6, ip, &in6.sin6_addr) == 1)
        return td_net_addr_classify((struct sockaddr *)&in6, sizeof(in6));
    return TD_NET_ADDR_INVALID;
}

const char *td_net_addr_class_name(enum td_net_addr_class c)
{
    switch (c) {
    case TD_NET_ADDR_PUBLIC:
        return "public";
    case TD_NET_ADDR_LOOPBACK:
        return "loopback";
    case TD_NET_ADDR_PRIVATE:
        return "private";
    case TD_NET_ADDR_LINK_LOCAL:
        return "link-local";
    case TD_NET_ADDR_UNSPECIFIED:
        return "unspecified";
    case TD_NET_ADDR_MULTICAST:
        return "multicast";
    case TD_NET_ADDR_RESERVED:
        return "reserved";
    case TD_NET_ADDR_INVALID:
        return "invalid";
    }
    return "invalid";
}
