// gzip through the system zlib, loaded with dlopen on first use, so that
// building regdb needs no zlib headers and a registry reader links no zlib.
#include "cgzip.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* zlib's z_stream, as its ABI lays it out (zlib.h), and the calls used. */
typedef struct {
    const unsigned char *next_in;
    unsigned avail_in;
    unsigned long total_in;
    unsigned char *next_out;
    unsigned avail_out;
    unsigned long total_out;
    const char *msg;
    void *state;
    void *zalloc;
    void *zfree;
    void *opaque;
    int data_type;
    unsigned long adler;
    unsigned long reserved;
} z_stream;

enum { Z_OK = 0, Z_STREAM_END = 1, Z_NO_FLUSH = 0 };

typedef int (*inflate_init_fn)(z_stream *, int, const char *, int);
typedef int (*inflate_fn)(z_stream *, int);
typedef int (*inflate_end_fn)(z_stream *);
typedef const char *(*version_fn)(void);

static struct {
    inflate_init_fn init;
    inflate_fn inflate;
    inflate_end_fn end;
    version_fn version;
    int loaded;
} zlib;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load(void) {
    void *handle = dlopen("libz.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!handle) handle = dlopen("libz.so", RTLD_NOW | RTLD_LOCAL);
    if (!handle) handle = dlopen("libz.1.dylib", RTLD_NOW | RTLD_LOCAL);
    if (!handle) return;
    zlib.init = (inflate_init_fn)dlsym(handle, "inflateInit2_");
    zlib.inflate = (inflate_fn)dlsym(handle, "inflate");
    zlib.end = (inflate_end_fn)dlsym(handle, "inflateEnd");
    zlib.version = (version_fn)dlsym(handle, "zlibVersion");
    zlib.loaded = zlib.init && zlib.inflate && zlib.end && zlib.version;
}

cgzip_outcome cgzip_inflate(const unsigned char *data, size_t length, size_t limit, unsigned char **out, size_t *out_length) {
    *out = NULL;
    *out_length = 0;
    pthread_once(&load_once, load);
    if (!zlib.loaded) return CGZIP_NO_ZLIB;
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    /* 15 + 32: the largest window, and a gzip or zlib header detected. */
    if (zlib.init(&stream, 15 + 32, zlib.version(), (int)sizeof stream) != Z_OK) return CGZIP_INVALID;
    size_t capacity = 1 << 16;
    unsigned char *buffer = malloc(capacity);
    if (!buffer) {
        zlib.end(&stream);
        return CGZIP_INVALID;
    }
    stream.next_in = data;
    stream.avail_in = (unsigned)length;
    int status = Z_OK;
    size_t used = 0;
    while (status == Z_OK) {
        if (used == capacity) {
            if (capacity > limit) break;
            unsigned char *grown = realloc(buffer, capacity * 2);
            if (!grown) break;
            buffer = grown;
            capacity *= 2;
        }
        stream.next_out = buffer + used;
        stream.avail_out = (unsigned)(capacity - used);
        status = zlib.inflate(&stream, Z_NO_FLUSH);
        used = capacity - stream.avail_out;
        if (used > limit) {
            zlib.end(&stream);
            free(buffer);
            return CGZIP_TOO_LARGE;
        }
    }
    zlib.end(&stream);
    if (status != Z_STREAM_END) {
        free(buffer);
        return CGZIP_INVALID;
    }
    *out = buffer;
    *out_length = used;
    return CGZIP_OK;
}
