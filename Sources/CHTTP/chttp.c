// One HTTP GET through libcurl, loaded with dlopen on first use: the regdb
// binary does not link libcurl, so commands that never reach the network do
// not pay for loading it (and its TLS and HTTP/2 libraries) at every start,
// and building needs neither libcurl nor its headers.
#include "chttp.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The part of libcurl's ABI used here, declared rather than included, so that
 * building regdb needs no curl headers. The numbers are libcurl's stable ABI
 * (curl/curl.h); CURLOPT_PROTOCOLS_STR needs libcurl 7.85 or later. */
typedef void CURL;
typedef int CURLcode;
typedef int CURLoption;
typedef int CURLINFO;
typedef long long curl_off_t;
struct curl_slist { char *data; struct curl_slist *next; };

enum {
    CURLE_OK = 0, CURLE_UNSUPPORTED_PROTOCOL = 1, CURLE_URL_MALFORMAT = 3, CURLE_COULDNT_RESOLVE_PROXY = 5,
    CURLE_COULDNT_RESOLVE_HOST = 6, CURLE_COULDNT_CONNECT = 7, CURLE_WEIRD_SERVER_REPLY = 8, CURLE_PARTIAL_FILE = 18,
    CURLE_WRITE_ERROR = 23, CURLE_OPERATION_TIMEDOUT = 28, CURLE_GOT_NOTHING = 52, CURLE_RECV_ERROR = 56,
    CURLE_FILESIZE_EXCEEDED = 63
};
enum {
    CURLOPT_WRITEDATA = 10001, CURLOPT_URL = 10002, CURLOPT_USERAGENT = 10018, CURLOPT_HTTPHEADER = 10023,
    CURLOPT_PROTOCOLS_STR = 10318, CURLOPT_WRITEFUNCTION = 20011, CURLOPT_MAXFILESIZE_LARGE = 30117,
    CURLOPT_HEADERDATA = 10029, CURLOPT_HEADERFUNCTION = 20079, CURLOPT_NOPROGRESS = 43,
    CURLOPT_XFERINFOFUNCTION = 20219, CURLOPT_XFERINFODATA = 10057,
    CURLOPT_FOLLOWLOCATION = 52, CURLOPT_HTTPGET = 80, CURLOPT_NOSIGNAL = 99, CURLOPT_TIMEOUT_MS = 155,
    CURLOPT_CONNECTTIMEOUT_MS = 156
};
enum { CURLINFO_REDIRECT_URL = 0x100000 + 31, CURLINFO_RESPONSE_CODE = 0x200000 + 2 };
#define CURL_GLOBAL_DEFAULT 3L

typedef CURL *(*easy_init_fn)(void);
typedef CURLcode (*easy_setopt_fn)(CURL *, CURLoption, ...);
typedef CURLcode (*easy_perform_fn)(CURL *);
typedef CURLcode (*easy_getinfo_fn)(CURL *, CURLINFO, ...);
typedef void (*easy_cleanup_fn)(CURL *);
typedef const char *(*easy_strerror_fn)(CURLcode);
typedef struct curl_slist *(*slist_append_fn)(struct curl_slist *, const char *);
typedef void (*slist_free_fn)(struct curl_slist *);
typedef CURLcode (*global_init_fn)(long);

