#ifndef REGDB_CHTTP_H
#define REGDB_CHTTP_H

#include <stddef.h>

/// Outcome of one GET, filled by chttp_get.
typedef enum {
    CHTTP_OK = 0,
    CHTTP_NO_LIBCURL,       /* libcurl.so.4 could not be loaded */
    CHTTP_BAD_URL,
    CHTTP_UNREACHABLE,      /* refused, unknown host, no route */
    CHTTP_TIMED_OUT,
    CHTTP_TOO_LARGE,        /* the body passed the limit */
    CHTTP_BROKEN,           /* the connection closed early */
    CHTTP_NOT_HTTP,         /* something answered, but not in HTTP */
    CHTTP_OTHER
} chttp_outcome;

typedef struct {
    chttp_outcome outcome;
    long status;            /* HTTP status, when an answer came */
    char *body;             /* malloc'd; free with chttp_free */
    size_t length;
    char error[256];        /* libcurl's words, for the message */
    char redirect[2048];    /* a 3xx answer's Location, resolved against the URL; not followed */
    char etag[512];         /* the answer's ETag header, if any (for a conditional request next time) */
    char last_modified[128];/* its Last-Modified header, if any */
    char content_type[256]; /* its Content-Type header, if any */
} chttp_response;

/// GETs url with the given "Name: value" headers; never raises, always fills out. With a
/// progress label, the bytes received and the rate are shown on standard error as they come
/// ("label: 12.5 MB, 3.1 MB/s"), on one line rewritten in place, cleared at the end.
void chttp_get(const char *url, const char *const *headers, int header_count, long timeout_ms, size_t limit,
               const char *progress_label, chttp_response *out);

void chttp_free(chttp_response *response);

#endif
