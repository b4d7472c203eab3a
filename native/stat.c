/*
 * crm_stat: stat many files without JavaScript in the loop.
 *
 * Knowing the record index is fresh means stat-ing every record file; at
 * 100,000 files that is most of what `crm list` and `crm report` cost.
 * From JavaScript each stat also builds a path string and crosses into
 * the fs binding, and a second thread needs a worker with its own V8
 * (60 ms to start). Here a plain thread starts in microseconds, and each
 * thread keeps its current folder open, so a file is stat-ed by name
 * within its folder (fstatat) instead of by walking the whole path.
 *
 * The answers are what fs.statSync gives (src/model/stat-files.ts checks
 * that on a known file before trusting this module): per path, size,
 * mtimeMs, ctimeMs and inode as doubles, with size -1 when the path is
 * missing or not a regular file.
 *
 * start(root, paths, out, helper) starts a job: `paths` NUL-joined (a
 * string, or a Buffer of UTF-8) and relative to `root`, `out` a Float64Array of 4 numbers per path; with
 * `helper`, a thread starts taking chunks of paths at once. finish(job)
 * takes chunks on the calling thread until none are left, waits for the
 * helper and returns how many paths the helper stat-ed.
 *
 * The module also exports read() (native/read.c); the folder cursor both
 * use is native/cursor.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cursor.h"
#include "read.h"

#define CHUNK 512

typedef struct {
  char *root;     /* NUL-terminated */
  char *joined;   /* the paths, each NUL-terminated in place */
  size_t *starts; /* offset of each path in joined */
  size_t count;
  double *out;
  napi_ref out_ref;
  atomic_size_t next;
  atomic_size_t by_helper;
  pthread_t helper;
  int has_helper;
  int finished;
} job_t;

static void stat_one(job_t *job, cursor_t *c, size_t i) {
  const char *name;
  int at = cursor_at(c, job->joined + job->starts[i], &name);
  struct stat st;
  int ok = at >= 0 && fstatat(at, name, &st, 0) == 0;
  double *o = job->out + i * 4;
  if (ok && S_ISREG(st.st_mode)) {
    o[0] = (double)st.st_size;
    o[1] = (double)st.st_mtim.tv_sec * 1e3 + (double)st.st_mtim.tv_nsec / 1e6;
    o[2] = (double)st.st_ctim.tv_sec * 1e3 + (double)st.st_ctim.tv_nsec / 1e6;
    o[3] = (double)st.st_ino;
  } else {
    o[0] = -1;
  }
}

/* Take chunks until none are left; returns how many paths this thread stat-ed. */
static size_t drain(job_t *job) {
  cursor_t c = cursor_open(job->root);
  size_t done = 0;
  for (;;) {
    size_t from = atomic_fetch_add(&job->next, CHUNK);
    if (from >= job->count) break;
    size_t to = from + CHUNK < job->count ? from + CHUNK : job->count;
    for (size_t i = from; i < to; i++) stat_one(job, &c, i);
    done += to - from;
  }
  cursor_close(&c);
  return done;
}

static void *helper_main(void *arg) {
  job_t *job = (job_t *)arg;
  atomic_store(&job->by_helper, drain(job));
  return NULL;
}

static void job_free(job_t *job) {
  free(job->root);
  free(job->joined);
  free(job->starts);
  free(job);
}

static void job_finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  job_t *job = (job_t *)data;
  if (!job->finished) {
    /* Never finished by the caller: let the helper end before freeing what it reads. */
    atomic_store(&job->next, job->count);
    if (job->has_helper) pthread_join(job->helper, NULL);
    if (job->out_ref) napi_delete_reference(env, job->out_ref);
  }
  job_free(job);
}

static char *copy_string(napi_env env, napi_value v, size_t *len_out) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char *s = malloc(len + 1);
  if (s == NULL) return NULL;
  if (napi_get_value_string_utf8(env, v, s, len + 1, &len) != napi_ok) {
    free(s);
    return NULL;
  }
  if (len_out) *len_out = len;
  return s;
}

static napi_value fail(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

static napi_value start(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 4) return fail(env, "start(root, paths, out, helper)");

  job_t *job = calloc(1, sizeof *job);
  if (job == NULL) return fail(env, "out of memory");
  size_t len = 0;
  job->root = copy_string(env, argv[0], NULL);
  bool is_buffer = false;
  napi_is_buffer(env, argv[1], &is_buffer);
  if (is_buffer) {
    /* UTF-8 bytes as they are in the index file: copied, not converted. */
    void *bytes = NULL;
    napi_get_buffer_info(env, argv[1], &bytes, &len);
    job->joined = malloc(len + 1);
    if (job->joined != NULL) {
      memcpy(job->joined, bytes, len);
      job->joined[len] = 0;
    }
  } else {
    job->joined = copy_string(env, argv[1], &len);
  }
  if (job->root == NULL || job->joined == NULL) {
    job_free(job);
    return fail(env, "root must be a string, paths a string or a Buffer");
  }
  size_t count = len == 0 ? 0 : 1;
  for (size_t i = 0; i < len; i++) count += job->joined[i] == 0;
  job->starts = malloc((count + 1) * sizeof(size_t));
  if (job->starts == NULL) {
    job_free(job);
    return fail(env, "out of memory");
  }
  size_t k = 0;
  if (count > 0) job->starts[k++] = 0;
  for (size_t i = 0; i < len; i++) if (job->joined[i] == 0) job->starts[k++] = i + 1;
  job->count = count;

  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (napi_get_typedarray_info(env, argv[2], &type, &length, &data, NULL, NULL) != napi_ok || type != napi_float64_array || length < count * 4) {
    job_free(job);
    return fail(env, "out must be a Float64Array of 4 numbers per path");
  }
  job->out = (double *)data;
  /* The array is kept alive while the helper writes into it. */
  napi_create_reference(env, argv[2], 1, &job->out_ref);

  bool helper = false;
  napi_get_value_bool(env, argv[3], &helper);
  atomic_init(&job->next, 0);
  atomic_init(&job->by_helper, 0);
  if (helper && count > 1) job->has_helper = pthread_create(&job->helper, NULL, helper_main, job) == 0;

  napi_value external;
  if (napi_create_external(env, job, job_finalize, NULL, &external) != napi_ok) {
    atomic_store(&job->next, job->count);
    if (job->has_helper) pthread_join(job->helper, NULL);
    napi_delete_reference(env, job->out_ref);
    job_free(job);
    return fail(env, "cannot create the job");
  }
  return external;
}

static napi_value finish(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  job_t *job = NULL;
  if (argc < 1 || napi_get_value_external(env, argv[0], (void **)&job) != napi_ok || job == NULL) return fail(env, "finish(job)");
  if (!job->finished) {
    drain(job);
    if (job->has_helper) pthread_join(job->helper, NULL);
    job->finished = 1;
    napi_delete_reference(env, job->out_ref);
    job->out_ref = NULL;
  }
  napi_value n;
  napi_create_double(env, (double)atomic_load(&job->by_helper), &n);
  return n;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "start", NAPI_AUTO_LENGTH, start, NULL, &fn);
  napi_set_named_property(env, exports, "start", fn);
  napi_create_function(env, "finish", NAPI_AUTO_LENGTH, finish, NULL, &fn);
  napi_set_named_property(env, exports, "finish", fn);
  napi_create_function(env, "read", NAPI_AUTO_LENGTH, crm_read, NULL, &fn);
  napi_set_named_property(env, exports, "read", fn);
  return exports;
}