static struct {
    easy_init_fn easy_init;
    easy_setopt_fn easy_setopt;
    easy_perform_fn easy_perform;
    easy_getinfo_fn easy_getinfo;
    easy_cleanup_fn easy_cleanup;
    easy_strerror_fn easy_strerror;
    slist_append_fn slist_append;
    slist_free_fn slist_free;
    int loaded;
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load(void) {
    void *handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!handle) handle = dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL);
    if (!handle) handle = dlopen("libcurl.4.dylib", RTLD_NOW | RTLD_LOCAL);
    if (!handle) return;
    global_init_fn global_init = (global_init_fn)dlsym(handle, "curl_global_init");
    curl.easy_init = (easy_init_fn)dlsym(handle, "curl_easy_init");
    curl.easy_setopt = (easy_setopt_fn)dlsym(handle, "curl_easy_setopt");
    curl.easy_perform = (easy_perform_fn)dlsym(handle, "curl_easy_perform");
    curl.easy_getinfo = (easy_getinfo_fn)dlsym(handle, "curl_easy_getinfo");
    curl.easy_cleanup = (easy_cleanup_fn)dlsym(handle, "curl_easy_cleanup");
    curl.easy_strerror = (easy_strerror_fn)dlsym(handle, "curl_easy_strerror");
    curl.slist_append = (slist_append_fn)dlsym(handle, "curl_slist_append");
    curl.slist_free = (slist_free_fn)dlsym(handle, "curl_slist_free_all");
    if (global_init && curl.easy_init && curl.easy_setopt && curl.easy_perform && curl.easy_getinfo &&
        curl.easy_cleanup && curl.easy_strerror && curl.slist_append && curl.slist_free &&
        global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK) {
        curl.loaded = 1;
    }
}

typedef struct {
    chttp_response *out;
    size_t capacity;
    size_t limit;
    int exceeded;
} sink;

static size_t write_body(char *data, size_t size, size_t count, void *context) {
    sink *s = (sink *)context;
    size_t n = size * count;
    if (s->out->length + n > s->limit) {
        s->exceeded = 1;
        return 0;  /* makes libcurl stop with CURLE_WRITE_ERROR */
    }
    if (s->out->length + n + 1 > s->capacity) {
        size_t capacity = s->capacity ? s->capacity : 65536;
        while (capacity < s->out->length + n + 1) capacity *= 2;
        char *grown = realloc(s->out->body, capacity);
        if (!grown) return 0;
        s->out->body = grown;
        s->capacity = capacity;
    }
    memcpy(s->out->body + s->out->length, data, n);
    s->out->length += n;
    s->out->body[s->out->length] = 0;
    return n;
}

