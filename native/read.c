/*
 * read(root, paths, sizes, out, at): read many files whose sizes were just
 * stat-ed, without JavaScript in the loop. A first index build reads every
 * record file; from JavaScript each one costs an open by full path, a read
 * and a close, each crossing into the fs binding. Here a run of files in
 * one folder is opened by name within it (cursor.h) and read with one call.
 *
 * `paths`: NUL-joined, relative to `root`. `sizes`: a Float64Array, the
 * stat-ed size of each path (negative: skip it). `out`: a Buffer with room
 * for the size + 1 bytes of each file. `at`: a Float64Array of two numbers
 * per path, where its bytes start in `out` and how many there are; -1 when
 * the file was skipped or could not be opened or read, -2 when it grew
 * since it was stat-ed (one byte more than its size is asked for to tell).
 * In both cases the caller reads that file itself (src/model/read-files.ts),
 * so that errors are reported as for any other read.
 *
 * read(root, paths, null, out, at, stats) stats each file on the
 * descriptor it opened, before reading it (a first build needs no stat
 * pass of its own): `stats` gets 4 numbers per path as native/stat.c gives
 * them (size -1: missing or not a regular file, and not read), and each
 * file is read if it fits in what is left of `out`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cursor.h"
#include "read.h"

static napi_value read_fail(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

/* Read up to size + 1 bytes of an open file; stops at the stat-ed size (the byte beyond it did not come: end of file). */
static ssize_t read_open(int fd, char *dst, size_t size) {
  size_t want = size + 1;
  size_t got = 0;
  while (got < want) {
    ssize_t r = read(fd, dst + got, want - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    got += (size_t)r;
    if (got == size) break;
  }
  return got > size ? -2 : (ssize_t)got;
}

static void put_stat(double *o, const struct stat *st) {
  o[0] = (double)st->st_size;
  o[1] = (double)st->st_mtim.tv_sec * 1e3 + (double)st->st_mtim.tv_nsec / 1e6;
  o[2] = (double)st->st_ctim.tv_sec * 1e3 + (double)st->st_ctim.tv_nsec / 1e6;
  o[3] = (double)st->st_ino;
}

napi_value crm_read(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 5) return read_fail(env, "read(root, paths, sizes, out, at[, stats])");

  size_t root_len = 0, paths_len = 0;
  if (napi_get_value_string_utf8(env, argv[0], NULL, 0, &root_len) != napi_ok ||
      napi_get_value_string_utf8(env, argv[1], NULL, 0, &paths_len) != napi_ok) {
    return read_fail(env, "root and paths must be strings");
  }
  char *root = malloc(root_len + 1);
  char *joined = malloc(paths_len + 1);
  if (root == NULL || joined == NULL) {
    free(root);
    free(joined);
    return read_fail(env, "out of memory");
  }
  napi_get_value_string_utf8(env, argv[0], root, root_len + 1, &root_len);
  napi_get_value_string_utf8(env, argv[1], joined, paths_len + 1, &paths_len);

  napi_typedarray_type type;
  size_t n_sizes = 0, n_at = 0, n_stats = 0, out_len = 0;
  double *sizes = NULL, *at = NULL, *stats = NULL;
  char *out = NULL;
  size_t count = paths_len == 0 ? 0 : 1;
  for (size_t i = 0; i < paths_len; i++) count += joined[i] == 0;
  int ok = 1;
  if (argc >= 6) {
    /* Stat on the open descriptor instead of taking sizes. */
    ok = napi_get_typedarray_info(env, argv[5], &type, &n_stats, (void **)&stats, NULL, NULL) == napi_ok && type == napi_float64_array && n_stats >= count * 4;
  } else {
    ok = napi_get_typedarray_info(env, argv[2], &type, &n_sizes, (void **)&sizes, NULL, NULL) == napi_ok && type == napi_float64_array && n_sizes >= count;
  }
  ok = ok && napi_get_buffer_info(env, argv[3], (void **)&out, &out_len) == napi_ok;
  ok = ok && napi_get_typedarray_info(env, argv[4], &type, &n_at, (void **)&at, NULL, NULL) == napi_ok && type == napi_float64_array;
  if (!ok || n_at < count * 2) {
    free(root);
    free(joined);
    return read_fail(env, "sizes, at and stats must be Float64Arrays (one, two and four numbers per path), out a Buffer");
  }

  cursor_t c = cursor_open(root);
  size_t off = 0;
  const char *p = joined;
  for (size_t i = 0; i < count; i++) {
    const char *next = p + strlen(p) + 1;
    at[i * 2] = (double)off;
    at[i * 2 + 1] = -1;
    const char *name;
    int dir = cursor_at(&c, p, &name);
    int fd = dir >= 0 ? openat(dir, name, O_RDONLY | O_CLOEXEC) : -1;
    double size = -1;
    if (stats != NULL) {
      double *o = stats + i * 4;
      struct stat st;
      o[0] = -1;
      if (fd >= 0 && fstat(fd, &st) == 0) {
        if (S_ISREG(st.st_mode)) put_stat(o, &st);
      } else if (fd < 0 && errno != ENOENT && errno != ENOTDIR && dir >= 0 && fstatat(dir, name, &st, 0) == 0 && S_ISREG(st.st_mode)) {
        /* There but not readable: its stat, and the caller's read reports why. */
        put_stat(o, &st);
      }
      size = o[0];
    } else {
      size = sizes[i];
    }
    if (fd >= 0 && size >= 0 && off + (size_t)size + 1 <= out_len) {
      ssize_t got = read_open(fd, out + off, (size_t)size);
      at[i * 2 + 1] = (double)got;
      if (got > 0) off += (size_t)got;
    }
    if (fd >= 0) close(fd);
    p = next;
  }
  cursor_close(&c);
  free(root);
  free(joined);
  return NULL;
}
