/*
 * The folder a thread last opened (native/stat.c, native/read.c): a run of
 * files in one folder costs one open, and each file is then reached by name
 * within it (fstatat, openat) instead of by walking its whole path.
 */
#ifndef CRM_CURSOR_H
#define CRM_CURSOR_H

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  int root_fd;
  int dir_fd;
  const char *dir; /* points into the caller's path list */
  size_t dir_len;
} cursor_t;

static inline cursor_t cursor_open(const char *root) {
  cursor_t c = {open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC), -1, NULL, 0};
  return c;
}

static inline void cursor_close(cursor_t *c) {
  if (c->dir_fd >= 0) close(c->dir_fd);
  if (c->root_fd >= 0) close(c->root_fd);
  c->dir_fd = c->root_fd = -1;
}

/*
 * The folder to use for `p` (relative to the root) and, in *name, what to
 * ask for within it; -1 when even the root could not be opened.
 */
static inline int cursor_at(cursor_t *c, const char *p, const char **name) {
  const char *slash = strrchr(p, '/');
  *name = p;
  if (c->root_fd < 0) return -1;
  if (slash == NULL) return c->root_fd;
  size_t len = (size_t)(slash - p);
  if (c->dir == NULL || c->dir_len != len || memcmp(c->dir, p, len) != 0) {
    char dir[4096];
    if (c->dir_fd >= 0) close(c->dir_fd);
    c->dir_fd = -1;
    c->dir = p;
    c->dir_len = len;
    if (len < sizeof dir) {
      memcpy(dir, p, len);
      dir[len] = 0;
      c->dir_fd = openat(c->root_fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
  }
  if (c->dir_fd < 0) return c->root_fd; /* the whole relative path from the root */
  *name = slash + 1;
  return c->dir_fd;
}

#endif