/* Keeps the value of a header line "Name: value\r\n" if its name is `name` (any case). */
static void keep_header(const char *line, size_t n, const char *name, char *into, size_t room) {
    size_t length = strlen(name);
    if (n <= length + 1 || strncasecmp(line, name, length) != 0 || line[length] != ':') return;
    const char *value = line + length + 1;
    const char *end = line + n;
    while (value < end && (*value == ' ' || *value == '\t')) value++;
    while (end > value && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ')) end--;
    size_t count = (size_t)(end - value) < room - 1 ? (size_t)(end - value) : room - 1;
    memcpy(into, value, count);
    into[count] = 0;
}

static size_t read_header(char *data, size_t size, size_t count, void *context) {
    chttp_response *out = (chttp_response *)context;
    size_t n = size * count;
    keep_header(data, n, "ETag", out->etag, sizeof out->etag);
    keep_header(data, n, "Last-Modified", out->last_modified, sizeof out->last_modified);
    keep_header(data, n, "Content-Type", out->content_type, sizeof out->content_type);
    return n;
}

typedef struct {
    const char *label;
    struct timespec start;
    double last_shown;
    int shown;
} progress;

static double seconds_since(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* At most five times a second: "label: 12.5 MB, 3.1 MB/s", written over itself. */
static int show_progress(void *context, curl_off_t total, curl_off_t now, curl_off_t up_total, curl_off_t up_now) {
    (void)total; (void)up_total; (void)up_now;
    progress *p = (progress *)context;
    double elapsed = seconds_since(&p->start);
    if (now <= 0 || elapsed - p->last_shown < 0.2) return 0;
    p->last_shown = elapsed;
    p->shown = 1;
    double megabytes = (double)now / 1e6;
    fprintf(stderr, "\r%s: %.1f MB, %.1f MB/s\033[K", p->label, megabytes, elapsed > 0 ? megabytes / elapsed : 0);
    fflush(stderr);
    return 0;
}

void chttp_get(const char *url, const char *const *headers, int header_count, long timeout_ms, size_t limit,
               const char *progress_label, chttp_response *out) {
    memset(out, 0, sizeof *out);
    pthread_once(&load_once, load);
    if (!curl.loaded) {
        out->outcome = CHTTP_NO_LIBCURL;
        snprintf(out->error, sizeof out->error, "libcurl is not installed (Debian: apt-get install libcurl4)");
        return;
    }
    CURL *easy = curl.easy_init();
    if (!easy) {
        out->outcome = CHTTP_OTHER;
        snprintf(out->error, sizeof out->error, "libcurl could not start a request");
        return;
    }
    struct curl_slist *list = NULL;
    for (int i = 0; i < header_count; i++) list = curl.slist_append(list, headers[i]);
    sink s = {out, 0, limit, 0};
    curl.easy_setopt(easy, CURLOPT_URL, url);
    curl.easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    curl.easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl.easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl.easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    /* Redirects are the caller's to judge (only within one server are they followed). */
    curl.easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl.easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl.easy_setopt(easy, CURLOPT_USERAGENT, "regdb");
    curl.easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)limit);
    curl.easy_setopt(easy, CURLOPT_WRITEFUNCTION, write_body);
    curl.easy_setopt(easy, CURLOPT_WRITEDATA, &s);
    curl.easy_setopt(easy, CURLOPT_HEADERFUNCTION, read_header);
    curl.easy_setopt(easy, CURLOPT_HEADERDATA, out);
    progress shown = {progress_label, {0, 0}, 0, 0};
    if (progress_label) {
        clock_gettime(CLOCK_MONOTONIC, &shown.start);
        curl.easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, show_progress);
        curl.easy_setopt(easy, CURLOPT_XFERINFODATA, &shown);
        curl.easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
    }
    if (list) curl.easy_setopt(easy, CURLOPT_HTTPHEADER, list);
    CURLcode code = curl.easy_perform(easy);
    curl.easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &out->status);
    if (code == CURLE_OK) {
        out->outcome = CHTTP_OK;
        char *location = NULL;
        if (curl.easy_getinfo(easy, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location) {
            snprintf(out->redirect, sizeof out->redirect, "%s", location);
        }
    } else {
        snprintf(out->error, sizeof out->error, "%s", curl.easy_strerror(code));
        switch (code) {
        case CURLE_URL_MALFORMAT: out->outcome = CHTTP_BAD_URL; break;
        /* The URL's scheme was checked before: this is an answer that is not HTTP ("Received HTTP/0.9"). */
        case CURLE_UNSUPPORTED_PROTOCOL: case CURLE_WEIRD_SERVER_REPLY: out->outcome = CHTTP_NOT_HTTP; break;
        case CURLE_COULDNT_CONNECT: case CURLE_COULDNT_RESOLVE_HOST: case CURLE_COULDNT_RESOLVE_PROXY:
            out->outcome = CHTTP_UNREACHABLE; break;
        case CURLE_OPERATION_TIMEDOUT: out->outcome = CHTTP_TIMED_OUT; break;
        case CURLE_FILESIZE_EXCEEDED: out->outcome = CHTTP_TOO_LARGE; break;
        case CURLE_WRITE_ERROR: out->outcome = s.exceeded ? CHTTP_TOO_LARGE : CHTTP_OTHER; break;
        case CURLE_GOT_NOTHING: case CURLE_RECV_ERROR: case CURLE_PARTIAL_FILE:
            out->outcome = CHTTP_BROKEN; break;
        default: out->outcome = CHTTP_OTHER; break;
        }
    }
    if (shown.shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    if (list) curl.slist_free(list);
    curl.easy_cleanup(easy);
}

void chttp_free(chttp_response *response) {
    free(response->body);
    response->body = NULL;
    response->length = 0;
}
