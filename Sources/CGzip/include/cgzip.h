#ifndef REGDB_CGZIP_H
#define REGDB_CGZIP_H

#include <stddef.h>

/// Outcome of cgzip_inflate.
typedef enum {
    CGZIP_OK = 0,
    CGZIP_NO_ZLIB,      /* libz.so.1 could not be loaded */
    CGZIP_INVALID,      /* not gzip (or zlib) data, or cut short */
    CGZIP_TOO_LARGE     /* the inflated data passed the limit */
} cgzip_outcome;

/// Inflates gzip or zlib data with the system zlib, loaded on first use;
/// *out is malloc'd (free it) and holds *out_length bytes when CGZIP_OK.
cgzip_outcome cgzip_inflate(const unsigned char *data, size_t length, size_t limit, unsigned char **out, size_t *out_length);

#endif
