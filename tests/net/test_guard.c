/*
 * Unit tests for the SSRF guard's address classifier, and for the refusals
 * td_net_get makes before any byte is sent (private targets, other schemes).
 * Nothing here talks to a server: refused connections never open a socket.
 */
#include "base/compat.h"
#include "base/error.h"
#include "net/net.h"

#include "harness/tap.h"

#include <arpa/inet.h>
#include <netinet/in.h>

static enum td_net_addr_class classify(const char *text)
{
    struct sockaddr_in in4 = {.sin_family = AF_INET};
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};

    if (inet_pton(AF_INET, text, &in4.sin_addr) == 1)
        return td_net_addr_classify((struct sockaddr *)&in4, sizeof(in4));
    if (inet_pton(AF_INET6, text, &in6.sin6_addr) == 1)
        return td_net_addr_classify((struct sockaddr *)&in6, sizeof(in6));
    fprintf(stderr, "# bad address literal in test: %s\n", text);
    exit(1);
}

#define ASSERT_CLASS(text, want)                                                                   \
    do {                                                                                           \
        enum td_net_addr_class got_ = classify(text);                                              \
        if (got_ != (want)) {                                                                      \
            fprintf(stderr, "# %s:%d: %s is %s, want %s\n", __FILE__, __LINE__, text,              \
                    td_net_addr_class_name(got_), td_net_addr_class_name(want));                   \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

static void test_ipv4_classes(void)
{
    ASSERT_CLASS("8.8.8.8", TD_NET_ADDR_PUBLIC);
    ASSERT_CLASS("93.184.216.34", TD_NET_ADDR_PUBLIC);
    ASSERT_CLASS("1.1.1.1", TD_NET_ADDR_PUBLIC);
    ASSERT_CLASS("127.0.0.1", TD_NET_ADDR_LOOPBACK);
    ASSERT_CLASS("127.255.255.254", TD_NET_ADDR_LOOPBACK);
    ASSERT_CLASS("10.0.0.1", TD_NET_ADDR_PRIVATE);
    ASSERT_CLASS("10.255.255.255", TD_NET_ADDR_PRIVATE);
    ASSERT_CLASS("172.16.0.1", TD_NET_ADDR_PRIVATE);
    ASSERT_CLASS("172.31.255.255", TD_NET_ADDR_PRIVATE);
    ASSERT_CLASS("172.15.255.255", TD_NET_ADDR_PUBLIC);
    ASSERT_CLASS("172.32.0.0", TD_NET_ADDR_PUBLIC);
    ASSERT_CLASS("192.168.1.1", TD_NET_ADDR_PRIVATE);
    ASSERT_CLASS("192.169.0.1", TD_NET_ADDR_PUBLIC);
    ASSERT_CLASS("100.64.0.1", TD_NET_ADDR_PRIVATE);
    ASSERT_CLASS("100.127.255.255", TD_NET_ADDR_PRIVATE);
    ASSERT_CLASS("100.63.255.255", TD_NET_ADDR_PUBLIC);
    ASSERT_CLASS("100.128.0.0", TD_NET_ADDR_PUBLIC);
    ASSERT_CLASS("169.254.169.254", TD_NET_ADDR_LINK_LOCAL);
    ASSERT_CLASS("0.0.0.0", TD_NET_ADDR_UNSPECIFIED);
    ASSERT_CLASS("0.1.2.3", TD_NET_ADDR_UNSPECIFIED);
    ASSERT_CLASS("224.0.0.1", TD_NET_ADDR_MULTICAST);
    ASSERT_CLASS("239.255.255.250", TD_NET_ADDR_MULTICAST);
    ASSERT_CLASS("255.255.255.255", TD_NET_ADDR_MULTICAST);
    ASSERT_CLASS("240.0.0.1", TD_NET_ADDR_RESERVED);
    ASSERT_CLASS("192.0.2.1", TD_NET_ADDR_RESERVED);
    ASSERT_CLASS("198.18.0.1", TD_NET_ADDR_RESERVED);
    ASSERT_CLASS("198.19.255.255", TD_NET_ADDR_RESERVED);
    ASSERT_CLASS("198.20.0.0", TD_NET_ADDR_PUBLIC);
    ASSERT_CLASS("203.0.113.9", TD_NET_ADDR_RESERVED);
}

static void test_ipv6_classes(void)
{
    ASSERT_CLASS("2606:4700:4700::1111", TD_NET_ADDR_PUBLIC);
    ASSERT_CLASS("2a00:1450:4001:80b::200e", TD_NET_ADDR_PUBLIC);
    ASSERT_CLASS("::1", TD_NET_ADDR_LOOPBACK);
    ASSERT_CLASS("::", TD_NET_ADDR_UNSPECIFIED);
    ASSERT_CLASS("fe80::1", TD_NET_ADDR_LINK_LOCAL);
    ASSERT_CLASS("febf::1", TD_NET_ADDR_LINK_LOCAL);
    ASSERT_CLASS("fec0::1", TD_NET_ADDR_PRIVATE);
    ASSERT_CLASS("fc00::1", TD_NET_ADDR_PRIVATE);
    ASSERT_CLASS("fd12:3456:789a::1", TD_NET_ADDR_PRIVATE);
    ASSERT_CLASS("ff02::1", TD_NET_ADDR_MULTICAST);
    ASSERT_CLASS("2001:db8::1", TD_NET_ADDR_RESERVED);
    ASSERT_CLASS("2001:0:4136:e378::1", TD_NET_ADDR_RESERVED);
    ASSERT_CLASS("100::1", TD_NET_ADDR_RESERVED);
    ASSERT_CLASS("4000::1", TD_NET_ADDR_RESERVED);
}

/* IPv6 forms that carry an IPv4 address are judged by that address. */
static void test_ipv6_embedded_ipv4(void)
{
    ASSERT_CLASS("::ffff:127.0.0.1", TD_NET_ADDR_LOOPBACK);
    ASSERT_CLASS("::ffff:10.1.2.3", TD_NET_ADDR_PRIVATE);
    ASSERT_CLASS("::ffff:169.254.169.254", TD_NET_ADDR_LINK_LOCAL);
    ASSERT_CLASS("::ffff:8.8.8.8", TD_NET_ADDR_PUBLIC);
    ASSERT_CLASS("::127.0.0.1", TD_NET_ADDR_LOOPBACK);
    ASSERT_CLASS("64:ff9b::192.168.0.1", TD_NET_ADDR_PRIVATE);
    ASSERT_CLASS("64:ff9b::8.8.4.4", TD_NET_ADDR_PUBLIC);
    ASSERT_CLASS("2002:7f00:1::1", TD_NET_ADDR_LOOPBACK);
    ASSERT_CLASS("2002:0808:0808::1", TD_NET_ADDR_PUBLIC);
}

static void test_classify_literals(void)
{
    ASSERT_EQ(td_net_addr_classify_str("127.0.0.1"), TD_NET_ADDR_LOOPBACK);
    ASSERT_EQ(td_net_addr_classify_str("::ffff:192.168.0.1"), TD_NET_ADDR_PRIVATE);
    ASSERT_EQ(td_net_addr_classify_str("2606:4700:4700::1111"), TD_NET_ADDR_PUBLIC);
    ASSERT_EQ(td_net_addr_classify_str("localhost"), TD_NET_ADDR_INVALID);
    ASSERT_EQ(td_net_addr_classify_str("[::1]"), TD_NET_ADDR_INVALID);
    ASSERT_EQ(td_net_addr_classify_str(""), TD_NET_ADDR_INVALID);
    ASSERT_EQ(td_net_addr_classify_str(NULL), TD_NET_ADDR_INVALID);
}

static void test_invalid_sockaddr(void)
{
    struct sockaddr_in in4 = {.sin_family = AF_INET};
    struct sockaddr sa = {.sa_family = AF_UNIX};

    ASSERT_EQ(td_net_addr_classify(NULL, 0), TD_NET_ADDR_INVALID);
    ASSERT_EQ(td_net_addr_classify(&sa, sizeof(sa)), TD_NET_ADDR_INVALID);
    /* a truncated length is not read past */
    ASSERT_EQ(td_net_addr_classify((struct sockaddr *)&in4, 4), TD_NET_ADDR_INVALID);
}

/*
 * The guard looks at the address being connected to, so names that resolve
 * to loopback are refused as well as literals.  Port 9 (discard) on
 * loopback: no socket is ever opened, so nothing needs to listen there.
 */
static void test_get_refuses_private_targets(void)
{
    static const char *const urls[] = {
        "http://127.0.0.1:9/",          "http://[::1]:9/feed", "http://localhost:9/",
        "http://[::ffff:127.0.0.1]:9/", "http://0.0.0.0:9/",
    };
    struct td_net_opts opts = {.timeout_ms = 5000};

    for (size_t i = 0; i < TD_ARRAY_SIZE(urls); i++) {
        struct td_net_response r = TD_NET_RESPONSE_INIT;
        int err = td_net_get(urls[i], &opts, &r);
        if (err != TD_EDENIED)
            fprintf(stderr, "# %s: %s (%s)\n", urls[i], td_strerror(err), r.error);
        ASSERT_EQ(err, TD_EDENIED);
        ASSERT_CONTAINS(r.error, "refused to connect");
        ASSERT_EQ(r.status, 0);
        td_net_response_release(&r);
    }
}

static void test_get_refuses_other_schemes(void)
{
    static const char *const urls[] = {
        "ftp://127.0.0.1/x",   "file:///etc/passwd", "gopher://127.0.0.1/",
        "dict://127.0.0.1:9/", "/relative/path",     "",
        "http//missing-colon",
    };

    for (size_t i = 0; i < TD_ARRAY_SIZE(urls); i++) {
        struct td_net_response r = TD_NET_RESPONSE_INIT;
        ASSERT_EQ(td_net_get(urls[i], NULL, &r), TD_EINVAL);
        ASSERT(r.error[0] != '\0');
        td_net_response_release(&r);
    }
}

static void test_get_rejects_header_injection(void)
{
    struct td_net_opts opts = {.etag = "\"x\"\r\nX-Evil: 1", .allow_private = true};
    struct td_net_response r = TD_NET_RESPONSE_INIT;

    ASSERT_EQ(td_net_get("http://127.0.0.1:9/", &opts, &r), TD_EINVAL);
    ASSERT_CONTAINS(r.error, "If-None-Match");
    td_net_response_release(&r);
    td_net_response_release(NULL);
}

static const struct tap_test tests[] = {
    TAP_TEST(test_ipv4_classes),
    TAP_TEST(test_ipv6_classes),
    TAP_TEST(test_ipv6_embedded_ipv4),
    TAP_TEST(test_classify_literals),
    TAP_TEST(test_invalid_sockaddr),
    TAP_TEST(test_get_refuses_private_targets),
    TAP_TEST(test_get_refuses_other_schemes),
    TAP_TEST(test_get_rejects_header_injection),
    TAP_END,
};

int main(void)
{
    return tap_run(tests);
}
