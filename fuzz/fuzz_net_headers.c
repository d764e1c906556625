/*
 * fuzz_net_headers.c - libFuzzer target for the header values net/ turns
 * into schedule times, and for the SSRF guard's address classifier.
 *
 * The input is split at the first two newlines into a Retry-After, a
 * Cache-Control and an Expires value.  Besides "no crash" it checks that
 * every time stays within the documented bounds (never before `now`, never
 * more than a year after it) and, with the first 16 bytes as an IPv6
 * address, that an IPv4-mapped address is judged like the IPv4 one.
 */
#include "base/compat.h"
#include "net/net.h"

#include <netinet/in.h>

#define NOW ((time_t)1795521600)
#define YEAR ((time_t)366 * 24 * 3600)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *next_line(const uint8_t **p, const uint8_t *end)
{
    const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
    const uint8_t *stop = nl ? nl : end;
    char *s = td_xstrndup((const char *)*p, (size_t)(stop - *p));

    *p = nl ? nl + 1 : end;
    return s;
}

static void check_addr(const uint8_t *data, size_t size)
{
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
    struct sockaddr_in in4 = {.sin_family = AF_INET};

    if (size < 16)
        return;
    memcpy(in6.sin6_addr.s6_addr, data, 16);
    TD_ASSERT(td_net_addr_classify((struct sockaddr *)&in6, sizeof(in6)) != TD_NET_ADDR_INVALID);
    memcpy(&in4.sin_addr, data + 12, 4);
    memset(in6.sin6_addr.s6_addr, 0, 10);
    in6.sin6_addr.s6_addr[10] = in6.sin6_addr.s6_addr[11] = 0xff;
    TD_ASSERT(td_net_addr_classify((struct sockaddr *)&in6, sizeof(in6)) ==
              td_net_addr_classify((struct sockaddr *)&in4, sizeof(in4)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    struct td_net_response r = TD_NET_RESPONSE_INIT;
    time_t t;
    long age;

    check_addr(data, size);
    r.retry_after = next_line(&p, end);
    r.cache_control = next_line(&p, end);
    r.expires = next_line(&p, end);

    t = td_net_retry_after(r.retry_after, NOW);
    TD_ASSERT(t == (time_t)-1 || (t >= NOW && t <= NOW + YEAR));
    age = td_net_max_age(r.cache_control);
    TD_ASSERT(age >= -1 && age <= YEAR);
    (void)td_net_http_date(r.expires);
    for (long status = 200; status <= 503; status += 229) {
        r.status = status;
        t = td_net_not_before(&r, NOW);
        TD_ASSERT(t == (time_t)-1 || (t >= NOW && t <= NOW + YEAR));
    }
    td_net_response_release(&r);
    return 0;
}
